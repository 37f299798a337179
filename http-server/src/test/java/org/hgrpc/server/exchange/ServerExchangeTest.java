package org.hgrpc.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;
import org.junit.jupiter.api.Test;

/**
 * The server exchange without any transport: a core {@link ClientReactor} makes the request
 * bytes, the exchange answers, and the client reactor reads the answer back. Every rule the
 * exchange owns is tried here; the HTTP tests only check the mapping to HTTP.
 */
class ServerExchangeTest {
  private static final AtomicInteger LAZY_PULLS = new AtomicInteger();

  private static final CommandRegistry REGISTRY = CommandRegistry.builder()
      .add(Command.of("echo", Permission.PULL, List.of(ArgumentSpec.optional("value", b("x"))),
          call -> CommandResponse.object(call.arg("value", ByteString.class, b("nothing")))))
      .add(Command.of("need", Permission.PULL, List.of(ArgumentSpec.required("key", b("k")),
          ArgumentSpec.required("also", b("a"))), call -> CommandResponse.empty()))
      .add(Command.of("write", Permission.PUSH, List.of(), call -> CommandResponse.object(b("written by "
          + call.remoteUser() + (call.secure() ? " over tls" : "")))))
      .add(Command.of("raw", Permission.PULL, List.of(), call -> CommandResponse.bytes(b("raw bytes"))))
      // Command data reaches only commands that say they take it.
      .add(Command.takingData("data", Permission.PULL, List.of(), call -> CommandResponse.object(
          b("got " + call.data().size()))))
      .add(Command.of("broken", Permission.PULL, List.of(), call -> {
        throw new IllegalStateException("disk on fire");
      }))
      .add(Command.of("refuse", Permission.PULL, List.of(), call -> {
        throw new CommandError(b("no such revision: %s"), List.of(b("tip")));
      }))
      .add(Command.of("lazy", Permission.PULL, List.of(), call -> CommandResponse.objects(new Iterator<Object>() {
        private int left = 3;

        @Override
        public boolean hasNext() {
          return left > 0;
        }

        @Override
        public Object next() {
          LAZY_PULLS.incrementAndGet();
          return (long) left--;
        }
      })))
      .build();

  // ---------------------------------------------------------------- lookup and dispatch

  @Test
  void anUnknownCommandIsRefusedBeforeAnyInput() {
    ServerExchange exchange = exchange(false, "nosuch");
    assertFalse(exchange.wantsInput());
    assertEquals(refusal(RefusalKind.NOT_FOUND, "unknown wire protocol command: nosuch\n"), exchange.endOfInput());
  }

  @Test
  void aCommandRunsAndItsAnswerReachesTheClient() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("echo"), Map.of(b("value"), b("hello")), null).action());

    List<Object> values = answer(client, run(exchange(false, "echo"), request), 1);

    assertEquals(List.of(ok(), b("hello")), values);
  }

  @Test
  void rawBytesAreSentAfterTheStatus() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("raw"), Map.of(), null).action());

    ExchangeOutcome.Frames frames = assertInstanceOf(ExchangeOutcome.Frames.class, run(exchange(false, "raw"), request));

    assertEquals(Frames.OVERALL_OK.concat(b("raw bytes")), frames.frames().next().payload());
  }

  @Test
  void commandDataReachesTheCommand() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("data"), Map.of(), new ByteArrayInputStream(new byte[100_000]))
        .action());

    assertEquals(List.of(ok(), b("got 100000")), answer(client, run(exchange(false, "data"), request), 1));
  }

  @Test
  void theRequestsUserAndTransportReachTheCommand() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("write"), Map.of(), null).action());
    ServerExchange exchange = new ServerExchange(REGISTRY, Limits.DEFAULTS, ContentEncodings.DEFAULT,
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, true, b("write"), "alice", true));

    assertEquals(List.of(ok(), b("written by alice over tls")), answer(client, run(exchange, request), 1));
  }

  @Test
  void aCommandErrorIsTheCommandsErrorResponse() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("refuse"), Map.of(), null).action());

    List<Object> values = answer(client, run(exchange(false, "refuse"), request), 1);

    assertEquals(List.of(error("no such revision: %s", b("tip"))), values);
  }

  @Test
  void anExceptionFromACommandIsAServerErrorFrame() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("broken"), Map.of(), null).action());

    ExchangeOutcome.Frames frames = assertInstanceOf(ExchangeOutcome.Frames.class,
        run(exchange(false, "broken"), request));

    Action.ErrorResponse e = assertInstanceOf(Action.ErrorResponse.class,
        client.onFrameReceived(frames.frames().next()));
    assertEquals(b("server"), e.type());
    assertEquals(List.of(Map.of(b("msg"), b("exception when invoking command: disk on fire"))), e.message());
  }

  @Test
  void outputIsMadeOnlyWhenTheFramesAreTaken() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("lazy"), Map.of(), null).action());
    LAZY_PULLS.set(0);

    ExchangeOutcome.Frames frames = assertInstanceOf(ExchangeOutcome.Frames.class, run(exchange(false, "lazy"), request));

    assertEquals(0, LAZY_PULLS.get(), "nothing pulled before the transport takes frames");
    frames.frames().forEachRemaining(f -> { });
    assertEquals(3, LAZY_PULLS.get());
  }

  // ---------------------------------------------------------------- arguments

  @Test
  void anUnknownArgumentFailsTheCommand() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    Map<ByteString, Object> args = new LinkedHashMap<>();
    args.put(b("zeta"), b("1"));
    args.put(b("value"), b("v"));
    args.put(b("alpha"), b("2"));
    byte[] request = send(client.callCommand(b("echo"), args, null).action());

    assertEquals(List.of(error("unsupported argument to command: %s", b("alpha, zeta"))),
        answer(client, run(exchange(false, "echo"), request), 1));
  }

  @Test
  void missingRequiredArgumentsFailTheCommand() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("need"), Map.of(), null).action());

    assertEquals(List.of(error("missing required arguments: %s", b("also, key"))),
        answer(client, run(exchange(false, "need"), request), 1));
  }

  // ---------------------------------------------------------------- permissions

  @Test
  void aPushCommandIsRefusedOnAReadOnlyRequest() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("write"), Map.of(), null).action());

    assertEquals(refusal(RefusalKind.FORBIDDEN_PERMISSION, "insufficient permissions to execute command: write"),
        run(exchange(false, "write"), request));
  }

  @Test
  void aPushCommandIsRefusedInAReadOnlyMultirequestToo() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(b("echo"), Map.of(), null);
    client.callCommand(b("write"), Map.of(), null);
    byte[] request = send(client.flushCommands());

    assertEquals(refusal(RefusalKind.FORBIDDEN_PERMISSION, "insufficient permissions to execute command: write"),
        run(exchange(false, "multirequest"), request));
  }

  @Test
  void aPushCommandRunsOnAReadWriteRequest() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("write"), Map.of(), null).action());

    assertEquals(List.of(ok(), b("written by null")), answer(client, run(exchange(true, "write"), request), 1));
  }

  // ---------------------------------------------------------------- multirequest

  @Test
  void aMultirequestRunsEveryCommandInOrder() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(b("echo"), Map.of(b("value"), b("one")), null);
    client.callCommand(b("raw"), Map.of(), null);
    client.callCommand(b("echo"), Map.of(b("value"), b("three")), null);
    byte[] request = send(client.flushCommands());

    ExchangeOutcome outcome = run(exchange(false, "multirequest"), request);

    List<Integer> order = new ArrayList<>();
    Map<Integer, ByteString> payloads = new LinkedHashMap<>();
    for (Frame f : assertInstanceOf(ExchangeOutcome.Frames.class, outcome).frames().toList()) {
      Action.ResponseData d = assertInstanceOf(Action.ResponseData.class, client.onFrameReceived(f));
      order.add(d.request().requestId());
      payloads.merge(d.request().requestId(), d.data(), ByteString::concat);
    }
    assertEquals(List.of(1, 3, 5), order.stream().distinct().toList());
    assertEquals(List.of(ok(), b("one")), CborDecoder.decodeAll(payloads.get(1)));
    assertEquals(Frames.OVERALL_OK.concat(b("raw bytes")), payloads.get(3));
    assertEquals(List.of(ok(), b("three")), CborDecoder.decodeAll(payloads.get(5)));
  }

  @Test
  void anUnknownCommandInAMultirequestIsRefused() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(b("echo"), Map.of(), null);
    client.callCommand(b("nosuch"), Map.of(), null);

    assertEquals(refusal(RefusalKind.PROTOCOL, "wire protocol command not available: nosuch"),
        run(exchange(false, "multirequest"), send(client.flushCommands())));
  }

  @Test
  void aSingleCommandUrlTakesOneCommand() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(b("echo"), Map.of(), null);
    client.callCommand(b("echo"), Map.of(), null);

    assertEquals(refusal(RefusalKind.PROTOCOL, "multiple commands cannot be issued to this URL"),
        run(exchange(false, "echo"), send(client.flushCommands())));
  }

  @Test
  void theCommandInTheFrameMustBeTheOneInTheUrl() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("raw"), Map.of(), null).action());

    assertEquals(refusal(RefusalKind.PROTOCOL, "command in frame must match command in URL"),
        run(exchange(false, "echo"), request));
  }

  // ---------------------------------------------------------------- end of input and bad bytes

  @Test
  void anEmptyBodyIsRefused() {
    assertEquals(refusal(RefusalKind.BAD_REQUEST, "request body is empty: expected command request frames\n"),
        exchange(false, "echo").endOfInput());
  }

  @Test
  void inputCutInsideARequestIsRefused() {
    Frame first = new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW | FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES,
        ByteString.wrap(new byte[] {(byte) 0xa1}));

    assertEquals(refusal(RefusalKind.BAD_REQUEST, "request body ended before the command request was complete\n"),
        run(exchange(false, "echo"), first.encode()));
  }

  @Test
  void inputCutInsideAFrameIsRefused() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("echo"), Map.of(), null).action());

    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class,
        run(exchange(false, "echo"), java.util.Arrays.copyOf(request, request.length - 1)));

    assertEquals(RefusalKind.BAD_REQUEST, r.kind());
    assertTrue(r.message().startsWith("malformed request body: frame length error"), r.message());
  }

  @Test
  void undecodableCborIsABadRequest() {
    byte[] request = frame(FrameConstants.FLAG_COMMAND_REQUEST_NEW, new byte[] {(byte) 0xa1, 0x1c}).encode();

    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class, run(exchange(false, "echo"), request));

    assertEquals(RefusalKind.BAD_REQUEST, r.kind());
    assertTrue(r.message().startsWith("command request is not valid CBOR: "), r.message());
  }

  @Test
  void brokenFrameRulesAreProtocolRefusalsWithTheReactorsMessage() {
    byte[] request = frame(0, new byte[0]).encode();

    assertEquals(refusal(RefusalKind.PROTOCOL,
        "received command request frame with neither new nor continuation flags set\n"),
        run(exchange(false, "echo"), request));
  }

  @Test
  void theFirstRefusalWinsAndLaterInputIsIgnored() {
    ServerExchange exchange = exchange(false, "echo");
    byte[] bad = frame(0, new byte[0]).encode();
    byte[] garbage = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0};
    byte[] both = java.util.Arrays.copyOf(bad, bad.length + garbage.length);
    System.arraycopy(garbage, 0, both, bad.length, garbage.length);

    exchange.receive(both, 0, both.length);
    assertFalse(exchange.wantsInput());
    exchange.receive(garbage, 0, garbage.length);

    assertEquals(RefusalKind.PROTOCOL, ((ExchangeOutcome.Refusal) exchange.endOfInput()).kind());
  }

  // ---------------------------------------------------------------- limits

  @Test
  void aFrameOverTheLimitIsALimitRefusal() {
    ServerExchange exchange = new ServerExchange(REGISTRY, Limits.DEFAULTS.withMaxFramePayload(16),
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, false, b("echo"), null, false));

    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class,
        run(exchange, frame(FrameConstants.FLAG_COMMAND_REQUEST_NEW, new byte[17]).encode()));

    assertEquals(RefusalKind.LIMIT, r.kind());
    assertTrue(r.message().startsWith("malformed request body: "), r.message());
  }

  @Test
  void argumentsOverTheLimitAreALimitRefusal() {
    ServerExchange exchange = new ServerExchange(REGISTRY, Limits.DEFAULTS.withMaxArgumentBytes(10),
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, false, b("echo"), null, false));
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("echo"), Map.of(b("value"), b("x".repeat(50))), null).action());

    assertEquals(RefusalKind.LIMIT, ((ExchangeOutcome.Refusal) run(exchange, request)).kind());
  }

  // ---------------------------------------------------------------- incremental input and misuse

  @Test
  void inputInAnyPiecesGivesTheSameOutcome() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(true));
    client.callCommand(b("echo"), Map.of(b("value"), b("x".repeat(40_000))), null);
    client.callCommand(b("raw"), Map.of(), null);
    byte[] request = send(client.flushCommands());
    byte[] whole = encode(assertInstanceOf(ExchangeOutcome.Frames.class,
        run(exchange(false, "multirequest"), request)).frames());

    ServerExchange byteByByte = exchange(false, "multirequest");
    for (int i = 0; i < request.length; i++) {
      byteByByte.receive(request, i, 1);
    }

    assertEquals(ByteString.wrap(whole),
        ByteString.wrap(encode(((ExchangeOutcome.Frames) byteByByte.endOfInput()).frames())));
  }

  @Test
  void inputAfterTheEndIsACallerMistake() {
    ServerExchange exchange = exchange(false, "echo");
    exchange.endOfInput();
    assertThrows(IllegalStateException.class, () -> exchange.receive(new byte[1], 0, 1));
    assertThrows(IllegalStateException.class, exchange::endOfInput);
  }

  // ---------------------------------------------------------------- command data and admission

  @Test
  void commandDataForACommandTakingNoneIsRefusedBeforeAnyOfItIsRead() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005)
        .withHasMultipleSend(false).withBufferSends(false));
    byte[] request = send(client.callCommand(b("echo"), Map.of(), new ByteArrayInputStream(new byte[100_000]))
        .action());
    // The command request frame comes first; its length is in its header.
    int firstFrame = 8 + ((request[0] & 0xff) | (request[1] & 0xff) << 8 | (request[2] & 0xff) << 16);
    ServerExchange exchange = exchange(false, "echo");

    exchange.receive(request, 0, firstFrame);

    assertFalse(exchange.wantsInput(), "decided from the command request alone");
    assertEquals(refusal(RefusalKind.BAD_REQUEST, "command echo takes no command data; the request announces some"
        + " (expect data flag on request 1)\n"), exchange.endOfInput());
  }

  @Test
  void withAnAdmissionCommandsRunOnlyAtTheEndOfInputOnceAdmitted() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005)
        .withHasMultipleSend(false).withBufferSends(false));
    List<Permission> asked = new ArrayList<>();
    AtomicInteger ran = new AtomicInteger();
    CommandRegistry registry = CommandRegistry.builder()
        .add(Command.of("count", Permission.PULL, List.of(), call -> {
          ran.incrementAndGet();
          return CommandResponse.empty();
        })).build();
    byte[] count = send(client.callCommand(b("count"), Map.of(), null).action());
    ServerExchange exchange = new ServerExchange(registry, Limits.DEFAULTS, ContentEncodings.DEFAULT,
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, false, b("count"), null, false), needed -> {
          asked.add(needed);
          return null;
        });

    exchange.receive(count, 0, count.length);
    assertEquals(0, ran.get(), "nothing runs while the body may still be arriving");
    assertInstanceOf(ExchangeOutcome.Frames.class, exchange.endOfInput());
    assertEquals(1, ran.get());
    assertEquals(List.of(Permission.PULL), asked);
  }

  @Test
  void aRefusedAdmissionIsTheOutcomeAndNothingRuns() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005)
        .withHasMultipleSend(true).withBufferSends(false));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(send(client.callCommand(b("echo"), Map.of(), null).action()));
    body.writeBytes(send(client.callCommand(b("write"), Map.of(), null).action()));
    List<Permission> asked = new ArrayList<>();
    ExchangeOutcome.Refusal busy = refusal(RefusalKind.BUSY, "server busy\n");
    ServerExchange exchange = new ServerExchange(REGISTRY, Limits.DEFAULTS, ContentEncodings.DEFAULT,
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, true, ExchangeRequest.MULTIREQUEST, null, false), needed -> {
          asked.add(needed);
          return busy;
        });

    assertEquals(busy, run(exchange, body.toByteArray()));
    assertEquals(List.of(Permission.PUSH), asked, "a request with a push among its commands needs a push slot");
  }

  @Test
  void anIncompleteBodyIsRefusedWithoutAskingForAdmission() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005)
        .withHasMultipleSend(true).withBufferSends(false));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(send(client.callCommand(b("echo"), Map.of(), null).action()));
    // Request 3's first frame, announcing more that never come.
    body.writeBytes(new FrameStream(1).makeFrame(3, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW | FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES,
        ByteString.wrap(new byte[] {(byte) 0xa0})).encode());
    ServerExchange exchange = new ServerExchange(REGISTRY, Limits.DEFAULTS, ContentEncodings.DEFAULT,
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, false, ExchangeRequest.MULTIREQUEST, null, false), needed -> {
          throw new AssertionError("asked for admission");
        });

    assertEquals(refusal(RefusalKind.BAD_REQUEST, "request body ended before the command request was complete\n"),
        run(exchange, body.toByteArray()));
  }

  // ---------------------------------------------------------------- helpers

  private static ServerExchange exchange(boolean readWrite, String command) {
    return new ServerExchange(REGISTRY, Limits.DEFAULTS,
        new ExchangeRequest(ExchangeApi.HTTP_V2_0001, readWrite, b(command), null, false));
  }

  private static ExchangeOutcome run(ServerExchange exchange, byte[] request) {
    exchange.receive(request, 0, request.length);
    return exchange.endOfInput();
  }

  /** The values of an objects response to {@code requestId}, read by the client reactor. */
  private static List<Object> answer(ClientReactor client, ExchangeOutcome outcome, int requestId) throws Exception {
    ByteString payload = ByteString.EMPTY;
    for (Frame f : assertInstanceOf(ExchangeOutcome.Frames.class, outcome).frames().toList()) {
      Action.ResponseData d = assertInstanceOf(Action.ResponseData.class, client.onFrameReceived(f));
      assertEquals(requestId, d.request().requestId());
      payload = payload.concat(d.data());
    }
    return CborDecoder.decodeAll(payload);
  }

  private static byte[] send(Action action) {
    return encode(assertInstanceOf(Action.SendFrames.class, action).frames());
  }

  private static byte[] encode(FrameIterator frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  private static Frame frame(int flags, byte[] payload) {
    return new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST, flags, ByteString.wrap(payload));
  }

  private static ExchangeOutcome.Refusal refusal(RefusalKind kind, String message) {
    return new ExchangeOutcome.Refusal(kind, message);
  }

  private static Map<ByteString, ByteString> ok() {
    return Map.of(b("status"), b("ok"));
  }

  private static Map<ByteString, Object> error(String message, ByteString... args) {
    return Map.of(b("status"), b("error"), b("error"), Map.of(b("message"), b(message), b("args"), List.of(args)));
  }

  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }
}
