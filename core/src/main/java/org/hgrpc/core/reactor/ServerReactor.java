package org.hgrpc.core.reactor;

import static org.hgrpc.core.frame.FrameConstants.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.frame.BufferingCommandResponseEmitter;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;

/**
 * The server side of the protocol (the reference's {@code serverreactor}): a state machine
 * that is told what happened (a frame arrived, a command produced output, input ended) and
 * answers with the {@link Action} to take. It does no I/O and runs no commands.
 *
 * <p>States and transitions on a received frame:
 *
 * <pre>
 * state              frame                                   action        next state
 * idle               command-request new, request complete   RunCommand    idle / command-receiving
 * idle               command-request new, more to come       WantFrame     command-receiving
 * idle               anything else                           Error         errored
 * command-receiving  command-request new                     (as idle)
 * command-receiving  command-request continuation            WantFrame or RunCommand
 * command-receiving  command-data continuation               WantFrame
 * command-receiving  command-data eos                        RunCommand
 * command-receiving  anything else                           Error         errored
 * errored            any frame                               Error         errored
 * </pre>
 *
 * <p>Before the state is consulted every frame must be on an odd stream, and a stream must
 * begin with the begin-stream flag. With deferred output (for half-duplex transports such as
 * HTTP) response frames are held until {@link #onInputEof()}.
 *
 * <p>Peer input never throws: every malformed frame or payload becomes an {@link Action.Error}
 * and the errored state. Where the reference raised (encoded streams, undecodable CBOR) this
 * returns an error too. Limits cap what a peer can make the reactor buffer. Not thread-safe.
 */
public final class ServerReactor {

  /** The reactor's states, with the reference's names. */
  public enum State {
    /** No request partly received. */
    IDLE("idle"),
    /** At least one request partly received. */
    COMMAND_RECEIVING("command-receiving"),
    /** A protocol error happened; every further frame is refused. */
    ERRORED("errored");

    private final String referenceName;

    State(String referenceName) {
      this.referenceName = referenceName;
    }

    /** The reference's name of the state. */
    public String referenceName() {
      return referenceName;
    }
  }

  private static final ByteString KEY_NAME = ByteString.latin1("name");
  private static final ByteString KEY_ARGS = ByteString.latin1("args");
  private static final ByteString ERROR_TYPE_SERVER = ByteString.latin1("server");

  /** A request being received. */
  private static final class Receiving {
    final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    ByteArrayOutputStream data;
    boolean requestDone;
    final boolean expectingData;
    int frames;

    Receiving(boolean expectingData) {
      this.expectingData = expectingData;
    }
  }

  private final boolean deferOutput;
  private final Limits limits;
  private State state = State.IDLE;
  private int nextOutgoingStreamId = 2;
  private final List<FrameIterator> bufferedFrameGens = new ArrayList<>();
  private final Map<Integer, FrameStream> incomingStreams = new HashMap<>();
  private final Map<Integer, FrameStream> outgoingStreams = new HashMap<>();
  private final Map<Integer, Receiving> receivingCommands = new LinkedHashMap<>();
  private final Set<Integer> activeCommands = new HashSet<>();
  // For the end-of-input rules: whether the peer sent anything, and asked for any command.
  private boolean anyFrameReceived;
  private boolean commandRequested;

  /**
   * A reactor.
   *
   * @param deferOutput hold all output frames until {@link #onInputEof()}, for transports that
   *     cannot send while receiving
   * @param limits bounds on what a client may make the reactor hold
   */
  public ServerReactor(boolean deferOutput, Limits limits) {
    this.deferOutput = deferOutput;
    this.limits = limits;
  }

  /** A reactor with {@link Limits#DEFAULTS}. */
  public ServerReactor(boolean deferOutput) {
    this(deferOutput, Limits.DEFAULTS);
  }

  /** The current state. */
  public State state() {
    return state;
  }

  /** Whether output is held until end of input. */
  public boolean defersOutput() {
    return deferOutput;
  }

  /** Request ids of commands dispatched whose output has not been fully made yet. */
  public Set<Integer> activeRequestIds() {
    return Set.copyOf(activeCommands);
  }

  /**
   * A frame arrived from the client ({@code onframerecv}).
   *
   * @return {@link Action.RunCommand}, {@link Action.WantFrame} or {@link Action.Error}
   */
  public Action onFrameReceived(Frame frame) {
    anyFrameReceived = true;
    if (frame.streamId() % 2 == 0) {
      return error(Action.ErrorKind.PROTOCOL, "received frame with even numbered stream ID: " + frame.streamId());
    }
    if (!incomingStreams.containsKey(frame.streamId())) {
      if ((frame.streamFlags() & STREAM_FLAG_BEGIN_STREAM) == 0) {
        return error(Action.ErrorKind.PROTOCOL,
            "received frame on unknown inactive stream without beginning of stream flag set");
      }
      incomingStreams.put(frame.streamId(), new FrameStream(frame.streamId()));
    }
    if ((frame.streamFlags() & STREAM_FLAG_ENCODING_APPLIED) != 0) {
      return error(Action.ErrorKind.UNSUPPORTED, "support for decoding stream payloads not yet implemented");
    }
    if ((frame.streamFlags() & STREAM_FLAG_END_STREAM) != 0) {
      incomingStreams.remove(frame.streamId());
    }
    switch (state) {
      case IDLE:
        return onFrameIdle(frame);
      case COMMAND_RECEIVING:
        return onFrameCommandReceiving(frame);
      default:
        return new Action.Error(Action.ErrorKind.PROTOCOL, "server already errored");
    }
  }

  /**
   * A command's whole output is ready as bytes ({@code oncommandresponseready}).
   *
   * @return {@link Action.SendFrames}, or {@link Action.Noop} when output is deferred
   */
  public Action onCommandResponseReady(FrameStream stream, int requestId, ByteString data) {
    ensureServerStream(stream);
    ensureActive(requestId);
    FrameIterator frames = Frames.createCommandResponseFramesFromBytes(stream, requestId, data);
    return handleSendFrames(thenRetire(frames, requestId));
  }

  /**
   * A command's output is ready as objects to encode as CBOR
   * ({@code oncommandresponsereadyobjects}). The objects are pulled while the frames are
   * taken, so output can be produced as it is sent. A {@link CommandError} thrown while
   * iterating becomes a command error response; any other exception, while iterating or
   * encoding, becomes a server error frame. An {@link IndefiniteByteString} object is pulled
   * chunk by chunk.
   */
  public Action onCommandResponseReadyObjects(FrameStream stream, int requestId, Iterator<?> objects) {
    ensureServerStream(stream);
    ensureActive(requestId);
    return handleSendFrames(new ObjectResponseFrames(stream, requestId, objects));
  }

  /**
   * End of input ({@code oninputeof}): no more frames will arrive.
   *
   * <p>Input that ends inside a request is an error (the reference ignores it, leaving its
   * caller to notice or not): the peer cut a request short, and it will never run. With
   * deferred output, the input is all a half-duplex peer will ever send in this exchange (an
   * HTTP request body, say), so input that ends before it asked for any command is an error
   * too: without it the peer would get an empty answer and no reason. These are
   * {@link Action.ErrorKind#INCOMPLETE} errors; the messages speak of the "request body",
   * the name Mercurial's documents give the client's frames of one exchange. After an error
   * the reactor already reported, end of input is a {@link Action.Noop}.
   *
   * @return an {@link Action.ErrorKind#INCOMPLETE} {@link Action.Error} as above; else, with
   *     deferred output, {@link Action.SendFrames} of everything held; otherwise
   *     {@link Action.Noop}
   */
  public Action onInputEof() {
    if (state == State.COMMAND_RECEIVING) {
      return error(Action.ErrorKind.INCOMPLETE, "request body ended before the command request was complete");
    }
    if (deferOutput && state == State.IDLE && !commandRequested) {
      return error(Action.ErrorKind.INCOMPLETE, anyFrameReceived
          ? "request body held no complete command request"
          : "request body is empty: expected command request frames");
    }
    if (!deferOutput || bufferedFrameGens.isEmpty()) {
      return Action.Noop.INSTANCE;
    }
    List<FrameIterator> gens = new ArrayList<>(bufferedFrameGens);
    bufferedFrameGens.clear();
    return new Action.SendFrames(FrameIterator.concat(gens.iterator()));
  }

  /** Running a command failed on the server's side ({@code onservererror}): an error frame of type {@code server}. */
  public Action onServerError(FrameStream stream, int requestId, String message) {
    ensureServerStream(stream);
    ensureActive(requestId);
    FrameIterator frames = FrameIterator.lazy(() -> Frames.createErrorFrame(stream, requestId, ByteString.utf8(message),
        ERROR_TYPE_SERVER));
    return handleSendFrames(thenRetire(frames, requestId));
  }

  /**
   * A command failed before producing output ({@code oncommanderror}): a command error
   * response whose {@code message} has {@code %s} placeholders for {@code args}.
   */
  public Action onCommandError(FrameStream stream, int requestId, ByteString message, List<?> args) {
    ensureServerStream(stream);
    ensureActive(requestId);
    FrameIterator frames = FrameIterator.lazy(() -> Frames.createCommandErrorResponse(stream, requestId, message, args));
    return handleSendFrames(thenRetire(frames, requestId));
  }

  /** A new stream for sending to the client ({@code makeoutputstream}): ids 2, 4, 6, ... */
  public FrameStream makeOutputStream() {
    int streamId = nextOutgoingStreamId;
    if (streamId > 254) {
      throw new IllegalStateException("no stream ids left");
    }
    nextOutgoingStreamId += 2;
    FrameStream s = new FrameStream(streamId);
    outgoingStreams.put(streamId, s);
    return s;
  }

  // ---- receiving ----

  private Action onFrameIdle(Frame frame) {
    if (frame.typeId() != FrameType.COMMAND_REQUEST.id()) {
      return error(Action.ErrorKind.PROTOCOL, "expected command request frame; got " + frame.typeId());
    }
    Action invalid = validateCommandRequestFrame(frame);
    if (invalid != null) {
      return invalid;
    }
    if (receivingCommands.containsKey(frame.requestId())) {
      return error(Action.ErrorKind.PROTOCOL, "request with ID " + frame.requestId() + " already received");
    }
    if (activeCommands.contains(frame.requestId())) {
      return error(Action.ErrorKind.PROTOCOL, "request with ID " + frame.requestId() + " is already active");
    }
    boolean isNew = (frame.flags() & FLAG_COMMAND_REQUEST_NEW) != 0;
    boolean moreFrames = (frame.flags() & FLAG_COMMAND_REQUEST_MORE_FRAMES) != 0;
    boolean expectingData = (frame.flags() & FLAG_COMMAND_REQUEST_EXPECT_DATA) != 0;
    if (!isNew) {
      return error(Action.ErrorKind.PROTOCOL, "received command request frame without new flag set");
    }
    if (receivingCommands.size() + activeCommands.size() >= limits.maxRequestsInFlight()) {
      return error(Action.ErrorKind.LIMIT,
          "too many requests in flight: maximum is " + limits.maxRequestsInFlight());
    }
    Receiving entry = new Receiving(expectingData);
    Action over = append(entry, frame, entry.payload, limits.maxArgumentBytes(), "command request");
    if (over != null) {
      return over;
    }
    entry.requestDone = !moreFrames;
    receivingCommands.put(frame.requestId(), entry);
    if (!moreFrames && !expectingData) {
      return makeRunCommandResult(frame.requestId());
    }
    state = State.COMMAND_RECEIVING;
    return new Action.WantFrame(state);
  }

  private Action onFrameCommandReceiving(Frame frame) {
    if (frame.typeId() == FrameType.COMMAND_REQUEST.id()) {
      if ((frame.flags() & FLAG_COMMAND_REQUEST_NEW) != 0) {
        return onFrameIdle(frame);
      }
      Action invalid = validateCommandRequestFrame(frame);
      if (invalid != null) {
        return invalid;
      }
    }
    if (activeCommands.contains(frame.requestId())) {
      return error(Action.ErrorKind.PROTOCOL,
          "received frame for request that is still active: " + frame.requestId());
    }
    Receiving entry = receivingCommands.get(frame.requestId());
    if (entry == null) {
      return error(Action.ErrorKind.PROTOCOL,
          "received frame for request that is not receiving: " + frame.requestId());
    }
    if (frame.typeId() == FrameType.COMMAND_REQUEST.id()) {
      boolean moreFrames = (frame.flags() & FLAG_COMMAND_REQUEST_MORE_FRAMES) != 0;
      boolean expectingData = (frame.flags() & FLAG_COMMAND_REQUEST_EXPECT_DATA) != 0;
      if (entry.requestDone) {
        return error(Action.ErrorKind.PROTOCOL,
            "received command request frame when request frames were supposedly done");
      }
      if (expectingData != entry.expectingData) {
        return error(Action.ErrorKind.PROTOCOL, "mismatch between expect data flag and previous frame");
      }
      Action over = append(entry, frame, entry.payload, limits.maxArgumentBytes(), "command request");
      if (over != null) {
        return over;
      }
      if (!moreFrames) {
        entry.requestDone = true;
      }
      if (!moreFrames && !expectingData) {
        return makeRunCommandResult(frame.requestId());
      }
      return new Action.WantFrame(state);
    } else if (frame.typeId() == FrameType.COMMAND_DATA.id()) {
      if (!entry.expectingData) {
        return error(Action.ErrorKind.PROTOCOL,
            "received command data frame for request that is not expecting data: " + frame.requestId());
      }
      if (entry.data == null) {
        entry.data = new ByteArrayOutputStream();
      }
      return handleCommandDataFrame(frame, entry);
    }
    return error(Action.ErrorKind.PROTOCOL, "received unexpected frame type: " + frame.typeId());
  }

  private Action handleCommandDataFrame(Frame frame, Receiving entry) {
    Action over = append(entry, frame, entry.data, limits.maxCommandDataBytes(), "command data");
    if (over != null) {
      return over;
    }
    if ((frame.flags() & FLAG_COMMAND_DATA_CONTINUATION) != 0) {
      return new Action.WantFrame(state);
    } else if ((frame.flags() & FLAG_COMMAND_DATA_EOS) != 0) {
      return makeRunCommandResult(frame.requestId());
    }
    return error(Action.ErrorKind.PROTOCOL, "command data frame without flags");
  }

  /** Adds a frame's payload to a request, enforcing the frame count and size limits. */
  private Action append(Receiving entry, Frame frame, ByteArrayOutputStream into, long maxBytes, String what) {
    entry.frames++;
    if (entry.frames > limits.maxFramesPerRequest()) {
      return error(Action.ErrorKind.LIMIT, "request " + frame.requestId() + " exceeds maximum of "
          + limits.maxFramesPerRequest() + " frames");
    }
    long size = (long) into.size() + frame.payload().size();
    if (size > maxBytes) {
      return error(Action.ErrorKind.LIMIT, what + " of request " + frame.requestId() + " exceeds maximum size "
          + maxBytes + ": " + size + " bytes");
    }
    into.writeBytes(frame.payload().toByteArray());
    return null;
  }

  private Action validateCommandRequestFrame(Frame frame) {
    boolean isNew = (frame.flags() & FLAG_COMMAND_REQUEST_NEW) != 0;
    boolean continuation = (frame.flags() & FLAG_COMMAND_REQUEST_CONTINUATION) != 0;
    if (isNew && continuation) {
      return error(Action.ErrorKind.PROTOCOL,
          "received command request frame with both new and continuation flags set");
    }
    if (!isNew && !continuation) {
      return error(Action.ErrorKind.PROTOCOL,
          "received command request frame with neither new nor continuation flags set");
    }
    return null;
  }

  private Action makeRunCommandResult(int requestId) {
    Receiving entry = receivingCommands.remove(requestId);
    state = receivingCommands.isEmpty() ? State.IDLE : State.COMMAND_RECEIVING;

    List<Object> values;
    try {
      values = CborDecoder.decodeAll(ByteString.wrap(entry.payload.toByteArray()),
          new CborDecoder(limits.maxCborDepth(), limits.maxArgumentBytes()));
    } catch (CborDecodeException e) {
      return error(Action.ErrorKind.CBOR, "command request is not valid CBOR: " + e.getMessage());
    }
    if (values.isEmpty()) {
      return error(Action.ErrorKind.CBOR, "command request is empty");
    }
    Object first = values.get(0);
    if (!(first instanceof Map)) {
      // The reference tests "b'name' in request", which a list, set or byte string answers;
      // when that test fails it reports the missing name, as we do. Otherwise it would raise.
      boolean hasName = first instanceof java.util.Collection ? ((java.util.Collection<?>) first).contains(KEY_NAME)
          : first instanceof ByteString && contains((ByteString) first, KEY_NAME);
      if ((first instanceof java.util.Collection || first instanceof ByteString) && !hasName) {
        return error(Action.ErrorKind.PROTOCOL, "command request missing \"name\" field");
      }
      return error(Action.ErrorKind.CBOR, "command request must be a CBOR map");
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> request = (Map<Object, Object>) first;
    if (!request.containsKey(KEY_NAME)) {
      return error(Action.ErrorKind.PROTOCOL, "command request missing \"name\" field");
    }
    if (!(request.get(KEY_NAME) instanceof ByteString)) {
      return error(Action.ErrorKind.PROTOCOL, "command request \"name\" field must be a byte string");
    }
    Object args = request.getOrDefault(KEY_ARGS, new LinkedHashMap<>());
    if (!(args instanceof Map)) {
      return error(Action.ErrorKind.PROTOCOL, "command request \"args\" field must be a map");
    }
    activeCommands.add(requestId);
    commandRequested = true;
    @SuppressWarnings("unchecked")
    Map<Object, Object> argsMap = (Map<Object, Object>) args;
    return new Action.RunCommand(requestId, (ByteString) request.get(KEY_NAME), argsMap,
        entry.data == null ? null : ByteString.wrap(entry.data.toByteArray()));
  }

  private static boolean contains(ByteString haystack, ByteString needle) {
    for (int i = 0; i + needle.size() <= haystack.size(); i++) {
      if (haystack.substring(i, i + needle.size()).equals(needle)) {
        return true;
      }
    }
    return false;
  }

  private Action error(Action.ErrorKind kind, String message) {
    state = State.ERRORED;
    return new Action.Error(kind, message);
  }

  // ---- sending ----

  private Action handleSendFrames(FrameIterator frames) {
    if (deferOutput) {
      bufferedFrameGens.add(frames);
      return Action.Noop.INSTANCE;
    }
    return new Action.SendFrames(frames);
  }

  /** The frames, then the request leaves the active set (as the reference's generators do). */
  private FrameIterator thenRetire(FrameIterator frames, int requestId) {
    return new FrameIterator() {
      @Override
      protected Frame computeNext() {
        if (frames.hasNext()) {
          return frames.next();
        }
        activeCommands.remove(requestId);
        return null;
      }
    };
  }

  private static void ensureServerStream(FrameStream stream) {
    if (stream.streamId() % 2 != 0) {
      throw new IllegalArgumentException(
          "server should only write to even numbered streams; " + stream.streamId() + " is not even");
    }
  }

  private void ensureActive(int requestId) {
    if (!activeCommands.contains(requestId)) {
      throw new IllegalStateException("request " + requestId + " is not an active command");
    }
  }

  /**
   * The frames of an objects response, made as they are taken: the ok frame before the first
   * object, the objects' CBOR coalesced by the emitter, then the end-of-stream frame, or an
   * error response in place of what failed.
   */
  private final class ObjectResponseFrames extends FrameIterator {
    private final FrameStream stream;
    private final int requestId;
    private final Iterator<?> objects;
    private final BufferingCommandResponseEmitter emitter;
    private final ArrayDeque<Frame> ready = new ArrayDeque<>();
    // Made once per response, not per object or chunk.
    private final java.util.function.Consumer<Frame> readySink = ready::add;
    private org.hgrpc.core.cbor.ChunkSink encodeSink;
    private Iterator<ByteString> pendingChunks;
    private boolean emitted;
    private boolean finished;

    ObjectResponseFrames(FrameStream stream, int requestId, Iterator<?> objects) {
      this.stream = stream;
      this.requestId = requestId;
      this.objects = objects;
      this.emitter = new BufferingCommandResponseEmitter(stream, requestId);
    }

    @Override
    protected Frame computeNext() {
      while (ready.isEmpty() && !finished) {
        step();
      }
      return ready.poll();
    }

    /** Advances by one object (or one chunk of an indefinite byte string). */
    private void step() {
      if (pendingChunks != null) {
        try {
          if (pendingChunks.hasNext()) {
            ByteString chunk = pendingChunks.next();
            emitter.send(chunk, readySink);
            return;
          }
          pendingChunks = null;
          return;
        } catch (RuntimeException e) {
          fail(e);
          return;
        }
      }
      Object o;
      try {
        if (!objects.hasNext()) {
          emitter.flush(readySink);
          if (emitted) {
            ready.add(Frames.createCommandResponseEosFrame(stream, requestId));
          }
          finish();
          return;
        }
        o = objects.next();
      } catch (CommandError e) {
        ready.add(Frames.createCommandErrorResponse(stream, requestId, e.format(), e.args()));
        finish();
        return;
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      try {
        if (!emitted) {
          ready.add(Frames.createCommandResponseOkFrame(stream, requestId));
          emitted = true;
        }
        if (o instanceof IndefiniteByteString) {
          pendingChunks = CborEncoder.indefiniteChunks((IndefiniteByteString) o);
        } else {
          if (encodeSink == null) {
            encodeSink = (b, off, len) -> emitter.send(b, off, len, readySink);
          }
          CborEncoder.streamEncode(o, encodeSink);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void fail(RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      ready.add(Frames.createErrorFrame(stream, requestId, ByteString.utf8(message), ERROR_TYPE_SERVER));
      finish();
    }

    private void finish() {
      finished = true;
      activeCommands.remove(requestId);
    }
  }
}
