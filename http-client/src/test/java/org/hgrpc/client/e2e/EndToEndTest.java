package org.hgrpc.client.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.client.CallCancelledException;
import org.hgrpc.client.Capabilities;
import org.hgrpc.client.CommandCall;
import org.hgrpc.client.CommandErrorException;
import org.hgrpc.client.CommandResult;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.HttpStatusException;
import org.hgrpc.client.Node;
import org.hgrpc.client.ServerErrorException;
import org.hgrpc.client.ServerInfo;
import org.hgrpc.client.cli.HgrpcCli;
import org.hgrpc.client.cli.Io;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Permission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client and the CLI against the http-server module's embedded server, through API
 * exp-http-v2-0001 (framing 0005): the server serves exp-http-v2-0003 too, which a client
 * prefers by default; {@link EndToEnd0003Test} goes that way.
 */
class EndToEndTest {
  private static EmbeddedServer server;
  private HgrpcClient client;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedServer.start(EmbeddedServer.OPEN, EmbeddedServer.CUSTOM_READ_ONLY,
        EmbeddedServer.CUSTOM_READ_WRITE, EmbeddedServer.ECHO, EmbeddedServer.STREAM, EmbeddedServer.FAIL,
        EmbeddedServer.EXPLODE, EmbeddedServer.HEADS);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    client = HgrpcClient.builder(server.uri()).framing(Framing.V0005).requestTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private Object single(CommandCall call) {
    try (CommandResult r = client.await(client.call(call))) {
      return r.single();
    }
  }

  /** HTTP/2 where the server offers it (h2c here), HTTP/1.1 when the builder or the CLI forces it. */
  @Test
  void http2WhereOfferedAndHttp11WhenForced() throws Exception {
    // These clients negotiate as users' do: API exp-http-v2-0003, which the server offers too.
    try (EmbeddedServer own = EmbeddedServer.start(EmbeddedServer.OPEN, EmbeddedServer.ECHO)) {
      try (HgrpcClient h2 = HgrpcClient.builder(own.uri()).requestTimeout(Duration.ofSeconds(10)).build()) {
        assertEquals(ByteString.utf8("x"), h2.await(h2.call("echo", Map.of("value", "x"))).single());
      }
      assertTrue(accessLine(own, "POST /api/exp-http-v2-0003/ro/echo ").contains(" HTTP/2.0\" 200 "),
          own.accessLog());
    }
    try (EmbeddedServer own = EmbeddedServer.start(EmbeddedServer.OPEN, EmbeddedServer.ECHO)) {
      try (HgrpcClient h1 = HgrpcClient.builder(own.uri()).httpVersion(java.net.http.HttpClient.Version.HTTP_1_1)
          .requestTimeout(Duration.ofSeconds(10)).build()) {
        assertEquals(ByteString.utf8("x"), h1.await(h1.call("echo", Map.of("value", "x"))).single());
      }
      assertTrue(accessLine(own, "POST /api/exp-http-v2-0003/ro/echo ").contains(" HTTP/1.1\" 200 "),
          own.accessLog());
      assertTrue(own.accessLog().lines().noneMatch(l -> l.contains("HTTP/2.0")), own.accessLog());
    }
    try (EmbeddedServer own = EmbeddedServer.start(EmbeddedServer.OPEN, EmbeddedServer.ECHO)) {
      CliResult r = cli(new byte[0], "call", "--http1.1", own.uri().toString(), "echo", "value=cbor:7");
      assertEquals(0, r.code(), r.err() + r.text());
      assertTrue(accessLine(own, "POST /api/exp-http-v2-0003/ro/echo ").contains(" HTTP/1.1\" 200 "),
          own.accessLog());
    }
  }

  /** The access line of {@code request}, waiting (bounded) for Jetty, which logs after the response. */
  private static String accessLine(EmbeddedServer s, String request) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var line = s.accessLog().lines().filter(l -> l.contains(request)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no access line for " + request + " in " + s.accessLog());
  }

  @Test
  void theHandshakeAndTheCapabilitiesCommandAgree() {
    ServerInfo info = client.serverInfo();
    assertEquals("api/", info.apiBase());
    assertEquals(Permission.PUSH, info.capabilities().command("customreadwrite").orElseThrow().permission());

    Capabilities caps = client.capabilities();
    assertEquals(info.capabilities().commands(), caps.commands());
    assertTrue(caps.commands().keySet().containsAll(List.of("capabilities", "customreadonly", "customreadwrite")));
    assertEquals(List.of("application/mercurial-exp-framing-0005"), caps.framingMediaTypes());
  }

  @Test
  void theReferenceTestCommands() {
    assertEquals(ByteString.latin1("customreadonly bytes response"), single(CommandCall.of("customreadonly")));
    assertEquals(ByteString.latin1("customreadwrite bytes response"), single(CommandCall.of("customreadwrite")));
  }

  @Test
  void aBatchIsOneMultirequest() {
    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("customreadonly"),
        CommandCall.of("customreadwrite"), CommandCall.of("echo").withArg("value", "third")));
    List<Object> values = new java.util.ArrayList<>();
    for (CompletableFuture<CommandResult> f : results) {
      try (CommandResult r = client.await(f)) {
        values.add(r.single());
      }
    }
    assertEquals(List.of(ByteString.latin1("customreadonly bytes response"),
        ByteString.latin1("customreadwrite bytes response"), ByteString.latin1("third")), values);
  }

  @Test
  void argumentsRoundTrip() {
    Map<Object, Object> map = Map.of(ByteString.latin1("k"), List.of(1L, -2L, true, ByteString.latin1("v")));
    assertEquals(map, single(CommandCall.of("echo").withArg("value", Map.of("k", List.of(1, -2L, true, "v")))));
    assertEquals(Node.NULL.bytes(), single(CommandCall.of("echo").withArg("value", Node.NULL)));
  }

  @Test
  void typedHelpersWorkOnTheServersAnswers() {
    assertEquals(List.of(Node.fromHex("ddf943f5d05b0fa97ff16fa5f809e64d343f21c6"),
        Node.fromHex("29c9ad264e2de94dd2d47f45c908b40707b95994")), client.repository().heads(true));
  }

  @Test
  void errors() {
    CommandErrorException commandError = assertThrows(CommandErrorException.class,
        () -> client.await(client.call("fail", Map.of())));
    assertEquals("fail: cannot fail: on purpose", commandError.getMessage());

    ServerErrorException serverError = assertThrows(ServerErrorException.class, () -> {
      try (CommandResult r = client.await(client.call("explode", Map.of()))) {
        r.toList();
      }
    });
    assertTrue(serverError.serverMessage().contains("boom"), serverError.getMessage());

    HttpStatusException unknown = assertThrows(HttpStatusException.class,
        () -> client.await(client.call("nope", Map.of())));
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().startsWith("unknown wire protocol command: nope"), unknown.body());

    CommandErrorException missing = assertThrows(CommandErrorException.class,
        () -> client.await(client.call("echo", Map.of())));
    assertTrue(missing.getMessage().startsWith("echo: "), missing.getMessage());
  }

  @Test
  void pushingWhereNobodyMayIsAnHttpError() throws Exception {
    try (EmbeddedServer readonly = EmbeddedServer.start(EmbeddedServer.READONLY, EmbeddedServer.CUSTOM_READ_ONLY,
        EmbeddedServer.CUSTOM_READ_WRITE);
        HgrpcClient c = HgrpcClient.builder(readonly.uri()).build()) {
      HttpStatusException e = assertThrows(HttpStatusException.class,
          () -> c.await(c.call("customreadwrite", Map.of())));
      assertTrue(e.statusCode() == 401 || e.statusCode() == 403, e.getMessage());
      try (CommandResult r = c.await(c.call("customreadonly", Map.of()))) {
        assertEquals(ByteString.latin1("customreadonly bytes response"), r.single());
      }
    }
  }

  @Test
  void aLargeResponseStreams() throws Exception {
    long size = 64L << 20;
    long count = 0;
    try (CommandResult r = client.await(client.call(CommandCall.of("stream").withArg("size", size)));
        InputStream in = r.bytes()) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        count += n;
      }
    }
    assertEquals(size, count);
  }

  @Test
  void closingAResultEarlyLeavesTheServerServing() throws Exception {
    CommandResult r = client.await(client.call(CommandCall.of("stream").withArg("size", 1L << 30)));
    InputStream in = r.bytes();
    assertEquals(65536, in.readNBytes(65536).length);
    in.close();
    assertThrows(CallCancelledException.class, in::read);

    assertEquals(ByteString.latin1("customreadonly bytes response"), single(CommandCall.of("customreadonly")));
  }

  private static CliResult cli(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HgrpcCli.run(new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
    return new CliResult(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  private record CliResult(int code, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  @Test
  void theCliCallsTheServer() {
    CliResult heads = cli(new byte[0], "call", server.uri().toString(), "heads");
    assertEquals(0, heads.code(), heads.err());
    assertEquals("[\n  \"ddf943f5d05b0fa97ff16fa5f809e64d343f21c6\",\n"
        + "  \"29c9ad264e2de94dd2d47f45c908b40707b95994\"\n]\n", heads.text());

    CliResult echo = cli(new byte[0], "call", "--compact", server.uri().toString(), "echo", "value=cbor:[True, 7]");
    assertEquals("[true,7]\n", echo.text());

    CliResult caps = cli(new byte[0], "capabilities", "--compact", server.uri().toString());
    assertTrue(caps.text().contains("\"customreadwrite\":{\"args\":{},\"permissions\":[\"push\"]}"), caps.text());

    CliResult fail = cli(new byte[0], "call", server.uri().toString(), "fail");
    assertEquals(1, fail.code());
    assertEquals("hgrpc: fail: cannot fail: on purpose\n", fail.err());
  }

  @Test
  void rawFramesFromTheCliDecodeBack() {
    CliResult raw = cli(new byte[0], "call", "--raw", "--api", "exp-http-v2-0001", server.uri().toString(),
        "customreadonly");
    assertEquals(0, raw.code(), raw.err());
    CliResult decoded = cli(raw.out(), "frames", "decode", "--no-frames", "--compact");
    assertEquals("request 1 command-response:\n{\"status\":\"ok\"}\n\"customreadonly bytes response\"\n",
        decoded.text());

    CliResult request = cli(new byte[0], "frames", "encode", "--command", "customreadonly");
    assertArrayEquals(org.hgrpc.client.HttpVectorsAccess.requestBody("read-only command"), request.out());
  }
}
