package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;

/**
 * One HTTP exchange carrying one or more commands: the frames of the response body go, as
 * they arrive, through a {@link FrameDecoder} into the exchange's own single-send
 * {@link ClientReactor}, which sorts them by request; each request's payloads feed that
 * request's {@link ResultStream}.
 *
 * <p>All state of the exchange and its streams is guarded by this object's monitor, which
 * consumers also wait on. Completing callers' futures is handed to the transport's executor so
 * that no caller code runs under the monitor or on the HTTP client's threads.
 */
final class Exchange implements BodySink {
  private final Transport transport;
  private final URI uri;
  private final ClientReactor reactor;
  private final FrameDecoder frameDecoder;
  private final Map<Integer, ResultStream> streams = new LinkedHashMap<>();
  private BodyPump pump;
  private CompletableFuture<HttpResponse<Void>> http;
  private boolean terminal;
  private long buffered;
  private long lastProgressNanos = System.nanoTime();

  Exchange(Transport transport, URI uri, ClientReactor reactor) {
    this.transport = transport;
    this.uri = uri;
    this.reactor = reactor;
    this.frameDecoder = new FrameDecoder(transport.limits());
  }

  /** Adds the stream of request {@code requestId}; before the exchange starts. */
  ResultStream addStream(int requestId, String command) {
    ResultStream s = new ResultStream(this, requestId, command);
    streams.put(requestId, s);
    return s;
  }

  /** Remembers the JDK's future, to cancel the exchange before its headers arrive. */
  synchronized void started(CompletableFuture<HttpResponse<Void>> http) {
    this.http = http;
  }

  Transport transport() {
    return transport;
  }

  URI uri() {
    return uri;
  }

  @Override
  public synchronized void attach(BodyPump pump) {
    this.pump = pump;
  }

  @Override
  public boolean onData(ByteBuffer data) {
    synchronized (this) {
      if (terminal) {
        return false;
      }
      lastProgressNanos = System.nanoTime();
      try {
        frameDecoder.feed(data, this::onFrame);
      } catch (ProtocolException e) {
        failAll(new ProtocolErrorException("invalid response from " + uri + ": " + e.getMessage(), e));
      }
      notifyAll();
      if (!terminal) {
        return buffered < transport.bufferBytes();
      }
    }
    abortPump();
    return false;
  }

  @Override
  public synchronized void onEnd() {
    if (terminal) {
      return;
    }
    try {
      frameDecoder.finish();
    } catch (ProtocolException e) {
      failAll(new TruncatedResponseException("the response from " + uri + " is truncated: " + e.getMessage(), e));
      return;
    }
    for (ResultStream s : streams.values()) {
      if (!s.wireDone()) {
        s.fail(new TruncatedResponseException("the response from " + uri + " ended before the end of request "
            + s.requestId() + " (" + s.command() + ")"));
      }
    }
    terminal = true;
    notifyAll();
  }

  @Override
  public void onFailure(HgrpcException failure) {
    synchronized (this) {
      if (terminal) {
        return;
      }
      failAll(failure);
    }
    abortPump();
  }

  /** Called with the monitor held, by the frame decoder. */
  private void onFrame(Frame frame) {
    if (terminal) {
      return;
    }
    Action action = reactor.onFrameReceived(frame);
    if (action instanceof Action.ResponseData) {
      Action.ResponseData data = (Action.ResponseData) action;
      streams.get(data.request().requestId()).onResponseData(data.data(), data.eos());
    } else if (action instanceof Action.ErrorResponse) {
      Action.ErrorResponse error = (Action.ErrorResponse) action;
      ResultStream s = streams.get(error.request().requestId());
      s.markWireDone();
      ByteString type = error.type() instanceof ByteString ? (ByteString) error.type()
          : ByteString.utf8(String.valueOf(error.type()));
      s.fail(new ServerErrorException(s.command(), type, ServerMessages.formatAtoms(error.message())));
    } else if (action instanceof Action.Error) {
      failAll(new ProtocolErrorException("invalid response from " + uri + ": " + ((Action.Error) action).message()
          + " (in " + frame + ")"));
    } else {
      failAll(new ProtocolErrorException("invalid response from " + uri + ": unexpected " + action));
    }
  }

  /** Fails every stream not yet finished; called with the monitor held. */
  private void failAll(HgrpcException failure) {
    terminal = true;
    for (ResultStream s : streams.values()) {
      s.fail(failure);
    }
    notifyAll();
  }

  private void abortPump() {
    BodyPump p;
    CompletableFuture<HttpResponse<Void>> h;
    synchronized (this) {
      p = pump;
      h = http;
    }
    if (p != null) {
      p.abort();
    } else if (h != null) {
      h.cancel(true);
    }
  }

  // ---- called by ResultStream, with the monitor held ----

  void addBuffered(long weight) {
    buffered += weight;
  }

  /** Takes back {@code weight}; whether the pump should be resumed (call {@link #resumePump()} outside the monitor). */
  boolean releaseBuffered(long weight) {
    buffered -= weight;
    return pump != null && buffered <= transport.bufferBytes() / 2;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  boolean readingPaused() {
    return pump != null && pump.isPaused();
  }

  /** Runs caller-visible completions on the executor, never under the monitor. */
  void complete(Runnable completion) {
    transport.complete(completion);
  }

  /**
   * A stream was closed or cancelled by its consumer; if no stream of the exchange wants data
   * any more, drop the connection. Call without holding the monitor.
   */
  void streamClosed() {
    synchronized (this) {
      if (terminal) {
        return;
      }
      for (ResultStream s : streams.values()) {
        if (!s.isFinished()) {
          return;
        }
      }
      terminal = true;
      notifyAll();
    }
    abortPump();
  }

  /** Cancels the whole exchange: every stream fails with {@code reason}. */
  void cancel(CallCancelledException reason) {
    onFailure(reason);
  }

  /** Resumes reading the body after consumers freed buffer space. Call without the monitor. */
  void resumePump() {
    BodyPump p;
    synchronized (this) {
      p = pump;
    }
    if (p != null) {
      p.resume();
    }
  }

  /** Body bytes received so far. */
  long bytesReceived() {
    BodyPump p;
    synchronized (this) {
      p = pump;
    }
    return p == null ? 0 : p.received();
  }

  List<ResultStream> streams() {
    return new ArrayList<>(streams.values());
  }
}
