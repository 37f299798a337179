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
import org.junit.jupiter.api.Test;

/** The capabilities handshake needs read access, as hgweb checks the pull permission first. */
class HandshakeAccessTest {

  private static HttpResponse<String> handshake(String... config) throws Exception {
    HgrcConfig cfg = HgrcConfig.empty().withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    for (String c : config) {
      cfg = cfg.withOverride(c);
    }
    try (HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0)
        .errorLog(new PrintStream(OutputStream.nullOutputStream()))
        .settings(ServerSettings.from(cfg)).registry(TestCommands.registry()).build().start()) {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + "?cmd=capabilities"))
          .header("X-HgUpgrade-1", "exp-http-v2-0001").header("X-HgProto-1", "cbor")
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void anonymousHandshakeIsRefusedWhenReadingIsRestricted() throws Exception {
    HttpResponse<String> r = handshake("web.allow_read=alice");
    assertEquals(401, r.statusCode());
    assertEquals("0\nread not authorized\n", r.body());
    assertEquals("read not authorized: web.allow_read does not list anonymous users (authenticate)",
        r.headers().firstValue("Hgrpc-Refusal").orElse(null));
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
  }

  @Test
  void handshakeIsAnsweredWhenReadingIsOpen() throws Exception {
    HttpResponse<String> r = handshake();
    assertEquals(200, r.statusCode());
    assertEquals("application/mercurial-cbor", r.headers().firstValue("Content-Type").orElse(null));
  }
}
