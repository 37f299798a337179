package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hgrpc.server.ops.LogFormat;
import org.hgrpc.server.ops.OpsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operating side of the embedded server: {@code /healthz}, {@code /metrics} (off by
 * default, on its own port or the server's), the access log's user and duration, and the
 * error log's causes, in text and JSON.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpsEndpointsTest {
  static final String FRAMING = ServeCommandTest.FRAMING;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  private final List<HgrpcServer> servers = new ArrayList<>();
  private final ByteArrayOutputStream access = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

  @AfterEach
  void stop() throws Exception {
    for (HgrpcServer s : servers) {
      s.close();
    }
  }

  @Test
  void healthzAnswersOkWhateverThePermissionsAndPrefix() throws Exception {
    HgrpcServer s = start(OpsSettings.DEFAULTS, "repos/one", null, "web.deny_read=*");
    HttpResponse<String> h = get(root(s) + "/healthz", null);
    assertEquals(200, h.statusCode());
    assertEquals("ok\n", h.body());
    assertEquals("no-store", h.headers().firstValue("Cache-Control").orElse(null));
    // The repository itself refuses the anonymous reader: the health check does not go through it.
    assertEquals(401, get(s.uri() + "?cmd=capabilities", null).statusCode());
  }

  @Test
  void metricsAreOffByDefault() throws Exception {
    HgrpcServer s = start(OpsSettings.DEFAULTS, "", null);
    assertNull(s.metricsUri());
    HttpResponse<String> m = get(root(s) + "/metrics", null);
    assertEquals(404, m.statusCode());
    assertFalse(m.body().contains("hgrpc_requests"), m.body());
  }

  @Test
  void metricsOnTheirOwnPortCountRequestsByApiCommandOutcomeAndStatus() throws Exception {
    HgrpcServer s = start(new OpsSettings(true, "127.0.0.1", 0, LogFormat.TEXT, true), "", null);
    URI metrics = s.metricsUri();
    assertTrue(metrics.toString().matches("http://127\\.0\\.0\\.1:\\d+/metrics"), metrics.toString());
    assertTrue(metrics.getPort() != s.port());
    assertEquals(200, capabilities(s).statusCode());
    assertEquals(200, capabilities(s).statusCode());
    assertEquals(404, post(s, "/api/exp-http-v2-0001/ro/nosuch").statusCode());
    assertEquals(406, HTTP.send(HttpRequest.newBuilder(s.uri().resolve("api/exp-http-v2-0001/ro/capabilities"))
        .header("Content-Type", FRAMING).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());

    // A response with a Content-Length is complete at its last byte, a moment before the
    // observer records it: scrape until the last request is counted (bounded).
    HttpResponse<String> scrape = scrapeUntil(metrics.toString(), "status=\"406\"");
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = scrape.body();
    assertMetric(text, "hgrpc_requests_total{api=\"exp-http-v2-0001\",command=\"capabilities\",outcome=\"ok\",status=\"200\"} 2.0");
    // An unknown command is "other": a client cannot make up label values.
    assertMetric(text, "hgrpc_requests_total{api=\"exp-http-v2-0001\",command=\"other\",outcome=\"refused\",status=\"404\"} 1.0");
    assertMetric(text, "hgrpc_requests_total{api=\"exp-http-v2-0001\",command=\"capabilities\",outcome=\"refused\",status=\"406\"} 1.0");
    assertTrue(text.contains("hgrpc_request_duration_seconds_bucket{api=\"exp-http-v2-0001\",command=\"capabilities\",outcome=\"ok\",le="),
        "a latency histogram");
    // Every frame read counts: one per served call, and the unknown command's, whose body the
    // server reads after refusing it (so the connection stays usable); the 406 had none.
    assertMetric(text, "hgrpc_frames_total{api=\"exp-http-v2-0001\",direction=\"in\"} 3.0");
    assertTrue(text.contains("hgrpc_frames_total{api=\"exp-http-v2-0001\",direction=\"out\"}"), "frames out");
    assertTrue(text.contains("hgrpc_request_body_bytes_sum{api=\"exp-http-v2-0001\",command=\"capabilities\"}"), "bytes in");
    assertTrue(text.contains("hgrpc_response_body_bytes_sum{api=\"exp-http-v2-0001\",command=\"capabilities\"}"), "bytes out");
    assertTrue(text.contains("hgrpc_requests_in_flight "), "in flight");
    assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");
    assertTrue(text.contains("jetty_threads_busy"), "Jetty's thread pool");
    assertTrue(text.contains("jetty_server_requests_seconds_count{"), "Jetty 12 request timer");
    assertTrue(text.contains("jetty_connections_"), "Jetty's connections");

    // The metrics port serves nothing else; the server's port has no /metrics.
    assertEquals(404, get("http://127.0.0.1:" + metrics.getPort() + "/api", null).statusCode());
    assertEquals(200, get("http://127.0.0.1:" + metrics.getPort() + "/healthz", null).statusCode());
    assertEquals(404, get(root(s) + "/metrics", null).statusCode());
  }

  @Test
  void metricsOnTheServersPortWhenNoPortIsGiven() throws Exception {
    HgrpcServer s = start(new OpsSettings(true, "127.0.0.1", -1, LogFormat.TEXT, true), "", null);
    assertEquals(root(s) + "/metrics", s.metricsUri().toString());
    assertEquals(200, capabilities(s).statusCode());
    HttpResponse<String> scrape = scrapeUntil(root(s) + "/metrics", "command=\"capabilities\"");
    assertEquals(200, scrape.statusCode());
    assertMetric(scrape.body(), "hgrpc_requests_total{api=\"exp-http-v2-0001\",command=\"capabilities\",outcome=\"ok\",status=\"200\"} 1.0");
  }

  @Test
  void accessLogNamesTheAuthenticatedUserAndTheDuration() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "alice: secret\n");
    HgrpcServer s = start(OpsSettings.DEFAULTS, "", users);
    assertEquals(200, get(s.uri() + "api", "alice:secret").statusCode());
    assertEquals(200, get(s.uri() + "api", null).statusCode());
    List<String> lines = lines(access, 2);
    var m = ServeCommandTest.NCSA.matcher(lines.get(0));
    assertTrue(m.matches(), lines.get(0));
    assertEquals("alice", m.group(2));
    assertEquals("GET /api HTTP/1.1", m.group(4));
    assertTrue(m.group(8).startsWith("Java-http-client"), m.group(8));
    assertTrue(Long.parseLong(m.group(9)) >= 0);
    var anonymous = ServeCommandTest.NCSA.matcher(lines.get(1));
    assertTrue(anonymous.matches(), lines.get(1));
    assertEquals("-", anonymous.group(2));
  }

  @Test
  void errorLogGivesTheCauseOfEveryRefusal() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "alice: secret\n");
    HgrpcServer s = start(OpsSettings.DEFAULTS, "repo", users);
    assertEquals(404, post(s, "/api/exp-http-v2-0001/ro/nosuch").statusCode());
    assertEquals(401, get(s.uri() + "api", "alice:wrong").statusCode());
    assertEquals(403, HTTP.send(HttpRequest.newBuilder(s.uri().resolve("api/exp-http-v2-0001/rw/capabilities"))
        .header("Authorization", basic("alice:secret")).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(ServeCommandTest.frames("capabilities"))).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(404, get(root(s) + "/elsewhere", null).statusCode()); // outside the prefix: Jetty's own 404
    assertEquals(200, get(s.uri() + "api", null).statusCode()); // not logged
    List<String> lines = lines(errors, 4);
    assertTrue(lines.get(0).endsWith("] 404 POST /repo/api/exp-http-v2-0001/ro/nosuch (user -): unknown wire protocol"
        + " command: nosuch"), lines.get(0));
    assertTrue(lines.get(1).endsWith("] 401 GET /repo/api (user -): authentication failed (the users file has no user"
        + " 'alice' with this password)"), lines.get(1));
    assertTrue(lines.get(2).endsWith("] 403 POST /repo/api/exp-http-v2-0001/rw/capabilities (user alice): permission denied"
        + " (ssl required: web.push_ssl is true (the default) and this request came over plain HTTP: push over HTTPS, or"
        + " set web.push_ssl = false)"), lines.get(2));
    assertTrue(lines.get(3).endsWith("] 404 GET /elsewhere (user -): Not Found"), lines.get(3));
    assertEquals(4, errors.toString(StandardCharsets.UTF_8).lines().count(), errors.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonLogsAreOneObjectPerLine() throws Exception {
    HgrpcServer s = start(new OpsSettings(false, "127.0.0.1", -1, LogFormat.JSON, true), "", null);
    assertEquals(404, post(s, "/api/exp-http-v2-0001/ro/nosuch").statusCode());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(lines(access, 1).get(0));
    assertEquals("127.0.0.1", a.get("remote").asText());
    assertTrue(a.get("user").isNull());
    assertEquals("POST", a.get("method").asText());
    assertEquals("/api/exp-http-v2-0001/ro/nosuch", a.get("uri").asText());
    assertEquals("HTTP/1.1", a.get("protocol").asText());
    assertEquals(404, a.get("status").asInt());
    assertTrue(a.get("bytes").asLong() > 0);
    assertTrue(a.get("durationMs").isIntegralNumber());
    assertTrue(a.get("time").asText().endsWith("Z"));
    JsonNode e = json.readTree(lines(errors, 1).get(0));
    assertEquals(404, e.get("status").asInt());
    assertEquals("POST", e.get("method").asText());
    assertEquals("unknown wire protocol command: nosuch", e.get("cause").asText());
  }

  // ================================================================= helpers

  private HgrpcServer start(OpsSettings ops, String prefix, Path users, String... config) throws Exception {
    HgrpcServer.Builder b = HgrpcServer.builder().address("127.0.0.1").port(0).prefix(prefix)
        .settings(AccessControlHttpTest.settings(config)).registry(CommandRegistry.builder().build()).ops(ops)
        .accessLog(new PrintStream(access, true, StandardCharsets.UTF_8))
        .errorLog(new PrintStream(errors, true, StandardCharsets.UTF_8));
    if (users != null) {
      b.usersFile(users);
    }
    HgrpcServer s = b.build().start();
    servers.add(s);
    return s;
  }

  private static HttpResponse<String> scrapeUntil(String uri, String seen) throws Exception {
    HttpResponse<String> r = get(uri, null);
    for (int i = 0; i < 100 && !r.body().contains(seen); i++) {
      Thread.sleep(50);
      r = get(uri, null);
    }
    return r;
  }

  private static void assertMetric(String scrape, String line) {
    assertTrue(scrape.lines().anyMatch(l -> l.equals(line)), () -> "no line " + line + " in\n"
        + scrape.lines().filter(l -> l.startsWith("hgrpc_requests_total") || l.startsWith("hgrpc_frames")).toList());
  }

  /** The first {@code n} lines of a log, waiting (bounded) for the request log, which Jetty writes after the response. */
  private static List<String> lines(ByteArrayOutputStream log, int n) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      List<String> lines;
      synchronized (log) {
        lines = log.toString(StandardCharsets.UTF_8).lines().toList();
      }
      if (lines.size() >= n) {
        return lines;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("fewer than " + n + " lines in " + log.toString(StandardCharsets.UTF_8));
  }

  private static String root(HgrpcServer s) {
    return "http://127.0.0.1:" + s.port();
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String uri, String credentials) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET();
    if (credentials != null) {
      b.header("Authorization", basic(credentials));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> capabilities(HgrpcServer s) throws Exception {
    return post(s, "/api/exp-http-v2-0001/ro/capabilities");
  }

  private static HttpResponse<String> post(HgrpcServer s, String path) throws Exception {
    String command = path.substring(path.lastIndexOf('/') + 1);
    return HTTP.send(HttpRequest.newBuilder(s.uri().resolve(path.substring(1))).timeout(Duration.ofSeconds(10))
        .header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(ServeCommandTest.frames(command))).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
