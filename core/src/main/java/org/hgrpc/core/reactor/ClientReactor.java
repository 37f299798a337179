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
import java.util.Objects;
import java.util.ArrayList;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.cbor.StreamingCborDecoder;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentDecodingException;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.literal.PythonLiteral;

/**
 * The client side of the protocol (the reference's {@code clientreactor}): issues command
 * requests as frames and sorts response frames by request. No I/O.
 *
 * <p>One instance lives as long as one connection of a transport that can send many times (a
 * raw pipe), or one exchange of a transport that sends once (an HTTP request: construct it with
 * {@code hasMultipleSend = false}; after the one send no more commands may be issued).
 *
 * <p>Response frames from the peer never make it throw: unknown streams or requests, encoded
 * streams (0005) or undecodable ones (0006), unhandled frame types and malformed error
 * payloads become {@link Action.Error}.
 * Misuse by the caller (issuing commands after the single send) throws
 * {@link IllegalStateException}. Not thread-safe.
 *
 * <p>In framing 0006 the client may advertise content encodings: before its first command it
 * sends one sender-protocol-settings frame listing {@link Options#clientContentEncoders()}.
 * The server announces each stream's encoding with a stream-settings frame; frames flagged
 * {@code encoded} are decoded with that stream's decoder before they are handed out. A decoder
 * refusing its input (corrupt data, a window or output over the limits, bytes after the end of
 * the compressed stream) is an {@link Action.Error}.
 */
public final class ClientReactor {
  private static final ByteString KEY_TYPE = ByteString.latin1("type");
  private static final ByteString KEY_MESSAGE = ByteString.latin1("message");

  /**
   * How a client reactor behaves.
   *
   * @param framing the protocol generation spoken
   * @param hasMultipleSend whether the transport can send more than once; when false, the
   *     first send ends the issuing of commands
   * @param bufferSends whether {@link #callCommand} queues commands until {@link #flushCommands()}
   * @param limits bounds applied to what the server sends
   * @param clientContentEncoders framing 0006: the encodings to advertise, most preferred first;
   *     {@code null} or empty advertises none (the server then uses identity)
   * @param decoders framing 0006: the encodings the client can decode
   */
  public record Options(Framing framing, boolean hasMultipleSend, boolean bufferSends, Limits limits,
      List<String> clientContentEncoders, ContentEncodings decoders) {
    /** Requires framing, limits and decoders; copies the encoder list. */
    public Options {
      Objects.requireNonNull(framing, "framing");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(decoders, "decoders");
      clientContentEncoders = clientContentEncoders == null ? null : List.copyOf(clientContentEncoders);
    }

    /**
     * Options for {@code framing}: single send, buffered sends (one HTTP exchange),
     * {@link Limits#DEFAULTS}, no encodings advertised, every decoder known.
     */
    public static Options of(Framing framing) {
      return new Options(framing, false, true, Limits.DEFAULTS, null, ContentEncodings.DEFAULT);
    }

    /** A copy with another {@link #hasMultipleSend()}. */
    public Options withHasMultipleSend(boolean value) {
      return new Options(framing, value, bufferSends, limits, clientContentEncoders, decoders);
    }

    /** A copy with another {@link #bufferSends()}. */
    public Options withBufferSends(boolean value) {
      return new Options(framing, hasMultipleSend, value, limits, clientContentEncoders, decoders);
    }

    /** A copy with other {@link #limits()}. */
    public Options withLimits(Limits value) {
      return new Options(framing, hasMultipleSend, bufferSends, value, clientContentEncoders, decoders);
    }

    /** A copy with other {@link #clientContentEncoders()}. */
    public Options withClientContentEncoders(List<String> value) {
      return new Options(framing, hasMultipleSend, bufferSends, limits, value, decoders);
    }

    /** A copy with other {@link #decoders()}. */
    public Options withDecoders(ContentEncodings value) {
      return new Options(framing, hasMultipleSend, bufferSends, limits, clientContentEncoders, value);
    }
  }

  /** An input stream's decoding state (framing 0006). */
  private static final class InputStreamState {
    ContentDecoder decoder;
  }

  private final Options options;
  private final Framing framing;
  private final boolean hasMultipleSend;
  private final boolean bufferSends;
  private final Limits limits;
  private boolean protocolSettingsSent;
  private final Map<Integer, StreamingCborDecoder> streamSettingsDecoders = new HashMap<>();
  private final Map<Integer, List<Object>> streamSettingsValues = new HashMap<>();
  private boolean canIssueCommands = true;
  private boolean canSend = true;
  private int nextRequestId = 1;
  private final FrameStream outgoingStream = new FrameStream(1);
  private final Deque<CommandRequest> pendingRequests = new ArrayDeque<>();
  private final Map<Integer, CommandRequest> activeRequests = new LinkedHashMap<>();
  private final Map<Integer, InputStreamState> incomingStreams = new HashMap<>();

  /** A reactor behaving as {@code options} say. */
  public ClientReactor(Options options) {
    this.options = options;
    this.framing = options.framing();
    this.hasMultipleSend = options.hasMultipleSend();
    this.bufferSends = options.bufferSends();
    this.limits = options.limits();
  }

  /** The options the reactor was made with. */
  public Options options() {
    return options;
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
    return callCommand(name, args, data, null);
  }

  /**
   * {@link #callCommand(ByteString, Map, InputStream)} with a framing 0006 {@code redirect}
   * map (the redirect targets the client accepts and the hashes it knows), or {@code null}.
   */
  public Call callCommand(ByteString name, Map<?, ?> args, InputStream data, Map<?, ?> redirect) {
    if (redirect != null && !framing.hasContentEncoding()) {
      throw new IllegalArgumentException("framing " + framing + " has no redirects");
    }
    if (!canIssueCommands) {
      throw new IllegalStateException("cannot issue new commands");
    }
    if (nextRequestId > 0xffff) {
      throw new IllegalStateException("no request ids left");
    }
    int requestId = nextRequestId;
    nextRequestId += 2;
    CommandRequest request = new CommandRequest(requestId, name, args, data, redirect);
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
              request.data(), DEFAULT_MAX_FRAME_SIZE, request.redirect());
          List<String> encoders = options.clientContentEncoders();
          if (framing.hasContentEncoding() && !protocolSettingsSent && encoders != null && !encoders.isEmpty()) {
            protocolSettingsSent = true;
            return Frames.createSenderProtocolSettingsFrame(outgoingStream, request.requestId(), encoders);
          }
        }
        if (frames.hasNext()) {
          return frames.next();
        }
        request.state(CommandRequest.State.SENT);
        return null;
      }
    };
  }

  /**
   * Frees the content decoders of the response streams (native memory: a zstd window is up to
   * 8 MiB) now rather than when the garbage collector finds them: the transport calls this once
   * the exchange is over (its response ended or failed). Encoded frames received after it fail
   * with {@link IllegalStateException}. Calling it again does nothing.
   */
  public void close() {
    for (InputStreamState s : incomingStreams.values()) {
      if (s.decoder != null) {
        s.decoder.close();
      }
    }
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
      incomingStreams.put(frame.streamId(), new InputStreamState());
    }
    InputStreamState stream = incomingStreams.get(frame.streamId());
    // A decoded payload is data, not a frame on the wire: it may exceed a frame's 24-bit length
    // (a 32 KiB zstd frame of zeros decodes to megabytes), so it travels beside the frame.
    ByteString payload = frame.payload();
    if ((frame.streamFlags() & STREAM_FLAG_ENCODING_APPLIED) != 0) {
      if (!framing.hasContentEncoding()) {
        return new Action.Error(Action.ErrorKind.UNSUPPORTED,
            "support for decoding stream payloads not yet implemented");
      }
      if (stream.decoder != null) {
        try {
          payload = stream.decoder.decode(frame.payload());
        } catch (ContentDecodingException e) {
          return new Action.Error(Action.ErrorKind.ENCODING, "error decoding stream " + frame.streamId()
              + " payload: " + e.getMessage());
        }
      } else if (frame.payload().size() > limits.maxDecodedPayload()) {
        return new Action.Error(Action.ErrorKind.LIMIT, "stream " + frame.streamId()
            + " payload exceeds maximum decoded size " + limits.maxDecodedPayload());
      }
    }
    if ((frame.streamFlags() & STREAM_FLAG_END_STREAM) != 0) {
      incomingStreams.remove(frame.streamId());
    }
    if (frame.is(framing, FrameType.STREAM_SETTINGS) && framing.hasContentEncoding()) {
      return onStreamSettingsFrame(frame, payload);
    }
    CommandRequest request = activeRequests.get(frame.requestId());
    if (request == null) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "received frame for inactive request ID: " + frame.requestId());
    }
    request.state(CommandRequest.State.RECEIVING);
    if (frame.typeId() == FrameType.COMMAND_RESPONSE.id()) {
      return onCommandResponseFrame(request, frame, payload);
    } else if (frame.typeId() == FrameType.ERROR_RESPONSE.id()) {
      return onErrorResponseFrame(request, payload);
    }
    return new Action.Error(Action.ErrorKind.PROTOCOL, "unhandled frame type: " + frame.typeId());
  }

  private Action onStreamSettingsFrame(Frame frame, ByteString payload) {
    boolean more = (frame.flags() & FLAG_SETTINGS_CONTINUATION) != 0;
    boolean eos = (frame.flags() & FLAG_SETTINGS_EOS) != 0;
    if (more && eos) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "stream encoding settings frame cannot have both continuation and end of stream flags set");
    }
    if (!more && !eos) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "stream encoding settings frame must have continuation or end of stream flag set");
    }
    int streamId = frame.streamId();
    StreamingCborDecoder decoder = streamSettingsDecoders.computeIfAbsent(streamId,
        id -> new StreamingCborDecoder(new CborDecoder(limits.maxCborDepth(), limits.maxFramePayload())));
    List<Object> values = streamSettingsValues.computeIfAbsent(streamId, id -> new ArrayList<>());
    try {
      values.addAll(decoder.feed(payload));
    } catch (CborDecodeException e) {
      streamSettingsDecoders.remove(streamId);
      streamSettingsValues.remove(streamId);
      return new Action.Error(Action.ErrorKind.CBOR,
          "error decoding CBOR from stream encoding settings frame: " + e.getMessage());
    }
    if (values.size() > 16) {
      return new Action.Error(Action.ErrorKind.LIMIT, "stream encoding settings hold more than 16 values");
    }
    if (more) {
      return Action.Noop.INSTANCE;
    }
    streamSettingsDecoders.remove(streamId);
    streamSettingsValues.remove(streamId);
    if (values.isEmpty()) {
      return new Action.Error(Action.ErrorKind.CBOR, "stream encoding settings frame did not contain CBOR data");
    }
    try {
      decoder.finish();
    } catch (CborDecodeException e) {
      return new Action.Error(Action.ErrorKind.CBOR,
          "error setting stream decoder: settings end inside a CBOR value: " + e.getMessage());
    }
    InputStreamState stream = incomingStreams.get(streamId);
    if (stream == null) {
      // The reference looked the stream up after this very frame had ended it.
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "error setting stream decoder: stream " + streamId + " ended with its settings frame");
    }
    Object name = values.get(0);
    if (!(name instanceof ByteString)) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "error setting stream decoder: encoding name must be a byte string; got " + PythonLiteral.render(name));
    }
    String encoding = ((ByteString) name).toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!options.decoders().contains(encoding)) {
      return new Action.Error(Action.ErrorKind.PROTOCOL,
          "error setting stream decoder: unknown stream decoder: " + encoding);
    }
    if (values.size() > 1) {
      return new Action.Error(Action.ErrorKind.PROTOCOL, "error setting stream decoder: " + encoding
          + " decoder received unexpected additional values");
    }
    if (stream.decoder != null) {
      stream.decoder.close();
    }
    stream.decoder = options.decoders().newDecoder(encoding, limits.maxDecodedPayload()).orElseThrow();
    return Action.Noop.INSTANCE;
  }

  private Action onCommandResponseFrame(CommandRequest request, Frame frame, ByteString payload) {
    boolean eos = (frame.flags() & FLAG_COMMAND_RESPONSE_EOS) != 0;
    if (eos) {
      request.state(CommandRequest.State.RECEIVED);
      activeRequests.remove(request.requestId());
    }
    return new Action.ResponseData(request, (frame.flags() & FLAG_COMMAND_RESPONSE_CONTINUATION) != 0, eos,
        payload);
  }

  private Action onErrorResponseFrame(CommandRequest request, ByteString payload) {
    request.state(CommandRequest.State.ERRORED);
    activeRequests.remove(request.requestId());
    List<Object> values;
    try {
      values = CborDecoder.decodeAll(payload,
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
