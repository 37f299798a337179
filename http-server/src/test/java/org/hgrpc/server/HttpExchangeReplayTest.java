package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every exchange of the groups {@code disabled}, {@code default}, {@code open} and
 * {@code readonly} recorded from {@code hg serve} against our embedded server on loopback,
 * comparing status, Content-Type, Allow and the body bytes. The vectors README lists the
 * reference's defects we answer differently; those rows check our answer instead.
 */
class HttpExchangeReplayTest {
  private static final Set<String> GROUPS = Set.of("disabled", "default", "open", "readonly");
  /** These need Mercurial's repository commands (capabilities lists them; heads, pushkey run them). */
  static final Set<String> NEEDS_REPOSITORY = Set.of("capabilities command", "heads empty repo", "multirequest rw command on ro url");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Map<String, HgrpcServer> SERVERS = new LinkedHashMap<>();

  @TestFactory
  Stream<DynamicNode> exchanges() throws Exception {
    Map<String, List<DynamicNode>> byGroup = new LinkedHashMap<>();
    for (JsonNode row : rows()) {
      String group = row.get("group").asText();
      if (!GROUPS.contains(group)) {
        continue;
      }
      String name = row.get("name").asText();
      if (NEEDS_REPOSITORY.contains(name)) {
        continue;
      }
      byGroup.computeIfAbsent(group, g -> new ArrayList<>())
          .add(DynamicTest.dynamicTest(name, () -> replay(server(group, row.get("hgrc").asText()), row)));
    }
    List<DynamicNode> containers = new ArrayList<>();
    byGroup.forEach((g, tests) -> containers.add(DynamicContainer.dynamicContainer(g, tests)));
    return containers.stream();
  }

  static List<JsonNode> rows() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        HttpExchangeReplayTest.class.getResourceAsStream("/vectors/http-exchanges.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(json.readTree(line));
        }
      }
    }
    return rows;
  }

  private static synchronized HgrpcServer server(String group, String hgrc) throws Exception {
    HgrpcServer s = SERVERS.get(group);
    if (s == null) {
      ServerSettings settings = ServerSettings.from(HgrcConfig.parse(hgrc, group + ".hgrc", null));
      s = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings)
          .registry(TestCommands.registry()).build().start();
      SERVERS.put(group, s);
    }
    return s;
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (HgrpcServer s : SERVERS.values()) {
      s.close();
    }
  }

  static HttpResponse<byte[]> send(HgrpcServer server, JsonNode request) throws Exception {
    JsonNode body = request.get("body_hex");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri().toString().replaceAll("/$", "")
        + request.get("path").asText())).timeout(Duration.ofSeconds(20));
    request.get("headers").fields().forEachRemaining(h -> b.header(h.getKey(), h.getValue().asText()));
    HttpRequest.BodyPublisher publisher = body == null || body.isNull() ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(HexFormat.of().parseHex(body.asText()));
    b.method(request.get("method").asText(), publisher);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void replay(HgrpcServer server, JsonNode row) throws Exception {
    HttpResponse<byte[]> actual = send(server, row.get("request"));
    String name = row.get("name").asText();
    String body = new String(actual.body(), StandardCharsets.UTF_8);
    switch (name) {
      case "empty body":
        assertEquals(400, actual.statusCode(), body);
        assertEquals("text/plain", contentType(actual));
        assertEquals("request body is empty: expected command request frames\n", body);
        return;
      case "partial request":
        assertEquals(400, actual.statusCode(), body);
        assertEquals("text/plain", contentType(actual));
        assertEquals("request body ended before the command request was complete\n", body);
        return;
      case "read-write command on ro url":
        assertEquals(403, actual.statusCode(), body);
        assertEquals("text/plain", contentType(actual));
        assertEquals("insufficient permissions to execute command: customreadwrite", body);
        return;
      default:
        break;
    }
    JsonNode expected = row.get("response");
    assertTrue(expected.has("status"), "reference failed on this exchange but no deviation is defined: " + name);
    assertEquals(expected.get("status").asInt(), actual.statusCode(), "status; body: " + body);
    assertEquals(text(expected.get("content_type")), contentType(actual), "Content-Type");
    assertEquals(text(expected.get("allow")), actual.headers().firstValue("Allow").orElse(null), "Allow");
    assertEquals(expected.get("body_hex").asText(), HexFormat.of().formatHex(actual.body()),
        "body; as text: " + body);
  }

  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse(null);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
