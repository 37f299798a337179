package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands of Mercurial's legacy wire protocol ({@code ?cmd=heads}, a push's {@code
 * ?cmd=unbundle}) get an answer that every {@code hg} client prints: status 200 with {@code
 * application/hg-error} (an {@code hg} 6.x clone then says {@code abort: remote error:} and the
 * text, where any other status gave a bare {@code HTTP Error 404}).
 */
class LegacyProtocolTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static HgrpcServer server;
  private static HgrpcServer noApis;

  @BeforeAll
  static void start() throws Exception {
    server = start(true);
    noApis = start(false);
  }

  private static HgrpcServer start(boolean apis) throws Exception {
    HgrcConfig cfg = HgrcConfig.empty().withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=" + apis);
    return HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(cfg))
        .errorLog(new PrintStream(OutputStream.nullOutputStream())).registry(TestCommands.registry()).build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    noApis.close();
  }

  private static HttpResponse<String> send(HgrpcServer s, String pathAndQuery, String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s.uri().toString().replaceAll("/$", "") + pathAndQuery))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("HG20")
            : HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLegacyReadCommandIsAnsweredAsAnErrorHgPrints() throws Exception {
    HttpResponse<String> r = send(server, "/?cmd=heads", "GET");
    assertEquals(200, r.statusCode());
    assertEquals("application/hg-error", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("this server speaks only Mercurial's frame-based protocol (HTTP API exp-http-v2-0001 and"
        + " exp-http-v2-0003 under /api/), not the legacy wire protocol this client used (command 'heads').\n"
        + "Clients that can use it: Mercurial 4.8 with --config experimental.httppeer.advertise-v2=true,"
        + " the hgrpc client, and curl (see the project's docs/curl.md).\n", r.body());
  }

  @Test
  void aLegacyPushGetsTheSameAnswer() throws Exception {
    HttpResponse<String> r = send(server, "/?cmd=unbundle&heads=686173686564", "POST");
    assertEquals(200, r.statusCode());
    assertEquals("application/hg-error", r.headers().firstValue("Content-Type").orElse(null));
    assertTrue(r.body().contains("not the legacy wire protocol this client used (command 'unbundle')"), r.body());
  }

  @Test
  void aLongCommandNameIsCut() throws Exception {
    String name = "x".repeat(200);
    HttpResponse<String> r = send(server, "/?cmd=" + name, "GET");
    assertTrue(r.body().contains("(command '" + "x".repeat(64) + "...')"), r.body());
  }

  @Test
  void withoutApisTheAnswerSaysSo() throws Exception {
    HttpResponse<String> r = send(noApis, "/?cmd=batch", "GET");
    assertEquals("application/hg-error", r.headers().firstValue("Content-Type").orElse(null));
    assertTrue(r.body().startsWith("this server has no frame-based API enabled (web.api.http-v2 is off), not the"
        + " legacy wire protocol this client used (command 'batch')."), r.body());
  }

  @Test
  void theRootWithoutACommandStaysA404() throws Exception {
    HttpResponse<String> r = send(server, "/", "GET");
    assertEquals(404, r.statusCode());
    assertEquals("this server speaks Mercurial's frame-based protocol under /api/\n", r.body());
  }
}
