package org.hgrpc.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.Permission;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.Test;

/**
 * The exchange under API {@code exp-http-v2-0003} (framing 0006): commands offered per API, the
 * 4.8 argument wording, encoder negotiation by the server's preference, and the reference's
 * defects H1, H3, H4 and H5 fixed.
 */
class Api0003ExchangeTest {
  private static final CommandRegistry REGISTRY = CommandRegistry.builder()
      .add(Command.of("echo", Permission.PULL, List.of(ArgumentSpec.optional("value", b("x"))),
          call -> CommandResponse.object(call.arg("value", ByteString.class, b("nothing")))))
      .add(Command.of("need", Permission.PULL, List.of(ArgumentSpec.required("key", b("k")),
          ArgumentSpec.required("also", b("a"))), call -> CommandResponse.empty()))
      .add(Command.of("newonly", Permission.PULL, List.of(), call -> CommandResponse.object(b("new")))
          .withApis(EnumSet.of(ExchangeApi.HTTP_V2_0003)))
      .add(Command.of("write", Permission.PUSH, List.of(), call -> CommandResponse.object(b("written"))))
      .add(Command.of("raw", Permission.PULL, List.of(), call -> CommandResponse.bytes(b("raw bytes"))))
      .add(Command.of("api", Permission.PULL, List.of(), call -> CommandResponse.object(b(call.api().apiName()))))
      .build();

  @Test
  void aCommandOfOneApiIsUnknownUnderTheOther() throws Exception {
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.NOT_FOUND, "unknown wire protocol command: newonly\n"),
        exchange(ExchangeApi.HTTP_V2_0001, false, "newonly", ContentEncodings.DEFAULT).endOfInput());
    assertEquals(List.of(ok(), b("new")), values(run(ExchangeApi.HTTP_V2_0003, "newonly", List.of(), Map.of())));
  }

  @Test
  void theCommandLearnsItsApi() throws Exception {
    assertEquals(List.of(ok(), b("exp-http-v2-0003")), values(run(ExchangeApi.HTTP_V2_0003, "api", List.of(), Map.of())));
  }

  @Test
  void argumentErrorsNameTheArgumentsInTheMessage() throws Exception {
    assertEquals(List.of(error("missing required arguments: also, key")),
        values(run(ExchangeApi.HTTP_V2_0003, "need", List.of(), Map.of())));
    assertEquals(List.of(error("unsupported argument to command: bogus, other")),
        values(run(ExchangeApi.HTTP_V2_0003, "echo", List.of(), Map.of(b("other"), 1L, b("bogus"), 2L))));
  }

  @Test
  void theServersPreferenceAmongTheClientsEncodingsWins() throws Exception {
    List<Frame> frames = frames(run(ExchangeApi.HTTP_V2_0003, "echo", List.of("identity", "zlib"), Map.of()));
    assertEquals(FrameType.STREAM_SETTINGS, frames.get(0).type(Framing.V0006).orElseThrow());
    assertEquals(List.of(b("zlib")), CborDecoder.decodeAll(frames.get(0).payload()));

    ServerExchange identityFirst = exchange(ExchangeApi.HTTP_V2_0003, false, "echo",
        ContentEncodings.of("identity", "zlib"));
    List<Frame> mine = frames(feed(identityFirst, request("echo", List.of("zlib", "identity"), Map.of())));
    assertEquals(List.of(b("identity")), CborDecoder.decodeAll(mine.get(0).payload()));
  }

  /** H3: a client naming no encoding the server knows gets identity, not a broken answer. */
  @Test
  void noEncodingInCommonIsIdentity() throws Exception {
    List<Frame> frames = frames(run(ExchangeApi.HTTP_V2_0003, "echo", List.of("bogus"), Map.of()));
    assertEquals(List.of(b("identity")), CborDecoder.decodeAll(frames.get(0).payload()));
    assertEquals(List.of(ok(), b("nothing")), values(run(ExchangeApi.HTTP_V2_0003, "echo", List.of(), Map.of())));
  }

  /** H1: a push command on a read-only request is refused, as a multirequest would refuse it. */
  @Test
  void aPushCommandOnAReadOnlyRequestIsForbidden() throws Exception {
    ServerExchange e = exchange(ExchangeApi.HTTP_V2_0003, false, "write", ContentEncodings.DEFAULT);
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.FORBIDDEN_PERMISSION,
        "insufficient permissions to execute command: write"), feed(e, request("write", List.of(), Map.of())));
  }

  /** H4: settings alone, no command, is a bad request with a reason. */
  @Test
  void settingsWithoutACommandAreRefused() throws Exception {
    byte[] body = request("echo", List.of("identity"), Map.of());
    byte[] settingsOnly = java.util.Arrays.copyOf(body, 8 + (body[0] & 0xff));
    ExchangeOutcome outcome = feed(exchange(ExchangeApi.HTTP_V2_0003, false, "echo", ContentEncodings.DEFAULT),
        settingsOnly);
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.BAD_REQUEST, "request body held no complete command request\n"),
        outcome);
  }

  /** H5: a client frame flagged encoded gets a message, not a crash. */
  @Test
  void anEncodedClientFrameIsRefusedWithAMessage() throws Exception {
    Frame f = new Frame(1, 1, 0x01 | 0x04, FrameType.COMMAND_REQUEST.id(Framing.V0006), 0x01,
        ByteString.wrap(CborEncoder.encode(Map.of(b("name"), b("echo")))));
    ExchangeOutcome outcome = feed(exchange(ExchangeApi.HTTP_V2_0003, false, "echo", ContentEncodings.DEFAULT),
        f.encode());
    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class, outcome);
    assertFalse(r.message().isEmpty());
  }

  /** Framing 0006 carries objects only: a bytes answer is a server error frame, not a crash. */
  @Test
  void aBytesAnswerUnder0003IsAServerError() throws Exception {
    List<Frame> frames = frames(run(ExchangeApi.HTTP_V2_0003, "raw", List.of(), Map.of()));
    assertEquals(FrameType.ERROR_RESPONSE, frames.get(frames.size() - 1).type(Framing.V0006).orElseThrow());
    assertTrue(frames.get(frames.size() - 1).payload().utf8().contains("raw bytes, which framing 0006 cannot carry"));
  }

  // ---------------------------------------------------------------- helpers

  private static ServerExchange exchange(ExchangeApi api, boolean readWrite, String command, ContentEncodings encoders) {
    return new ServerExchange(REGISTRY, Limits.DEFAULTS, encoders,
        new ExchangeRequest(api, readWrite, b(command), null, false));
  }

  private static ExchangeOutcome run(ExchangeApi api, String command, List<String> encodings, Map<Object, Object> args) {
    return feed(exchange(api, false, command, ContentEncodings.DEFAULT), api == ExchangeApi.HTTP_V2_0003
        ? request(command, encodings, args) : request0005(command, args));
  }

  private static ExchangeOutcome feed(ServerExchange e, byte[] body) {
    e.receive(body, 0, body.length);
    return e.endOfInput();
  }

  /** A 0006 request as hg 4.8 sends it: settings (when encodings are given), then the command. */
  private static byte[] request(String command, List<String> encodings, Map<Object, Object> args) {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withHasMultipleSend(false)
        .withBufferSends(false).withClientContentEncoders(encodings));
    @SuppressWarnings("unchecked")
    Map<ByteString, Object> a = (Map<ByteString, Object>) (Map<?, ?>) args;
    return encode(assertInstanceOf(Action.SendFrames.class, client.callCommand(b(command), a, null).action()).frames());
  }

  private static byte[] request0005(String command, Map<Object, Object> args) {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0005).withHasMultipleSend(false)
        .withBufferSends(false));
    @SuppressWarnings("unchecked")
    Map<ByteString, Object> a = (Map<ByteString, Object>) (Map<?, ?>) args;
    return encode(assertInstanceOf(Action.SendFrames.class, client.callCommand(b(command), a, null).action()).frames());
  }

  private static List<Frame> frames(ExchangeOutcome outcome) {
    return assertInstanceOf(ExchangeOutcome.Frames.class, outcome).frames().toList();
  }

  /** The values of the command responses, each encoded payload decoded with its stream's decoder. */
  private static List<Object> values(ExchangeOutcome outcome) throws Exception {
    ContentDecoder decoder = null;
    ByteString payload = ByteString.EMPTY;
    for (Frame f : frames(outcome)) {
      FrameType type = f.type(Framing.V0006).orElseThrow();
      if (type == FrameType.STREAM_SETTINGS) {
        String name = ((ByteString) CborDecoder.decodeAll(f.payload()).get(0)).utf8();
        decoder = ContentEncodings.DEFAULT.newDecoder(name, Long.MAX_VALUE).orElseThrow();
      } else if (type == FrameType.COMMAND_RESPONSE) {
        payload = payload.concat((f.streamFlags() & 0x04) != 0 ? decoder.decode(f.payload()) : f.payload());
      }
    }
    return CborDecoder.decodeAll(payload);
  }

  private static byte[] encode(FrameIterator frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  private static Map<ByteString, ByteString> ok() {
    return Map.of(b("status"), b("ok"));
  }

  private static Map<ByteString, Object> error(String message) {
    return Map.of(b("status"), b("error"), b("error"), Map.of(b("message"), b(message)));
  }

  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }
}
