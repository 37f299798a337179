package org.hgrpc.client.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.hgrpc.client.HttpVectorsAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The messages and exit codes of what used to go wrong quietly or noisily (issue 15, item 11). */
class RoughEdgesCliTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  @TempDir
  Path dir;

  private static final String RW = "/api/exp-http-v2-0001/rw/";

  @BeforeEach
  void setUp() {
    wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-cbor")
        .withBody(HttpVectorsAccess.responseBody("repo handshake"))));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRefusedConnectionSaysSo() throws Exception {
    String url = "http://127.0.0.1:" + freePort() + "/";

    CliRun r = CliRun.run("call", "--connect-timeout", "2s", url, "heads");

    assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
    assertEquals("hgrpc: cannot connect to " + url + ": Connection refused\n", r.stderr());

    CliRun caps = CliRun.run("capabilities", "--connect-timeout", "2s", url);
    assertEquals("hgrpc: cannot connect to " + url + ": Connection refused\n", caps.stderr());
  }

  @Test
  void anUnknownHostSaysSo() {
    CliRun r = CliRun.run("call", "--connect-timeout", "2s", "http://nosuchhost.invalid/", "heads");

    assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
    assertEquals("hgrpc: cannot connect to http://nosuchhost.invalid/: unknown host nosuchhost.invalid\n",
        r.stderr());
  }

  @Test
  void aMissingFileSaysWhy() {
    Path missing = dir.resolve("missing.frames");
    for (String[] args : List.of(new String[] {"frames", "encode", missing.toString()},
        new String[] {"cbor", missing.toString()})) {
      CliRun r = CliRun.run(args);
      assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
      assertEquals("hgrpc: cannot read " + missing + ": No such file or directory\n", r.stderr());
    }

    CliRun dirInput = CliRun.run("cbor", dir.toString());
    assertEquals("hgrpc: cannot read " + dir + ": Is a directory\n", dirInput.stderr());

    Path nowhere = dir.resolve("no/such/dir/out.frames");
    CliRun out = CliRun.run("frames", "encode", "--command", "heads", "-o", nowhere.toString());
    assertEquals(ExitCodes.IO, out.exitCode(), out.toString());
    assertEquals("hgrpc: cannot write " + nowhere + ": No such file or directory\n", out.stderr());
  }

  @Test
  void aUrlWithoutASchemeIsOneLine() {
    for (String url : List.of("127.0.0.1:8000", "localhost:8000/", "ftp://x/")) {
      CliRun r = CliRun.run("call", url, "heads");
      assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
      assertEquals("hgrpc: URL must start with http:// or https://: " + url + "\n", r.stderr());
    }
    CliRun caps = CliRun.run("capabilities", "127.0.0.1:8000");
    assertEquals("hgrpc: URL must start with http:// or https://: 127.0.0.1:8000\n", caps.stderr());
  }

  @Test
  void usageErrorsPointToTheHelpInsteadOfPrintingIt() {
    CliRun r = CliRun.run("call", "--timeout", "soon", "http://127.0.0.1:1/", "heads");

    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertEquals("hgrpc: Invalid value for option '--timeout': 'soon' is not a duration (30, 30s, 500ms, 2m)\n"
        + "Try 'hgrpc call --help' for more information.\n", r.stderr());
    assertFalse(CliRun.run("call").stderr().contains("Usage:"));
  }

  @Test
  void framesEncodeWillNotWriteBinaryToATerminal() throws Exception {
    CliRun.Process terminal = CliRun.Process.detached().onTerminal(null);

    CliRun refused = CliRun.run(terminal, "frames", "encode", "--command", "heads");
    assertEquals(ExitCodes.USAGE, refused.exitCode(), refused.toString());
    assertEquals("hgrpc: not writing binary frames to a terminal: give -o FILE, or pipe the output "
        + "(-o - writes to the terminal anyway)\n", refused.stderr());
    assertEquals(0, refused.stdout().length);

    byte[] frames = CliRun.run("frames", "encode", "--command", "heads").stdout();
    CliRun forced = CliRun.run(terminal, "frames", "encode", "--command", "heads", "-o", "-");
    assertEquals(0, forced.exitCode(), forced.toString());
    assertArrayEquals(frames, forced.stdout());

    Path file = dir.resolve("heads.frames");
    CliRun toFile = CliRun.run(terminal, "frames", "encode", "--command", "heads", "-o", file.toString());
    assertEquals(0, toFile.exitCode(), toFile.toString());
    assertArrayEquals(frames, Files.readAllBytes(file));

    CliRun raw = CliRun.run(terminal, "call", "--raw", wm.baseUrl(), "heads");
    assertEquals(ExitCodes.USAGE, raw.exitCode(), raw.toString());
    assertTrue(raw.stderr().startsWith("hgrpc: not writing binary frames (--raw) to a terminal"), raw.stderr());
  }

  private void pushkeyAnswers(byte[] response) {
    wm.stubFor(post(urlPathEqualTo(RW + "pushkey")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-exp-framing-0005").withBody(response)));
  }

  private static final String[] PUSHKEY_ARGS = {"pushkey", "namespace=bookmarks", "key=newbm", "old=",
      "new=0000000000000000000000000000000000000000"};

  private static String[] call(String... tail) {
    List<String> args = new ArrayList<>(List.of("call", wm.baseUrl()));
    args.addAll(List.of(tail));
    return args.toArray(new String[0]);
  }

  @Test
  void pushkeyAnsweringTrueExits0() {
    pushkeyAnswers(HttpVectorsAccess.responseBody("repo pushkey bookmark"));

    CliRun r = CliRun.run(call(PUSHKEY_ARGS));

    assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
    assertEquals("true\n", r.out());
    assertEquals("", r.stderr());
    assertArrayEquals(HttpVectorsAccess.requestBody("repo pushkey bookmark"),
        wm.findAll(postRequestedFor(urlPathEqualTo(RW + "pushkey"))).get(0).getBody());
  }

  @Test
  void pushkeyAnsweringFalseExits1() {
    pushkeyAnswers(HttpVectorsAccess.okResponse(false));

    CliRun r = CliRun.run(call(PUSHKEY_ARGS));

    assertEquals(ExitCodes.COMMAND_ERROR, r.exitCode(), r.toString());
    assertEquals("false\n", r.out());
    assertEquals("hgrpc: pushkey: the server did not change the key (its value was not the old value given, "
        + "or the server refused)\n", r.stderr());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private void capabilitiesAnswer() {
    wm.stubFor(post(urlPathEqualTo("/api/exp-http-v2-0001/ro/capabilities")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/mercurial-exp-framing-0005")
        .withBody(HttpVectorsAccess.responseBody("repo capabilities"))));
  }

  @Test
  void aUserWithoutAPasswordIsAskedOnATerminal() {
    capabilitiesAnswer();
    List<String> prompts = new ArrayList<>();
    CliRun.Process terminal = CliRun.Process.detached().onTerminal(prompt -> {
      prompts.add(prompt);
      return "s3cret".toCharArray();
    });

    CliRun r = CliRun.run(terminal, "capabilities", "--user", "alice", wm.baseUrl());

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("password for alice: "), prompts);
    wm.verify(getRequestedFor(urlPathEqualTo("/")).withHeader("Authorization", equalTo(basic("alice", "s3cret"))));
  }

  @Test
  void aUserWithoutAPasswordTakesTheEnvironmentsWithoutAsking() {
    capabilitiesAnswer();
    CliRun.Process process = CliRun.Process.detached().withEnv(Map.of("HGRPC_PASSWORD", "fromenv"))
        .onTerminal(prompt -> {
          throw new AssertionError("asked: " + prompt);
        });

    CliRun r = CliRun.run(process, "capabilities", "--user", "alice", wm.baseUrl());

    assertEquals(0, r.exitCode(), r.toString());
    wm.verify(getRequestedFor(urlPathEqualTo("/")).withHeader("Authorization", equalTo(basic("alice", "fromenv"))));
  }

  @Test
  void aUserWithoutAPasswordAndNobodyToAskIsAUsageError() {
    CliRun r = CliRun.run(CliRun.Process.detached(), "capabilities", "--user", "alice", wm.baseUrl());

    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertEquals("hgrpc: --user alice needs a password: give --password, set HGRPC_PASSWORD, or run on a terminal "
        + "to be asked for it\n", r.stderr());
    assertEquals(0, wm.findAll(getRequestedFor(urlPathMatching(".*"))).size());

    CliRun given = CliRun.run(CliRun.Process.detached(), "capabilities", "--user", "alice", "--password", "pw",
        "--handshake", wm.baseUrl());
    assertEquals(0, given.exitCode(), given.toString());
    wm.verify(getRequestedFor(urlPathEqualTo("/")).withHeader("Authorization", equalTo(basic("alice", "pw"))));
    wm.verify(0, getRequestedFor(urlPathEqualTo("/")).withHeader("Authorization", absent()));
  }
}
