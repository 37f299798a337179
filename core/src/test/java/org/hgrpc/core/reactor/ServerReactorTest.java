package org.hgrpc.core.reactor;

import static org.hgrpc.core.frame.FrameConstants.*;
import static org.hgrpc.core.reactor.ReactorTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.cbor.StreamingCborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.Action.ErrorKind;
import org.hgrpc.core.reactor.ServerReactor.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerReactorTest {

  /** {b'name': b'heads'} is a1 44 'name' 45 'heads'; these are its two halves. */
  private static final String HEADS_FIRST_HALF = "\\xa1Dname";
  private static final String HEADS_SECOND_HALF = "Eheads";
  private static final String HEADS = "cbor:{b'name': b'heads'}";

  private static ServerReactor reactor() {
    return new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false));
  }

  // ---- the state x input table ----

  /** A way to bring a fresh reactor into a state. */
  private enum Setup {
    /** Nothing received. */
    IDLE(r -> {}),
    /** Request 1 on stream 1 has sent the first half of its command request, no data. */
    RECEIVING_MORE_REQUEST(r -> r.onFrameReceived(frame("1 1 stream-begin command-request new|more " + HEADS_FIRST_HALF))),
    /** Request 1 on stream 1 has sent its whole command request and announced data. */
    RECEIVING_DATA(r -> r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data " + HEADS))),
    /** Request 1 was dispatched and request 3 is receiving data. */
    ACTIVE_AND_RECEIVING(r -> {
      r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS));
      r.onFrameReceived(frame("3 1 0 command-request new|have-data " + HEADS));
    }),
    /** A protocol error on stream 1 (which is known). */
    ERRORED(r -> r.onFrameReceived(frame("1 1 stream-begin command-data eos x")));

    final Consumer<ServerReactor> apply;

    Setup(Consumer<ServerReactor> apply) {
      this.apply = apply;
    }

    ServerReactor make() {
      ServerReactor r = reactor();
      apply.accept(r);
      return r;
    }
  }

  private static Arguments row(Setup setup, String frame, Class<? extends Action> action, State next, String error) {
    return Arguments.of(setup, frame, action, next, error);
  }

  static Stream<Arguments> table() {
    Class<? extends Action> run = Action.RunCommand.class;
    Class<? extends Action> want = Action.WantFrame.class;
    Class<? extends Action> err = Action.Error.class;
    String b = "1 1 stream-begin ";
    return Stream.of(
        // idle
        row(Setup.IDLE, b + "command-request new " + HEADS, run, State.IDLE, null),
        row(Setup.IDLE, b + "command-request new|more " + HEADS_FIRST_HALF, want, State.COMMAND_RECEIVING, null),
        row(Setup.IDLE, b + "command-request new|have-data " + HEADS, want, State.COMMAND_RECEIVING, null),
        row(Setup.IDLE, b + "command-request new|more|have-data " + HEADS_FIRST_HALF, want, State.COMMAND_RECEIVING,
            null),
        row(Setup.IDLE, b + "command-request new|continuation " + HEADS, err, State.ERRORED,
            "received command request frame with both new and continuation flags set"),
        row(Setup.IDLE, b + "command-request 0 " + HEADS, err, State.ERRORED,
            "received command request frame with neither new nor continuation flags set"),
        row(Setup.IDLE, b + "command-request more " + HEADS, err, State.ERRORED,
            "received command request frame with neither new nor continuation flags set"),
        row(Setup.IDLE, b + "command-request continuation " + HEADS, err, State.ERRORED,
            "received command request frame without new flag set"),
        row(Setup.IDLE, b + "command-data eos x", err, State.ERRORED, "expected command request frame; got 2"),
        row(Setup.IDLE, b + "command-data continuation x", err, State.ERRORED, "expected command request frame; got 2"),
        row(Setup.IDLE, b + "command-response eos x", err, State.ERRORED, "expected command request frame; got 3"),
        row(Setup.IDLE, b + "error-response 0 x", err, State.ERRORED, "expected command request frame; got 5"),
        row(Setup.IDLE, b + "text-output 0 x", err, State.ERRORED, "expected command request frame; got 6"),
        row(Setup.IDLE, b + "progress 0 x", err, State.ERRORED, "expected command request frame; got 7"),
        row(Setup.IDLE, b + "stream-settings 0 x", err, State.ERRORED, "expected command request frame; got 8"),
        // receiving the rest of a command request
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request continuation " + HEADS_SECOND_HALF, run, State.IDLE,
            null),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request continuation|more E", want,
            State.COMMAND_RECEIVING, null),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request continuation|have-data " + HEADS_SECOND_HALF, err,
            State.ERRORED, "mismatch between expect data flag and previous frame"),
        row(Setup.RECEIVING_MORE_REQUEST, "3 1 0 command-request new " + HEADS, run, State.COMMAND_RECEIVING, null),
        row(Setup.RECEIVING_MORE_REQUEST, "3 1 0 command-request new|more " + HEADS_FIRST_HALF, want,
            State.COMMAND_RECEIVING, null),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request new " + HEADS, err, State.ERRORED,
            "request with ID 1 already received"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request new|continuation x", err, State.ERRORED,
            "received command request frame with both new and continuation flags set"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-request more x", err, State.ERRORED,
            "received command request frame with neither new nor continuation flags set"),
        row(Setup.RECEIVING_MORE_REQUEST, "5 1 0 command-request continuation x", err, State.ERRORED,
            "received frame for request that is not receiving: 5"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-data eos x", err, State.ERRORED,
            "received command data frame for request that is not expecting data: 1"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 command-response eos x", err, State.ERRORED,
            "received unexpected frame type: 3"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 progress 0 x", err, State.ERRORED,
            "received unexpected frame type: 7"),
        row(Setup.RECEIVING_MORE_REQUEST, "1 1 0 error-response 0 x", err, State.ERRORED,
            "received unexpected frame type: 5"),
        row(Setup.RECEIVING_MORE_REQUEST, "9 1 0 progress 0 x", err, State.ERRORED,
            "received frame for request that is not receiving: 9"),
        // receiving data
        row(Setup.RECEIVING_DATA, "1 1 0 command-data continuation x", want, State.COMMAND_RECEIVING, null),
        row(Setup.RECEIVING_DATA, "1 1 0 command-data eos x", run, State.IDLE, null),
        row(Setup.RECEIVING_DATA, "1 1 0 command-data continuation|eos x", want, State.COMMAND_RECEIVING, null),
        row(Setup.RECEIVING_DATA, "1 1 0 command-data 0 x", err, State.ERRORED, "command data frame without flags"),
        row(Setup.RECEIVING_DATA, "1 1 0 command-data 4 x", err, State.ERRORED, "command data frame without flags"),
        row(Setup.RECEIVING_DATA, "1 1 0 command-request continuation|have-data x", err, State.ERRORED,
            "received command request frame when request frames were supposedly done"),
        row(Setup.RECEIVING_DATA, "1 1 0 command-request continuation x", err, State.ERRORED,
            "received command request frame when request frames were supposedly done"),
        row(Setup.RECEIVING_DATA, "3 1 0 command-data eos x", err, State.ERRORED,
            "received frame for request that is not receiving: 3"),
        // a dispatched request gets no more frames
        row(Setup.ACTIVE_AND_RECEIVING, "1 1 0 command-data eos x", err, State.ERRORED,
            "received frame for request that is still active: 1"),
        row(Setup.ACTIVE_AND_RECEIVING, "1 1 0 command-request continuation x", err, State.ERRORED,
            "received frame for request that is still active: 1"),
        row(Setup.ACTIVE_AND_RECEIVING, "1 1 0 command-request new " + HEADS, err, State.ERRORED,
            "request with ID 1 is already active"),
        row(Setup.ACTIVE_AND_RECEIVING, "3 1 0 command-data eos x", run, State.IDLE, null),
        // errored
        row(Setup.ERRORED, "1 1 0 command-request new " + HEADS, err, State.ERRORED, "server already errored"),
        row(Setup.ERRORED, "3 1 0 command-data eos x", err, State.ERRORED, "server already errored"),
        row(Setup.ERRORED, "1 1 0 progress 0 x", err, State.ERRORED, "server already errored"),
        row(Setup.ERRORED, "1 3 0 command-request new " + HEADS, err, State.ERRORED,
            "received frame on unknown inactive stream without beginning of stream flag set"),
        row(Setup.ERRORED, "1 2 stream-begin command-request new " + HEADS, err, State.ERRORED,
            "received frame with even numbered stream ID: 2"));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} {3}")
  @MethodSource("table")
  void stateByInput(Setup setup, String human, Class<? extends Action> expected, State next, String error) {
    ServerReactor r = setup.make();
    Action a = r.onFrameReceived(frame(human));
    assertInstanceOf(expected, a);
    assertEquals(next, r.state());
    if (error != null) {
      assertEquals(error, ((Action.Error) a).message());
      assertEquals(ErrorKind.PROTOCOL, ((Action.Error) a).kind());
    }
    if (a instanceof Action.WantFrame w) {
      assertEquals(next, w.state());
    }
  }

  // ---- stream checks, before any state ----

  @Test
  void evenStreamsAreRefusedInEveryState() {
    for (Setup setup : Setup.values()) {
      ServerReactor r = setup.make();
      assertError(r.onFrameReceived(frame("5 4 stream-begin command-request new " + HEADS)), ErrorKind.PROTOCOL,
          "received frame with even numbered stream ID: 4");
      assertEquals(State.ERRORED, r.state(), setup.name());
    }
  }

  @Test
  void anUnknownStreamMustBegin() {
    ServerReactor r = reactor();
    assertError(r.onFrameReceived(frame("1 1 0 command-request new " + HEADS)), ErrorKind.PROTOCOL,
        "received frame on unknown inactive stream without beginning of stream flag set");
    assertEquals(State.ERRORED, r.state());
  }

  @Test
  void encodedStreamsAreUnsupported() {
    ServerReactor r = reactor();
    assertError(r.onFrameReceived(frame("1 1 stream-begin|encoded command-request new " + HEADS)),
        ErrorKind.UNSUPPORTED, "support for decoding stream payloads not yet implemented");
    assertEquals(State.ERRORED, r.state());
  }

  @Test
  void streamEndForgetsTheStream() {
    ServerReactor r = reactor();
    assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(frame("1 1 stream-begin|stream-end command-request new " + HEADS)));
    assertError(r.onFrameReceived(frame("3 1 0 command-request new " + HEADS)), ErrorKind.PROTOCOL,
        "received frame on unknown inactive stream without beginning of stream flag set");
  }

  @Test
  void aStreamCanBeginAgainAfterItEnded() {
    ServerReactor r = reactor();
    r.onFrameReceived(frame("1 1 stream-begin|stream-end command-request new " + HEADS));
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("3 1 stream-begin command-request new " + HEADS)));
  }

  @Test
  void severalClientStreams() {
    ServerReactor r = reactor();
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS)));
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("3 5 stream-begin command-request new " + HEADS)));
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("5 5 0 command-request new " + HEADS)));
  }

  // ---- the command request's content ----

  @Test
  void runCommandCarriesNameArgsAndData() {
    ServerReactor r = reactor();
    r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data "
        + "cbor:{b'name': b'known', b'args': {b'nodes': [b'a', b'b']}}"));
    r.onFrameReceived(frame("1 1 0 command-data continuation abc"));
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("1 1 0 command-data eos def")));
    assertEquals(1, run.requestId());
    assertEquals(b("known"), run.command());
    assertEquals(Map.of(b("nodes"), List.of(b("a"), b("b"))), run.args());
    assertEquals(b("abcdef"), run.data());
    assertEquals(Set.of(1), r.activeRequestIds());
  }

  @Test
  void runCommandWithoutArgsHasAnEmptyModifiableMapAndNoData() {
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class,
        reactor().onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS)));
    assertEquals(Map.of(), run.args());
    assertNull(run.data());
    run.args().put(b("x"), 1L);
  }

  @Test
  void emptyDataIsEmptyNotNull() {
    ServerReactor r = reactor();
    r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data " + HEADS));
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("1 1 0 command-data eos ")));
    assertEquals(ByteString.EMPTY, run.data());
  }

  @Test
  void interleavedRequestsAreAssembledSeparately() {
    ServerReactor r = reactor();
    r.onFrameReceived(frame("1 1 stream-begin command-request new|more " + HEADS_FIRST_HALF));
    r.onFrameReceived(frame("3 1 0 command-request new|more \\xa1Dname"));
    Action.RunCommand three = assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(frame("3 1 0 command-request continuation Dlist")));
    assertEquals(b("list"), three.command());
    assertEquals(State.COMMAND_RECEIVING, r.state());
    Action.RunCommand one = assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(frame("1 1 0 command-request continuation " + HEADS_SECOND_HALF)));
    assertEquals(b("heads"), one.command());
    assertEquals(State.IDLE, r.state());
  }

  private static void assertRequestError(String payload, ErrorKind kind, String message) {
    ServerReactor r = reactor();
    assertError(r.onFrameReceived(frame("1 1 stream-begin command-request new " + payload)), kind, message);
    assertEquals(State.ERRORED, r.state());
  }

  @Test
  void malformedCommandRequests() {
    assertRequestError("a", ErrorKind.CBOR, "command request is not valid CBOR: string major type not supported");
    assertRequestError("\\x82\\x01", ErrorKind.CBOR, "command request is not valid CBOR: input data not complete");
    assertRequestError("", ErrorKind.CBOR, "command request is empty");
    assertRequestError("cbor:5", ErrorKind.CBOR, "command request must be a CBOR map");
    assertRequestError("cbor:[b'x']", ErrorKind.PROTOCOL, "command request missing \"name\" field");
    assertRequestError("cbor:b'xyz'", ErrorKind.PROTOCOL, "command request missing \"name\" field");
    assertRequestError("cbor:[b'name']", ErrorKind.CBOR, "command request must be a CBOR map");
    assertRequestError("cbor:{b'nam': b'x'}", ErrorKind.PROTOCOL, "command request missing \"name\" field");
    assertRequestError("cbor:{b'name': 1}", ErrorKind.PROTOCOL, "command request \"name\" field must be a byte string");
    assertRequestError("cbor:{b'name': b'x', b'args': [1]}", ErrorKind.PROTOCOL,
        "command request \"args\" field must be a map");
  }

  // ---- limits ----

  @Test
  void maxFramesPerRequest() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxFramesPerRequest(2)));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data "
        + HEADS)));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("1 1 0 command-data continuation x")));
    assertError(r.onFrameReceived(frame("1 1 0 command-data eos x")), ErrorKind.LIMIT,
        "request 1 exceeds maximum of 2 frames");
    assertEquals(State.ERRORED, r.state());
  }

  @Test
  void maxFramesPerRequestCountsRequestFrames() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxFramesPerRequest(1)));
    r.onFrameReceived(frame("1 1 stream-begin command-request new|more " + HEADS_FIRST_HALF));
    assertError(r.onFrameReceived(frame("1 1 0 command-request continuation " + HEADS_SECOND_HALF)), ErrorKind.LIMIT,
        "request 1 exceeds maximum of 1 frames");
  }

  @Test
  void maxArgumentBytesOnOneFrame() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxArgumentBytes(11)));
    assertError(r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS)), ErrorKind.LIMIT,
        "command request of request 1 exceeds maximum size 11: 12 bytes");
  }

  @Test
  void maxArgumentBytesAcrossFrames() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxArgumentBytes(11)));
    assertInstanceOf(Action.WantFrame.class,
        r.onFrameReceived(frame("1 1 stream-begin command-request new|more " + HEADS_FIRST_HALF)));
    assertError(r.onFrameReceived(frame("1 1 0 command-request continuation " + HEADS_SECOND_HALF)), ErrorKind.LIMIT,
        "command request of request 1 exceeds maximum size 11: 12 bytes");
  }

  @Test
  void maxArgumentBytesAtTheLimitIsAccepted() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxArgumentBytes(12)));
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS)));
  }

  @Test
  void maxCommandDataBytes() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxCommandDataBytes(5)));
    r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data " + HEADS));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("1 1 0 command-data continuation abc")));
    assertError(r.onFrameReceived(frame("1 1 0 command-data eos def")), ErrorKind.LIMIT,
        "command data of request 1 exceeds maximum size 5: 6 bytes");
  }

  @Test
  void maxRequestsInFlightCountsReceivingAndActive() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxRequestsInFlight(2)));
    Action first = r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS));
    assertInstanceOf(Action.RunCommand.class, first);
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("3 1 0 command-request new|have-data " + HEADS)));
    assertError(r.onFrameReceived(frame("5 1 0 command-request new " + HEADS)), ErrorKind.LIMIT,
        "too many requests in flight: maximum is 2");
  }

  @Test
  void aRequestLeavesTheFlightOnceItsResponseIsTaken() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxRequestsInFlight(1)));
    r.onFrameReceived(frame("1 1 stream-begin command-request new " + HEADS));
    Action send = r.onCommandResponseReady(r.makeOutputStream(), 1, b("x"));
    assertEquals(Set.of(1), r.activeRequestIds(), "still active until the frames are taken");
    frames(send);
    assertEquals(Set.of(), r.activeRequestIds());
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(frame("3 1 0 command-request new " + HEADS)));
  }

  @Test
  void maxCborDepth() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxCborDepth(2)));
    assertError(r.onFrameReceived(frame("1 1 stream-begin command-request new cbor:{b'name': b'x', b'args': "
        + "{b'a': [1]}}")), ErrorKind.CBOR,
        "command request is not valid CBOR: CBOR nesting exceeds maximum depth 2");
    ServerReactor ok = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(Limits.DEFAULTS.withMaxCborDepth(2)));
    assertInstanceOf(Action.RunCommand.class,
        ok.onFrameReceived(frame("1 1 stream-begin command-request new cbor:{b'name': b'x', b'args': {b'a': 1}}")));
  }

  // ---- responses ----

  private static ServerReactor withActive(boolean defer, int... requestIds) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(defer));
    boolean first = true;
    for (int id : requestIds) {
      assertInstanceOf(Action.RunCommand.class,
          r.onFrameReceived(frame(id + " 1 " + (first ? "stream-begin" : "0") + " command-request new " + HEADS)));
      first = false;
    }
    return r;
  }

  @Test
  void bytesResponse() {
    ServerReactor r = withActive(false, 1);
    FrameStream out = r.makeOutputStream();
    List<Frame> f = frames(r.onCommandResponseReady(out, 1, b("result")));
    assertEquals(List.of(new Frame(1, 2, STREAM_FLAG_BEGIN_STREAM, FrameType.COMMAND_RESPONSE,
        FLAG_COMMAND_RESPONSE_EOS, Frames.OVERALL_OK.concat(b("result")))), f);
  }

  @Test
  void serverErrorIsAnErrorFrameOfTypeServer() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    List<Frame> f = frames(r.onServerError(r.makeOutputStream(), 1, "it broke"));
    assertEquals(1, f.size());
    assertEquals(FrameType.ERROR_RESPONSE.id(), f.get(0).typeId());
    assertEquals(Map.of(b("type"), b("server"), b("message"), List.of(Map.of(b("msg"), b("it broke")))),
        decodeOne(f.get(0).payload()));
    assertEquals(Set.of(), r.activeRequestIds());
  }

  @Test
  void commandErrorIsAnErrorStatusResponse() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    List<Frame> f = frames(r.onCommandError(r.makeOutputStream(), 1, b("unknown %s"), List.of(b("x"))));
    assertEquals(FLAG_COMMAND_RESPONSE_EOS, f.get(0).flags());
    Map<ByteString, Object> error = new LinkedHashMap<>();
    error.put(b("message"), b("unknown %s"));
    error.put(b("args"), List.of(b("x")));
    assertEquals(Map.of(b("status"), b("error"), b("error"), error), decodeOne(f.get(0).payload()));
  }

  @Test
  void objectsResponseIsOkThenObjectsThenEos() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    Map<ByteString, Object> o = Map.of(b("heads"), List.of(b("abc")));
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, List.of(o, 5L).iterator()));
    assertEquals(3, f.size());
    assertEquals(Frames.OVERALL_OK, f.get(0).payload());
    assertEquals(FLAG_COMMAND_RESPONSE_CONTINUATION, f.get(0).flags());
    assertEquals(CborEncoder.encodeToByteString(o).concat(CborEncoder.encodeToByteString(5L)), f.get(1).payload());
    assertEquals(FLAG_COMMAND_RESPONSE_CONTINUATION, f.get(1).flags());
    assertEquals(new Frame(1, 2, 0, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_EOS, ByteString.EMPTY), f.get(2));
    assertEquals(Set.of(), r.activeRequestIds());
  }

  @Test
  void noObjectsIsOneEmptyContinuationFrameAsInTheReference() {
    ServerReactor r = withActive(false, 1);
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, List.of().iterator()));
    assertEquals(List.of(new Frame(1, 2, STREAM_FLAG_BEGIN_STREAM, FrameType.COMMAND_RESPONSE,
        FLAG_COMMAND_RESPONSE_CONTINUATION, ByteString.EMPTY)), f);
    assertEquals(Set.of(), r.activeRequestIds());
  }

  @Test
  void commandErrorWhileIteratingBecomesACommandErrorResponse() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    Iterator<Object> objects = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        throw new CommandError(b("no such %s"), List.of(b("thing")));
      }
    };
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, objects));
    assertEquals(1, f.size());
    Map<?, ?> m = decodeMap(f.get(0).payload());
    assertEquals(b("error"), m.get(b("status")));
    assertEquals(Map.of(b("message"), b("no such %s"), b("args"), List.of(b("thing"))), m.get(b("error")));
    assertEquals(Set.of(), r.activeRequestIds());
  }

  @Test
  void otherExceptionWhileIteratingBecomesAServerErrorFrame() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    Iterator<Object> objects = List.<Object>of(1L).iterator();
    Iterator<Object> failing = new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (!objects.hasNext()) {
          throw new IllegalStateException("generator failed");
        }
        return true;
      }

      @Override
      public Object next() {
        return objects.next();
      }
    };
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, failing));
    assertEquals(Frames.OVERALL_OK, f.get(0).payload());
    Frame last = f.get(f.size() - 1);
    assertEquals(FrameType.ERROR_RESPONSE.id(), last.typeId());
    assertEquals(Map.of(b("type"), b("server"), b("message"), List.of(Map.of(b("msg"), b("generator failed")))),
        decodeOne(last.payload()));
  }

  @Test
  void unencodableObjectBecomesAServerErrorFrame() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, List.of("text").iterator()));
    assertEquals(2, f.size());
    assertEquals(Frames.OVERALL_OK, f.get(0).payload());
    Map<?, ?> m = decodeMap(f.get(1).payload());
    assertEquals(List.of(Map.of(b("msg"), b("do not know how to encode java.lang.String"))), m.get(b("message")));
  }

  @Test
  void failingIndefiniteInputBecomesAServerErrorFrame() throws CborDecodeException {
    ServerReactor r = withActive(false, 1);
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }
    };
    List<Frame> f = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1,
        List.of(IndefiniteByteString.fromInputStream(failing, 1024)).iterator()));
    Frame last = f.get(f.size() - 1);
    assertEquals(FrameType.ERROR_RESPONSE.id(), last.typeId());
    String msg = ((ByteString) ((Map<?, ?>) ((List<?>) decodeMap(last.payload()).get(b("message"))).get(0))
        .get(b("msg"))).utf8();
    assertTrue(msg.contains("disk gone"), msg);
    assertEquals(Set.of(), r.activeRequestIds());
  }

  /** An input stream of {@code size} bytes that counts what was read. */
  private static final class CountingStream extends InputStream {
    final long size;
    long read;

    CountingStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      return (int) (read++ & 0x7f);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - read);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((read + i) & 0x7f);
      }
      read += n;
      return n;
    }
  }

  @Test
  void largeIndefiniteResponseIsStreamedLazily() throws CborDecodeException {
    long size = 5L << 20;
    CountingStream in = new CountingStream(size);
    ServerReactor r = withActive(false, 1);
    Action.SendFrames send = assertInstanceOf(Action.SendFrames.class, r.onCommandResponseReadyObjects(
        r.makeOutputStream(), 1, List.of(IndefiniteByteString.fromInputStream(in, 65536)).iterator()));
    assertEquals(0, in.read, "nothing read before frames are taken");
    FrameIterator it = send.frames();
    assertEquals(Frames.OVERALL_OK, it.next().payload());
    assertEquals(0, in.read, "the ok frame needs no data");
    Frame firstData = it.next();
    assertTrue(in.read <= 65536, "one chunk read for the first data frame, not " + in.read);

    StreamingCborDecoder client = new StreamingCborDecoder();
    List<Object> values = new ArrayList<>(client.feed(firstData.payload()));
    int frameCount = 2;
    Frame last = null;
    while (it.hasNext()) {
      last = it.next();
      frameCount++;
      assertTrue(last.payload().size() <= DEFAULT_MAX_FRAME_SIZE);
      assertTrue(in.read <= (long) frameCount * DEFAULT_MAX_FRAME_SIZE + 65536, "reads keep pace with frames");
      values.addAll(client.feed(last.payload()));
    }
    assertEquals(size, in.read);
    assertEquals(FLAG_COMMAND_RESPONSE_EOS, last.flags());
    assertTrue(frameCount > 160, "5 MiB in 32 KiB frames: " + frameCount);
    assertEquals(Set.of(), r.activeRequestIds());
    client.finish();
    long total = values.stream().mapToLong(v -> ((org.hgrpc.core.cbor.ByteStringChunk) v).data().size()).sum();
    assertEquals(size, total);
    assertEquals(size / 65536 + 1, values.size(), "one chunk per 64 KiB read, then the break");
  }

  // ---- deferred output ----

  @Test
  void deferredOutputIsHeldUntilEofThenReleasedInOrder() {
    ServerReactor r = withActive(true, 1, 3, 5);
    assertTrue(r.defersOutput());
    FrameStream out = r.makeOutputStream();
    assertSame(Action.Noop.INSTANCE, r.onCommandResponseReady(out, 3, b("three")));
    assertSame(Action.Noop.INSTANCE, r.onServerError(out, 5, "five failed"));
    assertSame(Action.Noop.INSTANCE, r.onCommandResponseReadyObjects(out, 1, List.of(1L).iterator()));
    assertFalse(out.isActive(), "no frame made before EOF");
    assertEquals(Set.of(1, 3, 5), r.activeRequestIds());

    List<Frame> f = frames(r.onInputEof());
    assertEquals(List.of(3, 5, 1, 1, 1), f.stream().map(Frame::requestId).toList());
    assertEquals(STREAM_FLAG_BEGIN_STREAM, f.get(0).streamFlags());
    assertEquals(Frames.OVERALL_OK.concat(b("three")), f.get(0).payload());
    assertEquals(FrameType.ERROR_RESPONSE.id(), f.get(1).typeId());
    assertEquals(Set.of(), r.activeRequestIds());
    assertSame(Action.Noop.INSTANCE, r.onInputEof(), "everything was released");
  }

  @Test
  void eofWithoutDeferredOutputIsNoop() {
    assertSame(Action.Noop.INSTANCE, new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false)).onInputEof());
    ServerReactor immediate = withActive(false, 1);
    frames(immediate.onCommandResponseReady(immediate.makeOutputStream(), 1, b("x")));
    assertSame(Action.Noop.INSTANCE, immediate.onInputEof());
    assertFalse(immediate.defersOutput());
  }

  // ---- caller misuse ----

  @Test
  void respondingOnAnOddStreamIsRefused() {
    ServerReactor r = withActive(false, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.onCommandResponseReady(new FrameStream(3), 1, b("x")));
    assertEquals("server should only write to even numbered streams; 3 is not even", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.onServerError(new FrameStream(1), 1, "x"));
    assertThrows(IllegalArgumentException.class,
        () -> r.onCommandError(new FrameStream(1), 1, b("x"), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> r.onCommandResponseReadyObjects(new FrameStream(1), 1, List.of().iterator()));
  }

  @Test
  void respondingToARequestThatIsNotActiveIsRefused() {
    ServerReactor r = withActive(false, 1);
    FrameStream out = r.makeOutputStream();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.onCommandResponseReady(out, 7, b("x")));
    assertEquals("request 7 is not an active command", e.getMessage());
    assertThrows(IllegalStateException.class, () -> r.onServerError(out, 7, "x"));
    assertThrows(IllegalStateException.class, () -> r.onCommandError(out, 7, b("x"), List.of()));
    assertThrows(IllegalStateException.class, () -> r.onCommandResponseReadyObjects(out, 7, List.of().iterator()));
  }

  @Test
  void respondingTwiceAfterTheFirstResponseWasSentIsRefused() {
    ServerReactor r = withActive(false, 1);
    FrameStream out = r.makeOutputStream();
    frames(r.onCommandResponseReady(out, 1, b("x")));
    assertThrows(IllegalStateException.class, () -> r.onCommandResponseReady(out, 1, b("x")));
  }

  @Test
  void respondingToARequestStillBeingReceivedIsRefused() {
    ServerReactor r = reactor();
    r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data " + HEADS));
    assertThrows(IllegalStateException.class, () -> r.onCommandResponseReady(r.makeOutputStream(), 1, b("x")));
  }

  @Test
  void outputStreamsAreEvenFromTwo() {
    ServerReactor r = reactor();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 127; i++) {
      FrameStream s = r.makeOutputStream();
      assertFalse(s.isActive());
      ids.add(s.streamId());
    }
    assertEquals(List.of(2, 4, 6), ids.subList(0, 3));
    assertEquals(254, ids.get(126));
    assertEquals("no stream ids left", assertThrows(IllegalStateException.class, r::makeOutputStream).getMessage());
  }

  @Test
  void stateNamesAreTheReferences() {
    assertEquals("idle", State.IDLE.referenceName());
    assertEquals("command-receiving", State.COMMAND_RECEIVING.referenceName());
    assertEquals("errored", State.ERRORED.referenceName());
  }

  @Test
  void commandErrorRendersItsPlaceholders() {
    CommandError e = new CommandError(b("%s is not %s"), List.of(b("a"), b("b")));
    assertEquals("a is not b", e.getMessage());
    assertEquals(b("%s is not %s"), e.format());
    assertEquals(List.of(b("a"), b("b")), e.args());
    assertEquals("plain", new CommandError("plain").getMessage());
    assertEquals(List.of(), new CommandError("plain").args());
  }
}
