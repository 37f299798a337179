package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;

/**
 * One HTTP exchange carrying one or more commands: the frames of the response body go, as
 * they arrive, through a {@link FrameDecoder} into the exchange's own single-send
 * {@link ClientReactor}, which sorts them by request; each request's payloads and error frame
 * go to that request's {@link ResultStream}. HTTP and framing live here; what the payloads mean
 * is the streams' (and the core's response decoder's) business.
 *
 * <p>The exchange and its streams share one {@link FlowControl}, whose monitor guards their
 * state and which consumers wait on. The exchange calls its streams; they call it back only
 * through the {@link ResultStream.ClosedListener} it gave them. Completing callers' futures is
 * handed to the transport's executor, so that no caller code runs under the monitor or on the
 * HTTP client's threads.
 */
final class Exchange implements BodySink {
  private final Transport transport;
  private final URI uri;
  private final ClientReactor reactor;
  private final FrameDecoder frameDecoder;
  private final FlowControl flow;
  private final Map<Integer, ResultStream> streams = new LinkedHashMap<>();
  private CompletableFuture<HttpResponse<Void>> http;
  private boolean terminal;

  Exchange(Transport transport, URI uri, ClientReactor reactor) {
    this.transport = transport;
    this.uri = uri;
    this.reactor = reactor;
    this.frameDecoder = new FrameDecoder(transport.settings().limits());
    this.flow = new FlowControl(transport.settings());
  }

  /** Adds the stream of request {@code requestId}; before the exchange starts. */
  ResultStream addStream(int requestId, String command) {
    ResultStream s = new ResultStream(requestId, command, flow, transport, this::streamClosed);
    synchronized (flow) {
      streams.put(requestId, s);
    }
    return s;
  }

  /** Remembers the JDK's future, to cancel the exchange before its headers arrive. */
  void started(CompletableFuture<HttpResponse<Void>> http) {
    synchronized (flow) {
      this.http = http;
    }
  }

  @Override
  public void attach(BodyPump pump) {
    flow.attach(pump);
  }

  @Override
  public boolean hasRoom() {
    synchronized (flow) {
      return !terminal && flow.hasRoom();
    }
  }

  @Override
  public boolean onData(ByteBuffer data) {
    synchronized (flow) {
      if (terminal) {
        return false;
      }
      flow.dataArrived();
      try {
        frameDecoder.feed(data, this::onFrame);
      } catch (ProtocolException e) {
        failAll(new ProtocolErrorException("invalid response from " + uri + ": " + e.getMessage(), e));
      }
      if (!terminal) {
        return flow.hasRoom();
      }
    }
    abort();
    return false;
  }

  @Override
  public void onEnd() {
    synchronized (flow) {
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
        if (!s.isFinished()) {
          s.fail(new TruncatedResponseException("the response from " + uri + " ended before the end of request "
              + s.requestId() + " (" + s.command() + ")"));
        }
      }
      terminate();
      flow.notifyAll();
    }
  }

  @Override
  public void onFailure(HgrpcException failure) {
    synchronized (flow) {
      if (terminal) {
        return;
      }
      failAll(failure);
    }
    abort();
  }

  /** Called with the monitor held, by the frame decoder. */
  private void onFrame(Frame frame) {
    if (terminal) {
      return;
    }
    Action action = reactor.onFrameReceived(frame);
    if (action instanceof Action.ResponseData data) {
      streams.get(data.request().requestId()).onResponseData(data.data(), data.eos());
    } else if (action instanceof Action.ErrorResponse error) {
      streams.get(error.request().requestId()).onErrorFrame(error.type(), error.message());
    } else if (action instanceof Action.Noop) {
      // A framing 0006 stream-settings frame: the reactor now decodes that stream's payloads.
    } else if (action instanceof Action.Error error) {
      failAll(new ProtocolErrorException("invalid response from " + uri + ": " + error.message() + " (in " + frame
          + ")"));
    } else {
      failAll(new ProtocolErrorException("invalid response from " + uri + ": unexpected " + action));
    }
  }

  /**
   * No frame of the response will be read any more: frees the reactor's stream decoders (a zstd
   * window is native memory) now, not when the collector finds them. Called with the monitor held.
   */
  private void terminate() {
    terminal = true;
    reactor.close();
  }

  /** Fails every stream not yet finished; called with the monitor held. */
  private void failAll(HgrpcException failure) {
    terminate();
    for (ResultStream s : streams.values()) {
      s.fail(failure);
    }
    flow.notifyAll();
  }

  /** Drops the connection, or the request if its headers have not come yet. Without the monitor. */
  private void abort() {
    if (!flow.abortPump()) {
      CompletableFuture<HttpResponse<Void>> h;
      synchronized (flow) {
        h = http;
      }
      if (h != null) {
        h.cancel(true);
      }
    }
  }

  /**
   * A stream was closed or cancelled by its consumer; if no stream of the exchange wants data
   * any more, drop the connection. Called without the monitor.
   */
  private void streamClosed() {
    synchronized (flow) {
      if (terminal) {
        return;
      }
      for (ResultStream s : streams.values()) {
        if (!s.isFinished()) {
          return;
        }
      }
      terminate();
      flow.notifyAll();
    }
    abort();
  }

  /** Cancels the whole exchange: every stream fails with {@code reason}. */
  void cancel(CallCancelledException reason) {
    onFailure(reason);
  }
}
