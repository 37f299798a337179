package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A POST refused before its body is read (routing, unknown command, access) still has its
 * body read, so the connection stays usable: the next request on it is answered. Without that
 * the container closes the connection after the answer, racing a client that reuses it.
 */
class UnreadBodyRefusalTest {
  private static HgrpcServer server;

  @BeforeAll
  static void start() throws Exception {
    server = HostileInputTest.start(HostileInputTest.settings(), TestCommands.registry());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "unknown command, /api/exp-http-v2-0001/ro/nosuchcommand, 404",
      "push without TLS, /api/exp-http-v2-0001/rw/customreadonly, 403",
      "unknown permission, /api/exp-http-v2-0001/xx/customreadonly, 404",
      "unknown api, /api/nope/ro/customreadonly, 404",
  })
  void theConnectionServesTheNextRequestAfterARefusal(String name, String path, int status) throws Exception {
    byte[] body = HostileInputTest.commandFrame(HostileInputTest.cborBytes("x"));
    try (HostileInputTest.Raw raw = HostileInputTest.Raw.open(server)) {
      // The head first, the body a moment later: the refusal is decided before any body byte arrives.
      raw.send(raw.requestHead(path, "Content-Length: " + body.length));
      Thread.sleep(200);
      raw.send(body);
      assertEquals(status, raw.readResponse(Duration.ofSeconds(5)).status(), name);

      byte[] api = "GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
      raw.send(api);
      assertEquals(200, raw.readResponse(Duration.ofSeconds(5)).status(), "the same connection still serves");
    }
  }
}
