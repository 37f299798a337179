package org.hgrpc.client.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import org.hgrpc.client.HttpVectorsAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI with framing 0006 / API exp-http-v2-0003, against Mercurial 4.8's recorded exchanges:
 * {@code frames encode --framing 0006}, {@code frames decode --framing 0006} of encoded
 * responses, and {@code call} / {@code capabilities} negotiating the API.
 */
class Cli0006Test {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static HttpVectorsAccess.Recorded recorded(String name) {
    return HttpVectorsAccess.recorded0006("repo48", name);
  }

  @Test
  void encodesACommandAsThe0006ClientSendsIt() {
    CliRun zlib = CliRun.run("frames", "encode", "--framing", "0006", "--encoders", "zlib,identity",
        "--command", "heads");
    assertArrayEquals(recorded("heads zlib").requestBody(), zlib.stdout(), zlib.toString());

    CliRun byDefault = CliRun.run("frames", "encode", "--framing", "0006", "--command", "heads");
    assertArrayEquals(recorded("heads zstd").requestBody(), byDefault.stdout(), byDefault.toString());

    CliRun args = CliRun.run("frames", "encode", "--framing", "0006", "--encoders", "identity", "--command",
        "listkeys", "--arg", "namespace=bookmarks");
    assertArrayEquals(recorded("listkeys bookmarks").requestBody(), args.stdout(), args.toString());
  }

  @Test
  void encodesHumanLinesWith0006TypeNames() {
    CliRun r = CliRun.run(("1 1 stream-begin sender-protocol-settings eos cbor:{b'contentencodings': "
        + "[b'zlib', b'identity']}\n1 1 0 command-request new cbor:{b'name': b'heads'}\n")
        .getBytes(StandardCharsets.ISO_8859_1), "frames", "encode", "--framing", "0006");

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(recorded("heads zlib").requestBody(), r.stdout());
  }

  @Test
  void encodeRefusesEncodersWithout0006OrACommand() {
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--encoders", "zlib", "--command", "heads")
        .exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--framing", "0006", "--encoders", "zlib")
        .exitCode());
    CliRun unknown = CliRun.run("frames", "encode", "--framing", "0006", "--encoders", "brotli", "--command", "x");
    assertEquals(ExitCodes.USAGE, unknown.exitCode());
    assertTrue(unknown.stderr().contains("unknown content encoding brotli"), unknown.toString());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--framing", "0007").exitCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"heads zlib", "heads zstd", "capabilities zlib", "capabilities zstd"})
  void decodesEncodedResponsesToTheIdentityResponsesValues(String row) {
    String identityRow = row.substring(0, row.indexOf(' '));
    CliRun identity = CliRun.run(recorded(identityRow).responseBody(), "frames", "decode", "--framing", "0006",
        "--no-frames");
    CliRun encoded = CliRun.run(recorded(row).responseBody(), "frames", "decode", "--framing", "0006", "--no-frames");

    assertEquals(0, encoded.exitCode(), encoded.toString());
    assertEquals(identity.out(), encoded.out());
    assertTrue(identity.out().contains("request 1 command-response:"), identity.out());
  }

  @Test
  void decodeShows0006FrameNamesAndKeepsPayloadsAsSent() {
    byte[] body = recorded("heads zlib").responseBody();

    CliRun r = CliRun.run(body, "frames", "decode", "--framing", "0006", "--no-values");

    assertEquals(0, r.exitCode(), r.toString());
    String first = r.out().lines().findFirst().orElseThrow();
    assertEquals("1 2 stream-begin stream-settings eos Dzlib", first); // CBOR b'zlib' is 0x44 'zlib'
    assertTrue(r.out().contains(" encoded command-response "), r.out());
    // The lines encode back to the same bytes.
    CliRun again = CliRun.run(r.stdout(), "frames", "encode", "--framing", "0006");
    assertArrayEquals(body, again.stdout(), again.toString());
  }

  @Test
  void decodingAnUnknownStreamEncodingFails() {
    CliRun frames = CliRun.run(("1 2 stream-begin stream-settings eos cbor:b'brotli'\n"
        + "1 2 encoded command-response eos \\x00\n").getBytes(StandardCharsets.ISO_8859_1),
        "frames", "encode", "--framing", "0006");

    CliRun r = CliRun.run(frames.stdout(), "frames", "decode", "--framing", "0006");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("stream 2: unknown content encoding brotli"), r.toString());
  }

  private static void stubHandshake() {
    wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-cbor").withBody(recorded("handshake").responseBody())));
  }

  private static void stub(String name) {
    HttpVectorsAccess.Recorded v = recorded(name);
    wm.stubFor(post(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody()))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/mercurial-exp-framing-0006")
            .withBody(v.responseBody())));
  }

  @Test
  void callNegotiates0003AndOffersTheEncodersGiven() {
    stubHandshake();
    stub("heads zlib");
    stub("heads");

    CliRun zlib = CliRun.run("call", "--encoders", "zlib,identity", wm.baseUrl(), "heads");
    CliRun identity = CliRun.run("call", "--encoders", "identity", wm.baseUrl(), "heads");

    assertEquals(0, zlib.exitCode(), zlib.toString());
    assertEquals(identity.out(), zlib.out());
    assertTrue(zlib.out().matches("(?s)\\[\\n  \"[0-9a-f]{40}\",\\n  \"[0-9a-f]{40}\"\\n\\]\\n"), zlib.out());
  }

  @Test
  void callWithAForcedApiTheServerLacksFails() {
    stubHandshake();

    CliRun r = CliRun.run("call", "--api", "0001", wm.baseUrl(), "heads");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("does not offer API exp-http-v2-0001; it offers [exp-http-v2-0003]"),
        r.toString());
    assertEquals(ExitCodes.USAGE, CliRun.run("call", "--api", "0002", wm.baseUrl(), "heads").exitCode());
  }

  @Test
  void capabilitiesHandshakeShowsTheApisTheServerLists() {
    stubHandshake();

    CliRun r = CliRun.run("capabilities", "--handshake", "--compact", wm.baseUrl());

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("{\"apibase\":\"api/\",\"apis\":{\"exp-http-v2-0003\":{\"commands\":"), r.out());
  }
}
