package org.hgrpc.client;

import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.StreamingCborDecoder;

/**
 * The response of one request of an {@link Exchange}: its CBOR decoder, the status check, and
 * the queue of decoded values between the HTTP client's thread and the consumer.
 *
 * <p>The first value of every command response is the overall status map. {@code ok}
 * completes {@link #started()} with the {@link CommandResult}; {@code error} fails it with a
 * {@link CommandErrorException}. The values after it are queued for the consumer, their
 * estimated size counted against the exchange's buffer so the body is read only as fast as
 * they are consumed.
 *
 * <p>Every method runs with the exchange's monitor held, except those documented otherwise.
 */
final class ResultStream {
  /** What {@link #take()} returns after the last value. */
  static final Object END = new Object();

  private static final ByteString STATUS = Values.key("status");
  private static final ByteString OK = Values.key("ok");
  private static final ByteString ERROR = Values.key("error");
  private static final ByteString MESSAGE = Values.key("message");
  private static final ByteString ARGS = Values.key("args");
  // Deliberately larger than the pump's idle timeout, so a stalled body is reported by the pump
  // (which knows the bytes received); this only catches waits the pump cannot see.
  private static final long CONSUMER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private record Queued(Object value, long weight) {}

  private final Exchange exchange;
  private final int requestId;
  private final String command;
  private final StreamingCborDecoder decoder;
  private final CompletableFuture<CommandResult> started = new CompletableFuture<>();
  private final CommandResult result;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private boolean statusSeen;
  private boolean wireDone;
  private boolean ended;
  private boolean closed;
  private HgrpcException failure;

  ResultStream(Exchange exchange, int requestId, String command) {
    this.exchange = exchange;
    this.requestId = requestId;
    this.command = command;
    var limits = exchange.transport().limits();
    // A definite value in a response is bounded like command data: the largest value the
    // protocol expects to move whole. Larger values come as indefinite byte strings.
    this.decoder = new StreamingCborDecoder(new CborDecoder(limits.maxCborDepth(), limits.maxCommandDataBytes()));
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

  boolean wireDone() {
    return wireDone;
  }

  void markWireDone() {
    wireDone = true;
  }

  /** Whether the consumer has nothing more to wait for from the network. */
  boolean isFinished() {
    return ended || failure != null;
  }

  /** The payload of a command response frame. */
  void onResponseData(ByteString data, boolean eos) {
    if (eos) {
      wireDone = true;
    }
    if (isFinished()) {
      return;
    }
    List<Object> values;
    try {
      values = decoder.feed(data);
    } catch (CborDecodeException e) {
      fail(new ProtocolErrorException(command + ": the response is not valid CBOR: " + e.getMessage(), e));
      return;
    }
    for (Object v : values) {
      onValue(v);
      if (failure != null) {
        return;
      }
    }
    if (eos) {
      try {
        decoder.finish();
      } catch (CborDecodeException e) {
        fail(new ProtocolErrorException(command + ": the response ends inside a CBOR value", e));
        return;
      }
      if (!statusSeen) {
        fail(new ProtocolErrorException(command + ": the response ended without a status"));
        return;
      }
      ended = true;
    }
  }

  private void onValue(Object value) {
    if (statusSeen) {
      if (!closed) {
        long weight = weight(value);
        queue.add(new Queued(value, weight));
        exchange.addBuffered(weight);
      }
      return;
    }
    if (!(value instanceof Map) || !((Map<?, ?>) value).containsKey(STATUS)) {
      fail(new ProtocolErrorException(command + ": the response does not begin with a status map but with "
          + Values.describe(value)));
      return;
    }
    Map<?, ?> overall = (Map<?, ?>) value;
    Object status = overall.get(STATUS);
    if (OK.equals(status)) {
      statusSeen = true;
      exchange.complete(() -> started.complete(result));
    } else if (ERROR.equals(status)) {
      fail(commandError(overall));
    } else {
      fail(new ProtocolErrorException(command + ": unknown response status " + Values.describe(status)));
    }
  }

  private HgrpcException commandError(Map<?, ?> overall) {
    Object error = overall.get(ERROR);
    if (!(error instanceof Map) || !(((Map<?, ?>) error).get(MESSAGE) instanceof ByteString)) {
      return new ProtocolErrorException(command + ": malformed command error " + Values.describe(error));
    }
    Map<?, ?> e = (Map<?, ?>) error;
    Object args = e.get(ARGS);
    return new CommandErrorException(command, (ByteString) e.get(MESSAGE),
        args instanceof List ? List.copyOf((List<?>) args) : List.of(), e);
  }

  /** Fails the stream unless it has already finished. Queued values stay readable before the failure. */
  void fail(HgrpcException e) {
    if (isFinished()) {
      return;
    }
    failure = e;
    if (!statusSeen) {
      exchange.complete(() -> started.completeExceptionally(e));
    }
  }

  // ---- consumer side: called without the monitor ----

  /**
   * The next value, or {@link #END}; waits for it, but never longer than the idle timeout
   * without progress of the exchange.
   */
  Object take() {
    Queued taken;
    boolean resume;
    synchronized (exchange) {
      long waitStart = System.nanoTime();
      long idle = exchange.transport().idleTimeout().toNanos() + CONSUMER_GRACE_NANOS;
      while (true) {
        if (closed) {
          throw new CallCancelledException(command + ": the result was closed");
        }
        if (!queue.isEmpty()) {
          taken = queue.remove();
          resume = exchange.releaseBuffered(taken.weight());
          break;
        }
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return END;
        }
        long deadline = Math.max(waitStart, exchange.lastProgressNanos()) + idle;
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw timeout(idle);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(exchange, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CallCancelledException(command + ": interrupted while waiting for the response");
        }
      }
    }
    if (resume) {
      exchange.resumePump();
    }
    return taken.value();
  }

  private HgrpcTimeoutException timeout(long idleNanos) {
    String message = command + ": no response data for request " + requestId + " within "
        + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms"
        + (exchange.readingPaused()
            ? "; reading is paused because the buffer is full of unread values of other results of this exchange"
            : "");
    return new HgrpcTimeoutException(message, new HttpTimeoutException(message));
  }

  /** The consumer is done: drop what is queued and whatever still comes. */
  void close() {
    boolean resume;
    synchronized (exchange) {
      if (closed) {
        return;
      }
      closed = true;
      long weight = 0;
      for (Queued q : queue) {
        weight += q.weight();
      }
      queue.clear();
      resume = exchange.releaseBuffered(weight);
      if (!isFinished()) {
        failure = new CallCancelledException(command + ": the result was closed before its end");
      }
      exchange.notifyAll();
    }
    exchange.streamClosed();
    if (resume) {
      exchange.resumePump();
    }
  }

  /** The caller gave up before the status arrived (cancelled the future). */
  void cancel() {
    synchronized (exchange) {
      if (!isFinished()) {
        failure = new CallCancelledException(command + ": the call was cancelled");
      }
    }
    close();
  }

  /** The executor that completes futures and drives publishers. */
  java.util.concurrent.Executor exchangeExecutor() {
    return exchange.transport().executor();
  }

  /** Body bytes of the exchange received so far. */
  long bytesReceived() {
    return exchange.bytesReceived();
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
