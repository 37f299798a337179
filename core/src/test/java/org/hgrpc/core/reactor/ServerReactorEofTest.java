package org.hgrpc.core.reactor;

import static org.hgrpc.core.reactor.ReactorTestSupport.assertError;
import static org.hgrpc.core.reactor.ReactorTestSupport.b;
import static org.hgrpc.core.reactor.ReactorTestSupport.frame;
import static org.hgrpc.core.reactor.ReactorTestSupport.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end-of-input rules of {@link ServerReactor#onInputEof()}: input cut inside a request is
 * an error in both output modes; with deferred output (one half-duplex exchange), so is input
 * that never asked for a command. Everything else keeps the reference's answer.
 */
class ServerReactorEofTest {
  private static final String CUT = "request body ended before the command request was complete";

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void inputEndingAfterAFrameThatPromisedMoreIsAnError(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("1 1 stream-begin command-request new|more "
        + "cbor:{b'name': b'heads'}")));

    assertError(r.onInputEof(), Action.ErrorKind.INCOMPLETE, CUT);
    assertEquals(ServerReactor.State.ERRORED, r.state());
    assertSame(Action.Noop.INSTANCE, r.onInputEof(), "the error was reported once");
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void inputEndingBeforeTheCommandDataEndedIsAnError(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    r.onFrameReceived(frame("1 1 stream-begin command-request new|have-data cbor:{b'name': b'unbundle'}"));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame("1 1 0 command-data continuation abc")));

    assertError(r.onInputEof(), Action.ErrorKind.INCOMPLETE, CUT);
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void aCompleteRequestBesideACutOneStillFailsTheInput(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(frame("1 1 stream-begin command-request new cbor:{b'name': b'a'}")));
    r.onFrameReceived(frame("3 1 0 command-request new|more cbor:{b'name': b'b'}"));
    r.onCommandResponseReady(r.makeOutputStream(), run.requestId(), b("x"));

    assertError(r.onInputEof(), Action.ErrorKind.INCOMPLETE, CUT);
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void afterAReportedErrorEndOfInputIsNoop(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    assertInstanceOf(Action.Error.class, r.onFrameReceived(frame("1 1 stream-begin command-request 0 ")));

    assertSame(Action.Noop.INSTANCE, r.onInputEof());
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void emptyInputIsAnErrorOnlyForADeferredExchange(boolean deferred) {
    Action eof = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred)).onInputEof();
    if (deferred) {
      assertError(eof, Action.ErrorKind.INCOMPLETE, "request body is empty: expected command request frames");
    } else {
      // A full-duplex peer that closes without asking anything just closed its connection.
      assertSame(Action.Noop.INSTANCE, eof);
    }
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void aRequestedCommandSatisfiesTheRulesEvenBeforeItAnswers(boolean deferred) {
    // The reference's "deferred output nothing": the command was asked for; its answer is its runner's business.
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    r.onFrameReceived(frame("1 1 stream-begin command-request new cbor:{b'name': b'a'}"));

    assertSame(Action.Noop.INSTANCE, r.onInputEof());
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void completeInputEndsWithTheHeldFramesOrNothing(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(frame("1 1 stream-begin command-request new cbor:{b'name': b'a'}")));
    Action sent = r.onCommandResponseReady(r.makeOutputStream(), run.requestId(), b("x"));

    if (deferred) {
      assertSame(Action.Noop.INSTANCE, sent);
      assertEquals(List.of(1), frames(r.onInputEof()).stream().map(f -> f.requestId()).toList());
    } else {
      frames(sent);
      assertSame(Action.Noop.INSTANCE, r.onInputEof());
    }
  }

  private static ServerReactor deferred0006() {
    return new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0006).withDeferOutput(true));
  }

  private static org.hgrpc.core.frame.Frame frame0006(String human) {
    return org.hgrpc.core.frame.HumanFrames.parse(org.hgrpc.core.Framing.V0006, human);
  }

  @org.junit.jupiter.api.Test
  void framing0006EmptyInputIsAnErrorWhenDeferred() {
    assertError(deferred0006().onInputEof(), Action.ErrorKind.INCOMPLETE,
        "request body is empty: expected command request frames");
  }

  @org.junit.jupiter.api.Test
  void framing0006SettingsWithoutACommandIsAnErrorWhenDeferred() {
    ServerReactor r = deferred0006();
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame0006(
        "1 1 stream-begin sender-protocol-settings eos cbor:{b'contentencodings': [b'identity']}")));
    assertError(r.onInputEof(), Action.ErrorKind.INCOMPLETE, "request body held no complete command request");
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void framing0006InputEndingInsideTheSettingsIsAnError(boolean deferred) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0006).withDeferOutput(deferred));
    assertInstanceOf(Action.WantFrame.class, r.onFrameReceived(frame0006(
        "1 1 stream-begin sender-protocol-settings continuation \\xa1")));
    assertError(r.onInputEof(), Action.ErrorKind.INCOMPLETE, "request body ended inside the sender protocol settings");
  }
}
