package org.hgrpc.core.reactor;

import static org.hgrpc.core.frame.FrameConstants.*;
import static org.hgrpc.core.reactor.ReactorTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.reactor.Action.ErrorKind;
import org.hgrpc.core.reactor.CommandRequest.State;
import org.junit.jupiter.api.Test;

class ClientReactorTest {

  private static final Map<ByteString, ByteString> NO_ARGS = Map.of();

  /** A client with request 1 sent, so response frames have somewhere to go. */
  private static ClientReactor clientWithRequestOne() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    frames(c.callCommand(b("heads"), NO_ARGS, null).action());
    return c;
  }

  // ---- sending ----

  @Test
  void singleSendBufferedIssuesOnceThenRefusesCommands() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    ClientReactor.Call one = c.callCommand(b("heads"), NO_ARGS, null);
    ClientReactor.Call two = c.callCommand(b("known"), Map.of(b("nodes"), List.of()), null);
    assertSame(Action.Noop.INSTANCE, one.action());
    assertSame(Action.Noop.INSTANCE, two.action());
    assertEquals(1, one.request().requestId());
    assertEquals(3, two.request().requestId());
    assertEquals(State.PENDING, one.request().state());

    List<Frame> frames = frames(c.flushCommands());
    assertEquals(List.of(1, 3), frames.stream().map(Frame::requestId).toList());
    assertEquals(STREAM_FLAG_BEGIN_STREAM, frames.get(0).streamFlags());
    assertEquals(0, frames.get(1).streamFlags());
    assertTrue(frames.stream().allMatch(f -> f.streamId() == 1));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> c.callCommand(b("heads"), NO_ARGS, null));
    assertEquals("cannot issue new commands", e.getMessage());
    assertSame(Action.Noop.INSTANCE, c.flushCommands(), "nothing left to flush, as in the reference");
  }

  @Test
  void singleSendSecondFlushWhileFramesArePendingIsRefused() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    c.callCommand(b("heads"), NO_ARGS, null);
    assertInstanceOf(Action.SendFrames.class, c.flushCommands());
    IllegalStateException e = assertThrows(IllegalStateException.class, c::flushCommands);
    assertEquals("sends cannot be performed on this instance", e.getMessage());
  }

  @Test
  void singleSendUnbufferedSendsAtOnceThenRefusesCommands() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = c.callCommand(b("heads"), NO_ARGS, null);
    assertEquals(1, frames(call.action()).size());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> c.callCommand(b("heads"), NO_ARGS, null));
    assertEquals("cannot issue new commands", e.getMessage());
    assertSame(Action.Noop.INSTANCE, c.flushCommands());
  }

  @Test
  void multipleSendUnbufferedSendsEachCommand() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    List<Frame> all = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ClientReactor.Call call = c.callCommand(b("heads"), NO_ARGS, null);
      assertEquals(1 + 2 * i, call.request().requestId());
      all.addAll(frames(call.action()));
    }
    assertEquals(List.of(1, 3, 5), all.stream().map(Frame::requestId).toList());
    assertEquals(List.of(1, 0, 0), all.stream().map(Frame::streamFlags).toList(), "one stream for every command");
  }

  @Test
  void multipleSendBufferedFlushesRepeatedly() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(true));
    c.callCommand(b("a"), NO_ARGS, null);
    assertEquals(List.of(1), frames(c.flushCommands()).stream().map(Frame::requestId).toList());
    c.callCommand(b("b"), NO_ARGS, null);
    c.callCommand(b("c"), NO_ARGS, null);
    assertEquals(List.of(3, 5), frames(c.flushCommands()).stream().map(Frame::requestId).toList());
    assertSame(Action.Noop.INSTANCE, c.flushCommands());
  }

  @Test
  void commandWithDataSendsDataFrames() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    ClientReactor.Call call = c.callCommand(b("unbundle"), NO_ARGS, new ByteArrayInputStream(new byte[] {1, 2, 3}));
    List<Frame> f = frames(call.action());
    assertEquals(2, f.size());
    assertEquals(FLAG_COMMAND_REQUEST_NEW | FLAG_COMMAND_REQUEST_EXPECT_DATA, f.get(0).flags());
    assertEquals(FrameType.COMMAND_DATA.id(), f.get(1).typeId());
    assertEquals(ByteString.wrap(new byte[] {1, 2, 3}), f.get(1).payload());
    assertEquals(b("unbundle"), call.request().name());
    assertTrue(call.request().data() != null);
  }

  @Test
  void requestStateFollowsItsFramesAsTheyAreTaken() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    ClientReactor.Call call = c.callCommand(b("heads"), NO_ARGS, null);
    CommandRequest req = call.request();
    assertEquals(State.PENDING, req.state());
    assertFalse(c.hasActiveRequests());
    FrameIterator it = ((Action.SendFrames) call.action()).frames();
    it.next();
    assertEquals(State.SENDING, req.state());
    assertTrue(c.hasActiveRequests());
    assertEquals(List.of(req), c.activeRequests());
    assertFalse(it.hasNext());
    assertEquals(State.SENT, req.state());

    c.onFrameReceived(frame("1 2 stream-begin command-response continuation x"));
    assertEquals(State.RECEIVING, req.state());
    c.onFrameReceived(frame("1 2 0 command-response eos y"));
    assertEquals(State.RECEIVED, req.state());
    assertFalse(c.hasActiveRequests());
    assertEquals("CommandRequest[1 b'heads' received]", req.toString());
  }

  @Test
  void requestIdsRunOut() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(true));
    int last = 0;
    for (int i = 0; i < 32768; i++) {
      last = c.callCommand(b("x"), NO_ARGS, null).request().requestId();
    }
    assertEquals(65535, last);
    assertEquals("no request ids left",
        assertThrows(IllegalStateException.class, () -> c.callCommand(b("x"), NO_ARGS, null)).getMessage());
  }

  @Test
  void stateNamesAreTheReferences() {
    assertEquals(List.of("pending", "sending", "sent", "receiving", "received", "errored"),
        java.util.Arrays.stream(State.values()).map(State::referenceName).toList());
  }

  // ---- receiving ----

  @Test
  void responseDataFlags() {
    ClientReactor c = clientWithRequestOne();
    Action.ResponseData more = assertInstanceOf(Action.ResponseData.class,
        c.onFrameReceived(frame("1 2 stream-begin command-response continuation abc")));
    assertTrue(more.expectMore());
    assertFalse(more.eos());
    assertEquals(b("abc"), more.data());
    assertEquals(1, more.request().requestId());
    Action.ResponseData end = assertInstanceOf(Action.ResponseData.class,
        c.onFrameReceived(frame("1 2 0 command-response eos ")));
    assertFalse(end.expectMore());
    assertTrue(end.eos());
    assertEquals(ByteString.EMPTY, end.data());
  }

  @Test
  void framesAfterEosAreForAnInactiveRequest() {
    ClientReactor c = clientWithRequestOne();
    c.onFrameReceived(frame("1 2 stream-begin command-response eos x"));
    assertError(c.onFrameReceived(frame("1 2 0 command-response eos x")), ErrorKind.PROTOCOL,
        "received frame for inactive request ID: 1");
  }

  @Test
  void peerMistakesAreErrorsNotExceptions() {
    ClientReactor c = clientWithRequestOne();
    assertError(c.onFrameReceived(frame("1 1 stream-begin command-response eos x")), ErrorKind.PROTOCOL,
        "received frame with odd numbered stream ID: 1");
    assertError(c.onFrameReceived(frame("1 2 0 command-response eos x")), ErrorKind.PROTOCOL,
        "received frame on unknown stream without beginning of stream flag set");
    assertError(c.onFrameReceived(frame("1 4 stream-begin|encoded command-response eos x")), ErrorKind.UNSUPPORTED,
        "support for decoding stream payloads not yet implemented");
    assertError(c.onFrameReceived(frame("9 6 stream-begin command-response eos x")), ErrorKind.PROTOCOL,
        "received frame for inactive request ID: 9");
    assertError(c.onFrameReceived(frame("1 8 stream-begin text-output 0 x")), ErrorKind.PROTOCOL,
        "unhandled frame type: 6");
    assertInstanceOf(Action.ResponseData.class, c.onFrameReceived(frame("1 8 0 command-response eos x")),
        "the client keeps going after errors");
  }

  @Test
  void streamEndForgetsTheStream() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    frames(c.callCommand(b("a"), NO_ARGS, null).action());
    frames(c.callCommand(b("b"), NO_ARGS, null).action());
    assertInstanceOf(Action.ResponseData.class,
        c.onFrameReceived(frame("1 2 stream-begin|stream-end command-response eos x")));
    assertError(c.onFrameReceived(frame("3 2 0 command-response eos x")), ErrorKind.PROTOCOL,
        "received frame on unknown stream without beginning of stream flag set");
  }

  @Test
  void errorResponseGivesTypeAndMessage() {
    ClientReactor c = clientWithRequestOne();
    CommandRequest req = c.activeRequests().get(0);
    Action.ErrorResponse e = assertInstanceOf(Action.ErrorResponse.class, c.onFrameReceived(frame(
        "1 2 stream-begin error-response 0 cbor:{b'type': b'server', b'message': [{b'msg': b'boom'}]}")));
    assertSame(req, e.request());
    assertEquals(b("server"), e.type());
    assertEquals(List.of(Map.of(b("msg"), b("boom"))), e.message());
    assertEquals(State.ERRORED, req.state());
    assertFalse(c.hasActiveRequests());
  }

  @Test
  void errorResponseThatIsNotCborIsAnError() {
    ClientReactor c = clientWithRequestOne();
    assertError(c.onFrameReceived(frame("1 2 stream-begin error-response 0 a")), ErrorKind.CBOR,
        "error response is not valid CBOR: string major type not supported");
    assertFalse(c.hasActiveRequests(), "the request is over either way");
  }

  @Test
  void errorResponseThatIsTruncatedCborIsAnError() {
    ClientReactor c = clientWithRequestOne();
    assertError(c.onFrameReceived(frame("1 2 stream-begin error-response 0 \\xa2")), ErrorKind.CBOR,
        "error response is not valid CBOR: input data not complete");
  }

  @Test
  void errorResponseThatIsNotAMapIsAnError() {
    ClientReactor c = clientWithRequestOne();
    assertError(c.onFrameReceived(frame("1 2 stream-begin error-response 0 cbor:[b'type']")), ErrorKind.CBOR,
        "error response must be a CBOR map");
    ClientReactor empty = clientWithRequestOne();
    assertError(empty.onFrameReceived(frame("1 2 stream-begin error-response 0 ")), ErrorKind.CBOR,
        "error response must be a CBOR map");
  }

  @Test
  void errorResponseLackingFieldsIsAnError() {
    ClientReactor c = clientWithRequestOne();
    assertError(c.onFrameReceived(frame("1 2 stream-begin error-response 0 cbor:{b'type': b'server'}")),
        ErrorKind.PROTOCOL, "error response lacks \"type\" or \"message\"");
    ClientReactor d = clientWithRequestOne();
    assertError(d.onFrameReceived(frame("1 2 stream-begin error-response 0 cbor:{b'message': []}")),
        ErrorKind.PROTOCOL, "error response lacks \"type\" or \"message\"");
  }

  @Test
  void errorResponseDeeperThanTheLimitIsAnError() {
    ClientReactor c = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false).withLimits(org.hgrpc.core.Limits.DEFAULTS.withMaxCborDepth(1)));
    frames(c.callCommand(b("heads"), NO_ARGS, null).action());
    Action.Error e = assertInstanceOf(Action.Error.class, c.onFrameReceived(frame(
        "1 2 stream-begin error-response 0 cbor:{b'type': b'server', b'message': [{b'msg': b'x'}]}")));
    assertEquals(ErrorKind.CBOR, e.kind());
    assertEquals("error response is not valid CBOR: CBOR nesting exceeds maximum depth 1", e.message());
  }
}
