package org.hgrpc.core.reactor;

import static org.hgrpc.core.frame.FrameConstants.*;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;

/**
 * The client side of the protocol (the reference's {@code clientreactor}): issues command
 * requests as frames and sorts response frames by request. No I/O.
 *
 * <p>One instance lives as long as one connection of a transport that can send many times (a
 * raw pipe), or one exchange of a transport that sends once (an HTTP request: construct it with
 * {@code hasMultipleSend = false}; after the one send no more commands may be issued).
 *
 * <p>Response frames from the peer never make it throw: unknown streams or requests, encoded
 * streams, unhandled frame types and malformed error payloads become {@link Action.Error}.
 * Misuse by the caller (issuing commands after the single send) throws
 * {@link IllegalStateException}. Not thread-safe.
 */
public final class ClientReactor {
  private static final ByteString KEY_TYPE = ByteString.latin1("type");
  private static final ByteString KEY_MESSAGE = ByteString.latin1("message");

  private final boolean hasMultipleSend;
  private final boolean bufferSends;
  private final Limits limits;
  private boolean canIssueCommands = true;
  private boolean canSend = true;
  private int nextRequestId = 1;
  private final FrameStream outgoingStream = new FrameStream(1);
  private final Deque<CommandRequest> pendingRequests = new ArrayDeque<>();
  private final Map<Integer, CommandRequest> activeRequests = new LinkedHashMap<>();
  private final Map<Integer, FrameStream> incomingStreams = new HashMap<>();

  /**
   * A reactor.
   *
   * @param hasMultipleSend whether the transport can send more than once; when false, the
   *     first send ends the issuing of commands
   * @param bufferSends whether {@link #callCommand} queues commands until {@link #flushCommands()}
   * @param limits bounds applied to what the server sends
   */
  public ClientReactor(boolean hasMultipleSend, boolean bufferSends, Limits limits) {
    this.hasMultipleSend = hasMultipleSend;
    this.bufferSends = bufferSends;
    this.limits = limits;
  }

  /** A reactor with {@link Limits#DEFAULTS}. */
  public ClientReactor(boolean hasMultipleSend, boolean bufferSends) {
    this(hasMultipleSend, bufferSends, Limits.DEFAULTS);
  }

  /** The result of {@link #callCommand}: the request and what to do now. */
  public record Call(CommandRequest request, Action action) {}

  /**
   * Asks for a command to be run ({@code callcommand}). With buffered sends the request waits
   * for {@link #flushCommands()} ({@link Action.Noop}); otherwise its frames are returned at once.
   *
   * @param data command data to send after the request, or {@code null}
   * @throws IllegalStateException if this single-send reactor has already sent
   */
  public Call callCommand(ByteString name, Map<?, ?> args, InputStream data) {
    if (!canIssueCommands) {
      throw new IllegalStateException("cannot issue new commands");
    }
    if (nextRequestId > 0xffff) {
      throw new IllegalStateException("no request ids left");
    }
    int requestId = nextRequestId;
    nextRequestId += 2;
    CommandRequest request = new CommandRequest(requestId, name, args, data);
    if (bufferSends) {
      pendingRequests.add(request);
      return new Call(request, Action.Noop.INSTANCE);
    }
    if (!canSend) {
      throw new IllegalStateException("sends cannot be performed on this instance");
    }
    if (!hasMultipleSend) {
      canSend = false;
      canIssueCommands = false;
    }
    return new Call(request, new Action.SendFrames(makeCommandFrames(request)));
  }

  /**
   * Sends every buffered command ({@code flushcommands}): {@link Action.SendFrames} of their
   * frames in order, or {@link Action.Noop} when none is buffered. A single-send reactor
   * accepts no command afterwards.
   *
   * @throws IllegalStateException if this single-send reactor has already sent
   */
  public Action flushCommands() {
    if (pendingRequests.isEmpty()) {
      return Action.Noop.INSTANCE;
    }
    if (!canSend) {
      throw new IllegalStateException("sends cannot be performed on this instance");
    }
    if (!hasMultipleSend) {
      canIssueCommands = false;
      canSend = false;
    }
    // Requests leave the queue only as their frames are taken, as with the reference's generator.
    Iterator<FrameIterator> requests = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !pendingRequests.isEmpty();
      }

      @Override
      public FrameIterator next() {
        return makeCommandFrames(pendingRequests.remove());
      }
    };
    return new Action.SendFrames(FrameIterator.concat(requests));
  }

  /**
   * The frames of one request. As with the reference's generator, the request becomes active
   * and {@code sending} only when the first frame is taken, and {@code sent} after the last.
   */
  private FrameIterator makeCommandFrames(CommandRequest request) {
    return new FrameIterator() {
      private FrameIterator frames;

      @Override
      protected Frame computeNext() {
        if (frames == null) {
          activeRequests.put(request.requestId(), request);
          request.state(CommandRequest.State.SENDING);
          frames = Frames.createCommandFrames(outgoingStream, request.requestId(), request.name(), request.args(),
              request.data());
        }
        if (frames.hasNext()) {
          return frames.next();
        }
        request.state(CommandRequest.State.SENT);
        return null;
      }
    };
  }

  /** Whether any sent request still awaits response frames. */
  public boolean hasActiveRequests() {
    return !activeRequests.isEmpty();
  }

  /** The requests sent and not yet fully answered. */
  public List<CommandRequest> activeRequests() {
    return List.copyOf(activeRequests.values());
  }

  /**
   * A frame arrived from the server ({@code onframerecv}).
   *
   * @return {@link Action.ResponseData}, {@link Action.ErrorResponse} or {@link Action.Error}
   */
  public Action onFrameReceived(Frame frame) {
    if (frame.streamId() % 2 != 0) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "received frame with odd numbered stream ID: " + frame.streamId());
    }
    if (!incomingStreams.containsKey(frame.streamId())) {
      if ((frame.streamFlags() & STREAM_FLAG_BEGIN_STREAM) == 0) {
        return new Action.Error(Action.ErrorKind.PROTOCOL,
            "received frame on unknown stream without beginning of stream flag set");
      }
      incomingStreams.put(frame.streamId(), new FrameStream(frame.streamId()));
    }
    if ((frame.streamFlags() & STREAM_FLAG_ENCODING_APPLIED) != 0) {
      return new Action.Error(Action.ErrorKind.UNSUPPORTED,
          "support for decoding stream payloads not yet implemented");
    }
    if ((frame.streamFlags() & STREAM_FLAG_END_STREAM) != 0) {
      incomingStreams.remove(frame.streamId());
    }
    CommandRequest request = activeRequests.get(frame.requestId());
    if (request == null) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "received frame for inactive request ID: " + frame.requestId());
    }
    request.state(CommandRequest.State.RECEIVING);
    if (frame.typeId() == FrameType.COMMAND_RESPONSE.id()) {
      return onCommandResponseFrame(request, frame);
    } else if (frame.typeId() == FrameType.ERROR_RESPONSE.id()) {
      return onErrorResponseFrame(request, frame);
    }
    return new Action.Error(Action.ErrorKind.PROTOCOL, "unhandled frame type: " + frame.typeId());
  }

  private Action onCommandResponseFrame(CommandRequest request, Frame frame) {
    boolean eos = (frame.flags() & FLAG_COMMAND_RESPONSE_EOS) != 0;
    if (eos) {
      request.state(CommandRequest.State.RECEIVED);
      activeRequests.remove(request.requestId());
    }
    return new Action.ResponseData(request, (frame.flags() & FLAG_COMMAND_RESPONSE_CONTINUATION) != 0, eos,
        frame.payload());
  }

  private Action onErrorResponseFrame(CommandRequest request, Frame frame) {
    request.state(CommandRequest.State.ERRORED);
    activeRequests.remove(request.requestId());
    List<Object> values;
    try {
      values = CborDecoder.decodeAll(frame.payload(),
          new CborDecoder(limits.maxCborDepth(), limits.maxFramePayload()));
    } catch (CborDecodeException e) {
      return new Action.Error(Action.ErrorKind.CBOR, "error response is not valid CBOR: " + e.getMessage());
    }
    if (values.isEmpty() || !(values.get(0) instanceof Map)) {
      return new Action.Error(Action.ErrorKind.CBOR, "error response must be a CBOR map");
    }
    Map<?, ?> m = (Map<?, ?>) values.get(0);
    if (!m.containsKey(KEY_TYPE) || !m.containsKey(KEY_MESSAGE)) {
      return new Action.Error(Action.ErrorKind.PROTOCOL, "error response lacks \"type\" or \"message\"");
    }
    return new Action.ErrorResponse(request, m.get(KEY_TYPE), m.get(KEY_MESSAGE));
  }
}
