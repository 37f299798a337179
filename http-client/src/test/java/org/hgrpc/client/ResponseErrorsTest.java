package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.HumanFrames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Responses that arrive whole but say the command failed, or break the protocol. */
class ResponseErrorsTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private HgrpcClient client;

  @BeforeEach
  void setUp() {
    Wire.stubHandshake(wm);
    client = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(3)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private void respond(String command, byte[] body) {
    wm.stubFor(Wire.postRo(command).willReturn(Wire.frames(body)));
  }

  @Test
  void aCommandErrorIsFormattedWithItsArguments() {
    respond("lookup", Wire.commandError(1, "unknown revision %s (%s%% sure)", "doesnotexist", "99"));

    CommandErrorException e = assertThrows(CommandErrorException.class,
        () -> client.await(client.call("lookup", Map.of("key", "doesnotexist"))));

    assertEquals("lookup: unknown revision doesnotexist (99% sure)", e.getMessage());
    assertEquals("unknown revision doesnotexist (99% sure)", e.formattedMessage());
    assertEquals("lookup", e.command());
    assertEquals(ByteString.utf8("unknown revision %s (%s%% sure)"), e.format());
    assertEquals(List.of(ByteString.utf8("doesnotexist"), ByteString.utf8("99")), e.args());
    assertEquals(ByteString.utf8("unknown revision %s (%s%% sure)"), e.raw().get(ByteString.latin1("message")));
  }

  @Test
  void anErrorFrameIsAServerError() {
    respond("lookup", HttpVectors.get("repo lookup unknown").responseBody());

    ServerErrorException e = assertThrows(ServerErrorException.class,
        () -> client.await(client.call("lookup", Map.of("key", "doesnotexist"))));

    assertEquals(ByteString.latin1("server"), e.type());
    assertEquals("unknown revision 'doesnotexist'", e.serverMessage());
    assertEquals("lookup: server error: unknown revision 'doesnotexist'", e.getMessage());
  }

  @Test
  void anErrorFrameAfterSomeOutputEndsTheValues() {
    List<Frame> frames = Wire.serverFrames(1, List.of(ByteString.latin1("partial")).iterator());
    byte[] body = Wire.concat(Wire.encode(frames.subList(0, frames.size() - 1)),
        Wire.errorFrame(1, "server", "disk on fire"));
    respond("customreadonly", body);

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      Iterator<Object> it = r.iterator();
      assertEquals(ByteString.latin1("partial"), it.next());
      ServerErrorException e = assertThrows(ServerErrorException.class, it::hasNext);
      assertEquals("disk on fire", e.serverMessage());
    }
  }

  @Test
  void aFrameOnAClientStreamIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse("1 1 stream-begin command-response eos cbor:{b'status': b'ok'}")
        .encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().contains("received frame with odd numbered stream ID: 1"), e.getMessage());
  }

  @Test
  void aFrameForARequestNotMadeIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse("7 2 stream-begin command-response eos cbor:{b'status': b'ok'}")
        .encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().contains("received frame for inactive request ID: 7"), e.getMessage());
  }

  @Test
  void aSideChannelFrameIsRefusedAsTheReferenceClientDoes() {
    respond("customreadonly", new FrameStream(2).makeFrame(1, FrameType.TEXT_OUTPUT, 0, ByteString.EMPTY).encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().contains("unhandled frame type: 6"), e.getMessage());
  }

  @Test
  void aPayloadThatIsNotCborIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse("1 2 stream-begin command-response eos \\xa1\\x7f").encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().startsWith("customreadonly: the response is not valid CBOR"), e.getMessage());
  }

  @Test
  void aResponseWithoutStatusMapIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse("1 2 stream-begin command-response eos cbor:b'hello'").encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals("customreadonly: the response does not begin with a status map but with byte string b'hello'",
        e.getMessage());
  }

  @Test
  void anUnknownStatusIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse(
        "1 2 stream-begin command-response eos cbor:{b'status': b'redirect'}").encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().contains("unknown response status"), e.getMessage());
  }

  @Test
  void anEmptyResponseIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse("1 2 stream-begin command-response eos ").encode());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals("customreadonly: the response ended without a status", e.getMessage());
  }

  @Test
  void aResponseEndingInsideAValueIsAProtocolError() {
    respond("customreadonly", HumanFrames.parse(
        "1 2 stream-begin command-response eos \\xa1\\x46status\\x42ok\\x82\\x41").encode());

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      ProtocolErrorException e = assertThrows(ProtocolErrorException.class, r::toList);
      assertEquals("customreadonly: the response ends inside a CBOR value", e.getMessage());
    }
  }

  @Test
  void aFrameOverTheLimitIsAProtocolError() {
    respond("customreadonly", Wire.okResponse(1, ByteString.wrap(new byte[5000])));
    try (HgrpcClient small = HgrpcClient.builder(wm.baseUrl()).limits(Limits.DEFAULTS.withMaxFramePayload(1000))
        .build()) {
      ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> {
        try (CommandResult r = small.await(small.call("customreadonly", Map.of()))) {
          r.toList();
        }
      });
      assertTrue(e.getMessage().contains("frame payload exceeds maximum size 1000"), e.getMessage());
    }
  }
}
