package org.hgrpc.client.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hgrpc.client.HttpVectorsAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code hgrpc call} and {@code hgrpc capabilities} against recorded answers. */
class CallCliTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-cbor").withBody(HttpVectorsAccess.defaultHandshake())));
  }

  private void replay(String vector, String path) {
    wm.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-exp-framing-0005")
        .withBody(HttpVectorsAccess.responseBody(vector))));
  }

  private static final String RO = "/api/exp-http-v2-0001/ro/";

  @Test
  void printsHeadsAsHex() {
    replay("repo heads", RO + "heads");

    CliRun r = CliRun.run("call", wm.baseUrl(), "heads");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("[\n  \"ddf943f5d05b0fa97ff16fa5f809e64d343f21c6\",\n"
        + "  \"29c9ad264e2de94dd2d47f45c908b40707b95994\"\n]\n", r.out());
  }

  @Test
  void printsTextValuesAsText() {
    replay("repo listkeys bookmarks", RO + "listkeys");

    CliRun r = CliRun.run("call", "--compact", wm.baseUrl(), "listkeys", "namespace=bookmarks");

    assertEquals("{\"feature\":\"ddf943f5d05b0fa97ff16fa5f809e64d343f21c6\","
        + "\"release\":\"29c9ad264e2de94dd2d47f45c908b40707b95994\"}\n", r.out());
  }

  @Test
  void writesBytesAndRawFrames() throws Exception {
    replay("read-only command", RO + "customreadonly");

    CliRun bytes = CliRun.run("call", "--bytes", wm.baseUrl(), "customreadonly");
    assertEquals("customreadonly bytes response", bytes.out());

    Path out = dir.resolve("response.frames");
    CliRun raw = CliRun.run("call", "--raw", "-o", out.toString(), wm.baseUrl(), "customreadonly");
    assertEquals(0, raw.exitCode(), raw.toString());
    assertArrayEquals(HttpVectorsAccess.responseBody("read-only command"), Files.readAllBytes(out));

    assertEquals(ExitCodes.USAGE, CliRun.run("call", "--raw", "--bytes", wm.baseUrl(), "x").exitCode());
  }

  @Test
  void aPushCommandGoesToRw() {
    replay("read-write command", "/api/exp-http-v2-0001/rw/customreadwrite");
    assertEquals("\"customreadwrite bytes response\"\n", CliRun.run("call", wm.baseUrl(), "customreadwrite").out());

    replay("read-write allowed", "/api/exp-http-v2-0001/rw/customreadonly");
    CliRun r = CliRun.run("call", "--permission", "push", wm.baseUrl(), "customreadonly");
    assertEquals("\"customreadonly bytes response\"\n", r.out(), r.toString());
  }

  @Test
  void aServerErrorExits1() {
    replay("repo lookup unknown", RO + "lookup");

    CliRun r = CliRun.run("call", wm.baseUrl(), "lookup", "key=doesnotexist");

    assertEquals(ExitCodes.COMMAND_ERROR, r.exitCode(), r.toString());
    assertEquals("hgrpc: lookup: server error: unknown revision 'doesnotexist'\n", r.stderr());
  }

  @Test
  void anHttpErrorExits3() {
    wm.stubFor(post(urlPathEqualTo(RO + "badcommand")).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "text/plain").withBody("unknown wire protocol command: badcommand\n")));

    CliRun r = CliRun.run("call", wm.baseUrl(), "badcommand");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(r.stderr().endsWith(": unknown wire protocol command: badcommand\n"), r.stderr());
  }

  @Test
  void anUnreachableServerExits4() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun r = CliRun.run("call", "--connect-timeout", "2s", "http://127.0.0.1:" + port + "/", "heads");
    assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
  }

  @Test
  void badArgumentsExit2() {
    assertEquals(ExitCodes.USAGE, CliRun.run("call", wm.baseUrl(), "heads", "novalue").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("call", "ftp://x/", "heads").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("call", "--timeout", "soon", wm.baseUrl(), "heads").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("call", wm.baseUrl()).exitCode());
  }

  @Test
  void capabilities() {
    replay("capabilities command", RO + "capabilities");

    CliRun r = CliRun.run("capabilities", "--compact", wm.baseUrl());

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("\"customreadwrite\":{\"args\":{},\"permissions\":[\"push\"]}"), r.out());
    assertTrue(r.out().contains("\"framingmediatypes\":[\"application/mercurial-exp-framing-0005\"]"), r.out());
  }

  @Test
  void theHandshake() {
    CliRun r = CliRun.run("capabilities", "--handshake", "--compact", wm.baseUrl());

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("{\"apibase\":\"api/\",\"apis\":{\"exp-http-v2-0001\":{\"commands\":"), r.out());
  }
}
