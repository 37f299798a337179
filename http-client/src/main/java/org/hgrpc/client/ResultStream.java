package org.hgrpc.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.response.ResponseDecoder;
import org.hgrpc.core.response.ResponseEvent;

/**
 * The response to one request of an {@link Exchange}, between the HTTP client's thread and the
 * consumer: the core's {@link ResponseDecoder} says what the payloads mean, this class turns
 * that into the caller's future and exceptions and queues the values in a {@link PacedQueue}.
 *
 * <p>The status completes {@link #started()}: with the {@link CommandResult} for {@code ok},
 * exceptionally otherwise. The values after it are queued for the consumer, their estimated
 * size counted against the body's {@link FlowControl} so the body is read only as fast as they
 * are consumed.
 *
 * <p>The producer-side methods run with the flow control's monitor held (the exchange holds
 * it while it decodes frames); the consumer-side ones take it themselves. A stream knows
 * nothing of its exchange: it reports its consumer's closing to a {@link ClosedListener}.
 */
final class ResultStream {
  /** What {@link #take()} returns after the last value. */
  static final Object END = new Object();

  /** Told, outside the monitor, that a consumer closed or cancelled its stream. */
  @FunctionalInterface
  interface ClosedListener {
    void streamClosed();
  }

  private final int requestId;
  private final String command;
  private final FlowControl flow;
  private final Transport transport;
  private final ClosedListener closedListener;
  private final ResponseDecoder decoder;
  private final PacedQueue<Object> queue;
  private final CompletableFuture<CommandResult> started = new CompletableFuture<>();
  private final CommandResult result;
  private boolean ok;

  ResultStream(int requestId, String command, FlowControl flow, Transport transport, ClosedListener closedListener) {
    this.requestId = requestId;
    this.command = command;
    this.flow = flow;
    this.transport = transport;
    this.closedListener = closedListener;
    // Our requests offer no redirect targets: a redirect status is as unknown as any other.
    this.decoder = new ResponseDecoder(transport.settings().limits());
    this.queue = new PacedQueue<>(flow, new PacedQueue.WaitMessages() {
      @Override
      public String closed() {
        return command + ": the result was closed";
      }

      @Override
      public String interrupted() {
        return command + ": interrupted while waiting for the response";
      }

      @Override
      public String timedOut(long millis) {
        return command + ": no response data for request " + requestId + " within " + millis + " ms"
            + (flow.readingPaused()
                ? "; reading is paused because the buffer is full of unread values of other results of this exchange"
                : "");
      }
    });
    this.result = new CommandResult(this);
  }

  int requestId() {
    return requestId;
  }

  String command() {
    return command;
  }

  /** Completes when the status arrived: with the result if it was {@code ok}. Safe without the monitor. */
  CompletableFuture<CommandResult> started() {
    return started;
  }

  // ---- producer side: monitor held ----

  /** Whether the consumer has nothing more to wait for from the network. */
  boolean isFinished() {
    return queue.isFinished();
  }

  /** The payload of a command response frame of this request. */
  void onResponseData(ByteString data, boolean eos) {
    if (!isFinished()) {
      handle(decoder.onData(data, eos));
    }
  }

  /** An error frame answered this request. */
  void onErrorFrame(Object type, Object message) {
    if (!isFinished()) {
      handle(decoder.onErrorFrame(type, message));
    }
  }

  private void handle(List<ResponseEvent> events) {
    for (ResponseEvent event : events) {
      if (event instanceof ResponseEvent.Value v) {
        queue.offer(v.value(), weight(v.value()));
      } else if (event instanceof ResponseEvent.Ok) {
        ok = true;
        transport.complete(() -> started.complete(result));
      } else if (event instanceof ResponseEvent.End) {
        queue.end();
      } else if (event instanceof ResponseEvent.Failed f) {
        fail(new CommandErrorException(command, f.failure()));
      } else if (event instanceof ResponseEvent.ServerError e) {
        fail(new ServerErrorException(command, e.failure().type(), e.failure().message()));
      } else if (event instanceof ResponseEvent.Malformed m) {
        fail(m.cause() == null ? new ProtocolErrorException(command + ": " + m.reason())
            : new ProtocolErrorException(command + ": " + m.reason(), m.cause()));
      } else {
        // A redirect, which our decoder refuses as an unknown status since we offer no targets.
        fail(new ProtocolErrorException(command + ": unexpected response " + event));
      }
    }
  }

  /** Fails the stream unless it has already finished. Queued values stay readable before the failure. */
  void fail(HgrpcException e) {
    if (isFinished()) {
      return;
    }
    queue.fail(e);
    if (!ok) {
      transport.complete(() -> started.completeExceptionally(e));
    }
  }

  // ---- consumer side: without the monitor ----

  /**
   * The next value, or {@link #END}; waits for it, but never longer than the idle timeout
   * without progress of the exchange.
   */
  Object take() {
    Object v = queue.take();
    return v == null ? END : v;
  }

  /** The consumer is done: drop what is queued and whatever still comes. */
  void close() {
    queue.close(new CallCancelledException(command + ": the result was closed before its end"),
        closedListener::streamClosed);
  }

  /** The caller gave up before the status arrived (cancelled the future). */
  void cancel() {
    queue.close(new CallCancelledException(command + ": the call was cancelled"), closedListener::streamClosed);
  }

  /** The executor that completes futures and drives publishers. */
  Executor exchangeExecutor() {
    return transport.executor();
  }

  /** Body bytes of the exchange received so far. */
  long bytesReceived() {
    return flow.received();
  }

  /**
   * A rough size of a decoded value: its bytes plus a fixed cost per item. Only used to bound
   * how much decoded data waits for the consumer, so it need not be exact.
   */
  static long weight(Object value) {
    if (value instanceof ByteString) {
      return 16 + ((ByteString) value).size();
    }
    if (value instanceof ByteStringChunk) {
      return 16 + ((ByteStringChunk) value).data().size();
    }
    if (value instanceof Collection) {
      long w = 16;
      for (Object o : (Collection<?>) value) {
        w += weight(o);
      }
      return w;
    }
    if (value instanceof Map) {
      long w = 16;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        w += weight(e.getKey()) + weight(e.getValue());
      }
      return w;
    }
    return 16;
  }
}
