package org.hgrpc.core.fuzz;

import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_DATA_CONTINUATION;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_DATA_EOS;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_CONTINUATION;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_EXPECT_DATA;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_NEW;
import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_BEGIN_STREAM;
import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_ENCODING_APPLIED;
import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_END_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * Fuzzes the {@link ServerReactor} with sequences of frames, answering every command it asks
 * to run in a fuzzer-chosen way (bytes, objects, a command error, a server error or not at
 * all), then ending the input.
 *
 * <p>Properties checked, with and without deferred output and for {@link Limits#DEFAULTS} and
 * a tight variant:
 *
 * <ul>
 *   <li>no exception escapes the reactor, whatever the frames and whatever the command output
 *       (objects that cannot be encoded, iterators throwing {@link CommandError} or a
 *       {@link RuntimeException}), and every frame iterator it returns can be drained;
 *   <li>handling a frame allocates memory in proportion to the payload bytes received, never
 *       more than 32 times them plus 64 MiB (room for class loading and first-use linking),
 *       so a small request cannot make the server hold gigabytes (the {@link Limits} promise);
 *   <li>every frame it sends is on an even (server) stream;
 *   <li>the stream rules come first, as in the reference: a frame on an even stream, on an
 *       unknown stream without the begin flag, or with the encoding flag gets that error;
 *   <li>after an {@link Action.Error} the reactor stays {@link ServerReactor.State#ERRORED}
 *       and answers every later frame with an error, {@code server already errored} for
 *       every frame that passes the stream rules.
 * </ul>
 *
 * <p>The frames are built from the input in one of two ways, chosen by the last byte (bit 2;
 * bit 0 chooses deferred output, bit 1 the tight limits). Structured: whole requests (often
 * valid, often split over several frames with command data), single continuation or data
 * frames, and random frames, each sometimes with one field corrupted. Wire: frame bytes from
 * the start of the input, whose length is given by the three bytes before the last one (least
 * significant first), cut into frames by a {@link FrameDecoder}; this is the layout of the
 * seeds under {@code ServerReactorFuzzTestInputs}, made from the conformance vectors.
 */
@org.junit.jupiter.api.Tag("fuzz")
class ServerReactorFuzzTest {

  private static final Limits TIGHT = new Limits(64, 4, 4, 64, 128, 2);
  private static final ByteString NAME = ByteString.latin1("name");
  private static final ByteString ARGS = ByteString.latin1("args");
  private static final int MAX_OUTPUT_STREAMS = 100;
  private static final long ALLOCATION_FACTOR = 32;
  private static final long ALLOCATION_SLACK = 64 << 20;

  @FuzzTest
  void reactorTurnsAnyInputIntoActions(FuzzedDataProvider data) {
    int setup = data.consumeInt(0, 7);
    boolean deferOutput = (setup & 1) != 0;
    Limits limits = (setup & 2) != 0 ? TIGHT : Limits.DEFAULTS;
    Session session = new Session(data, new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferOutput).withLimits(limits)));
    if ((setup & 4) != 0) {
      for (Frame f : framesFromWire(data)) {
        session.receive(f);
      }
    } else {
      int requests = data.consumeInt(1, 12);
      for (int i = 0; i < requests; i++) {
        for (Frame f : structuredFrames(data)) {
          session.receive(f);
        }
      }
    }
    session.endInput();
  }

  /** One reactor with what the test knows about it. */
  private static final class Session {
    private final FuzzedDataProvider data;
    private final ServerReactor reactor;
    private final Set<Integer> openStreams = new HashSet<>();
    private final List<FrameStream> outputStreams = new ArrayList<>();
    private long payloadBytesReceived;
    private boolean errored;

    Session(FuzzedDataProvider data, ServerReactor reactor) {
      this.data = data;
      this.reactor = reactor;
    }

    /** Hands a frame to the reactor and checks and handles what it asks for. */
    void receive(Frame frame) {
      String streamError = streamRuleBroken(frame);
      payloadBytesReceived += frame.payload().size();
      long before = allocatedBytes();
      Action action = reactor.onFrameReceived(frame);
      long allocated = allocatedBytes() - before;
      assertNotNull(action, "no action for " + frame);
      assertTrue(before < 0 || allocated <= ALLOCATION_FACTOR * payloadBytesReceived + ALLOCATION_SLACK,
          "handling " + frame + " allocated " + allocated + " bytes after " + payloadBytesReceived
              + " payload bytes received");
      if (streamError != null || errored) {
        Action.Error error = assertInstanceOf(Action.Error.class, action, "expected an error for " + frame);
        assertEquals(streamError != null ? streamError : "server already errored", error.message());
      }
      if (action instanceof Action.Error) {
        errored = true;
      }
      if (errored) {
        assertEquals(ServerReactor.State.ERRORED, reactor.state(), "not errored after an error");
      }
      if (action instanceof Action.RunCommand run) {
        respond(run);
      } else if (action instanceof Action.SendFrames send) {
        drain(send);
      }
    }

    /** Ends the input and sends whatever was deferred. */
    void endInput() {
      ServerReactor.State before = reactor.state();
      Action action = reactor.onInputEof();
      if (action instanceof Action.SendFrames send) {
        drain(send);
      } else if (action instanceof Action.Error error) {
        // Only input cut inside a request, or a deferred exchange that never asked for a command.
        assertEquals(Action.ErrorKind.INCOMPLETE, error.kind());
        assertTrue(before == ServerReactor.State.COMMAND_RECEIVING
            || (reactor.defersOutput() && before == ServerReactor.State.IDLE), "end of input in " + before);
      } else {
        assertInstanceOf(Action.Noop.class, action);
      }
    }

    /**
     * The reactor's stream rules, applied before its state is consulted: the error message a
     * frame must get, or null. Tracks the open streams as the reactor does.
     */
    private String streamRuleBroken(Frame frame) {
      int id = frame.streamId();
      if (id % 2 == 0) {
        return "received frame with even numbered stream ID: " + id;
      }
      if (!openStreams.contains(id)) {
        if ((frame.streamFlags() & STREAM_FLAG_BEGIN_STREAM) == 0) {
          return "received frame on unknown inactive stream without beginning of stream flag set";
        }
        openStreams.add(id);
      }
      if ((frame.streamFlags() & STREAM_FLAG_ENCODING_APPLIED) != 0) {
        return "support for decoding stream payloads not yet implemented";
      }
      if ((frame.streamFlags() & STREAM_FLAG_END_STREAM) != 0) {
        openStreams.remove(id);
      }
      return null;
    }

    /** Answers a command in one of the ways a command can end, or leaves it unanswered. */
    private void respond(Action.RunCommand run) {
      FrameStream stream = outputStream();
      int id = run.requestId();
      Action action;
      switch (data.consumeInt(0, 4)) {
        case 0 -> action = reactor.onCommandResponseReady(stream, id, bytes(data, 40_000));
        case 1 -> action = reactor.onCommandResponseReadyObjects(stream, id, objects(data));
        case 2 -> action = reactor.onCommandError(stream, id, bytes(data, 100), List.of(bytes(data, 20)));
        case 3 -> action = reactor.onServerError(stream, id, data.consumeString(100));
        default -> {
          return;
        }
      }
      if (reactor.defersOutput()) {
        assertInstanceOf(Action.Noop.class, action, "deferred output was not deferred");
      } else {
        drain(assertInstanceOf(Action.SendFrames.class, action));
      }
    }

    /** A stream from {@link ServerReactor#makeOutputStream()}, sometimes one made before. */
    private FrameStream outputStream() {
      if (outputStreams.isEmpty() || (data.consumeBoolean() && outputStreams.size() < MAX_OUTPUT_STREAMS)) {
        outputStreams.add(reactor.makeOutputStream());
      }
      return outputStreams.get(data.consumeInt(0, outputStreams.size() - 1));
    }

    private static void drain(Action.SendFrames send) {
      send.frames().forEachRemaining(f -> assertEquals(0, f.streamId() % 2, "server sent on an odd stream: " + f));
    }
  }

  /** Bytes allocated by this thread so far, or -1 where the JVM cannot tell. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
        && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
      return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  // ---- frames ----

  /** Frames cut from wire bytes at the start of the input; stops at the first bad frame. */
  private static List<Frame> framesFromWire(FuzzedDataProvider data) {
    byte[] wire = data.consumeBytes(data.consumeInt(0, 0xffffff));
    List<Frame> frames = new ArrayList<>();
    try {
      new FrameDecoder(Limits.DEFAULTS).feed(wire, 0, wire.length, frames::add);
    } catch (ProtocolException e) {
      // Keep the frames before the bad one.
    }
    return frames;
  }

  /** The frames of one request or one stray frame, sometimes with one field corrupted. */
  private static List<Frame> structuredFrames(FuzzedDataProvider data) {
    List<Frame> frames = switch (data.consumeInt(0, 4)) {
      case 0 -> List.of(commandRequest(data, requestId(data), FLAG_COMMAND_REQUEST_NEW, requestPayload(data)));
      case 1 -> splitRequest(data);
      case 2 -> List.of(commandRequest(data, requestId(data), FLAG_COMMAND_REQUEST_CONTINUATION
          | (data.consumeBoolean() ? FLAG_COMMAND_REQUEST_MORE_FRAMES : 0), bytes(data, 64)));
      case 3 -> List.of(new Frame(requestId(data), clientStream(data), streamFlags(data), FrameType.COMMAND_DATA,
          data.consumeBoolean() ? FLAG_COMMAND_DATA_EOS : FLAG_COMMAND_DATA_CONTINUATION, bytes(data, 64)));
      default -> List.of(randomFrame(data));
    };
    if (!frames.isEmpty() && data.consumeInt(0, 7) == 0) {
      List<Frame> corrupted = new ArrayList<>(frames);
      int i = data.consumeInt(0, frames.size() - 1);
      corrupted.set(i, corrupt(data, frames.get(i)));
      return corrupted;
    }
    return frames;
  }

  /** A request's CBOR split over several command-request frames, then maybe command data. */
  private static List<Frame> splitRequest(FuzzedDataProvider data) {
    int requestId = requestId(data);
    boolean withData = data.consumeBoolean();
    int expectData = withData ? FLAG_COMMAND_REQUEST_EXPECT_DATA : 0;
    ByteString payload = requestPayload(data);
    List<Frame> frames = new ArrayList<>();
    int pieces = data.consumeInt(1, 4);
    int from = 0;
    for (int i = 0; i < pieces; i++) {
      boolean last = i == pieces - 1;
      int to = last ? payload.size() : data.consumeInt(from, payload.size());
      int flags = (i == 0 ? FLAG_COMMAND_REQUEST_NEW : FLAG_COMMAND_REQUEST_CONTINUATION)
          | (last ? 0 : FLAG_COMMAND_REQUEST_MORE_FRAMES) | expectData;
      frames.add(commandRequest(data, requestId, flags, payload.substring(from, to)));
      from = to;
    }
    if (withData) {
      int dataFrames = data.consumeInt(1, 3);
      for (int i = 0; i < dataFrames; i++) {
        int flags = i == dataFrames - 1 ? FLAG_COMMAND_DATA_EOS : FLAG_COMMAND_DATA_CONTINUATION;
        frames.add(new Frame(requestId, 1, 0, FrameType.COMMAND_DATA, flags, bytes(data, 100)));
      }
    }
    return frames;
  }

  private static Frame commandRequest(FuzzedDataProvider data, int requestId, int flags, ByteString payload) {
    return new Frame(requestId, clientStream(data), streamFlags(data), FrameType.COMMAND_REQUEST, flags, payload);
  }

  /** Any frame at all. */
  private static Frame randomFrame(FuzzedDataProvider data) {
    return new Frame(data.consumeInt(0, 0xffff), data.consumeInt(0, 0xff), data.consumeInt(0, 0xff),
        data.consumeInt(0, 15), data.consumeInt(0, 15), bytes(data, 100));
  }

  /** The frame with one header field replaced by any value it can hold. */
  private static Frame corrupt(FuzzedDataProvider data, Frame f) {
    int[] fields = {f.requestId(), f.streamId(), f.streamFlags(), f.typeId(), f.flags()};
    int[] widths = {0xffff, 0xff, 0xff, 15, 15};
    int i = data.consumeInt(0, fields.length - 1);
    fields[i] = data.consumeInt(0, widths[i]);
    return new Frame(fields[0], fields[1], fields[2], fields[3], fields[4], f.payload());
  }

  /** Mostly request 1, otherwise a small odd id or any id. */
  private static int requestId(FuzzedDataProvider data) {
    int choice = data.consumeInt(0, 9);
    return choice < 8 ? 1 + 2 * choice : data.consumeInt(0, 0xffff);
  }

  /** Mostly stream 1, sometimes 3. */
  private static int clientStream(FuzzedDataProvider data) {
    return data.consumeInt(0, 3) == 3 ? 3 : 1;
  }

  /** Mostly begin-stream, sometimes nothing or begin and end. */
  private static int streamFlags(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 4 -> 0;
      case 5 -> STREAM_FLAG_BEGIN_STREAM | STREAM_FLAG_END_STREAM;
      default -> STREAM_FLAG_BEGIN_STREAM;
    };
  }

  /** A command request's CBOR: usually a valid map, sometimes a wrong one or random bytes. */
  private static ByteString requestPayload(FuzzedDataProvider data) {
    Map<Object, Object> request = new LinkedHashMap<>();
    switch (data.consumeInt(0, 7)) {
      case 0, 1, 2 -> request.put(NAME, ByteString.latin1("x"));
      case 3 -> {
        request.put(NAME, bytes(data, 20));
        request.put(ARGS, map(data, 0));
      }
      case 4 -> {
        request.put(NAME, value(data, 2));
        request.put(ARGS, value(data, 1));
      }
      case 5 -> request.putAll(map(data, 0));
      case 6 -> {
        return CborEncoder.encodeToByteString(value(data, 0));
      }
      default -> {
        return bytes(data, 64);
      }
    }
    return CborEncoder.encodeToByteString(request);
  }

  // ---- values and command output ----

  /** Objects for a command to return, from a list or an iterator that fails part way. */
  private static Iterator<?> objects(FuzzedDataProvider data) {
    List<Object> items = new ArrayList<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      items.add(outputObject(data));
    }
    return switch (data.consumeInt(0, 3)) {
      case 0 -> failingAfter(items, new CommandError(bytes(data, 30), List.of(bytes(data, 10), bytes(data, 10))));
      case 1 -> failingAfter(items, data.consumeBoolean() ? new IllegalStateException() : new RuntimeException("boom"));
      default -> items.iterator();
    };
  }

  /** An object a command may return: a CBOR value, something that cannot be encoded, or streamed bytes. */
  private static Object outputObject(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 0 -> new Object();
      case 1 -> "a java.lang.String, which CBOR here cannot encode";
      case 2 -> IndefiniteByteString.split(bytes(data, 200_000), data.consumeInt(1, 70_000));
      case 3 -> IndefiniteByteString.fromChunks(
          failingAfter(List.of(bytes(data, 100)), new RuntimeException("read failed")));
      case 4 -> nested(data.consumeInt(0, 1500));
      default -> value(data, 0);
    };
  }

  /** {@code depth} lists, one inside the other. */
  private static Object nested(int depth) {
    Object v = List.of();
    for (int i = 0; i < depth; i++) {
      v = List.of(v);
    }
    return v;
  }

  /** An iterator over {@code items} that then throws {@code failure}. */
  private static <T> Iterator<T> failingAfter(List<T> items, RuntimeException failure) {
    Iterator<T> it = items.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (!it.hasNext()) {
          throw failure;
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }
    };
  }

  /** A CBOR value of the protocol's model, nested at most a few levels. */
  private static Object value(FuzzedDataProvider data, int depth) {
    int kinds = depth >= 3 ? 4 : 7;
    return switch (data.consumeInt(0, kinds)) {
      case 0 -> bytes(data, 50);
      case 1 -> data.consumeLong();
      case 2 -> BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(data.consumeInt(1, 1000)));
      case 3 -> data.consumeBoolean();
      case 4 -> null;
      case 5 -> list(data, depth + 1);
      case 6 -> set(data);
      default -> map(data, depth + 1);
    };
  }

  private static List<Object> list(FuzzedDataProvider data, int depth) {
    List<Object> l = new ArrayList<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      l.add(value(data, depth));
    }
    return l;
  }

  private static Map<Object, Object> map(FuzzedDataProvider data, int depth) {
    Map<Object, Object> m = new LinkedHashMap<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      m.put(simpleValue(data), value(data, depth));
    }
    return m;
  }

  private static Set<Object> set(FuzzedDataProvider data) {
    Set<Object> s = new LinkedHashSet<>();
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      s.add(simpleValue(data));
    }
    return s;
  }

  /** A value that may be a map key or set member. */
  private static Object simpleValue(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong();
      case 1 -> data.consumeBoolean();
      case 2 -> null;
      default -> bytes(data, 20);
    };
  }

  /** Up to {@code max} bytes of the input. */
  private static ByteString bytes(FuzzedDataProvider data, int max) {
    return ByteString.wrap(data.consumeBytes(data.consumeInt(0, max)));
  }
}
