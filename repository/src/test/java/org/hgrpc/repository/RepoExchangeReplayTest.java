package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.repository.server.RepositoryCommandProvider;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.server.spi.Permission;
import org.hgrpc.server.spi.ServerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays, in file order, every exchange of group {@code repo} of the HTTP vectors recorded
 * from {@code hg serve} on the reference fixture, and the rows of other groups that need an
 * empty repository's commands, against our server on loopback: status, Content-Type, Allow and
 * body bytes must match. The handshake's {@code v1capabilities} differs by design (we serve no
 * legacy protocol); the rest of its CBOR map must match, and the legacy capabilities request
 * ({@code repo handshake without upgrade}) gets the same empty string.
 */
class RepoExchangeReplayTest {
  static final Set<String> EMPTY_REPO_ROWS = Set.of("capabilities command", "heads empty repo",
      "multirequest rw command on ro url");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<HgrpcServer> SERVERS = new ArrayList<>();
  private static final Map<String, HgrpcServer> BY_GROUP = new LinkedHashMap<>();

  @TestFactory
  Stream<DynamicTest> exchanges() throws Exception {
    Path tmp = Files.createTempDirectory("hgrpc-replay");
    Path fixture = Fixtures.referenceFixture(tmp.resolve("fixture"));
    Path empty = Fixtures.emptyRepository(tmp.resolve("empty"));
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode row : rows()) {
      String group = row.get("group").asText();
      String name = row.get("name").asText();
      if (group.equals("repo")) {
        tests.add(DynamicTest.dynamicTest(group + "/" + name,
            () -> replay(server(group, row.get("hgrc").asText(), fixture, false), row)));
      } else if (EMPTY_REPO_ROWS.contains(name)) {
        tests.add(DynamicTest.dynamicTest(group + "/" + name,
            () -> replay(server(group, row.get("hgrc").asText(), empty, true), row)));
      }
    }
    return tests.stream();
  }

  static List<JsonNode> rows() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        RepoExchangeReplayTest.class.getResourceAsStream("/vectors/http-exchanges.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(json.readTree(line));
        }
      }
    }
    return rows;
  }

  /** The reference's HTTP tests register these two commands besides the repository's. */
  static List<Command> testCommands() {
    return List.of(
        Command.of("customreadonly", Permission.PULL, List.of(),
            call -> CommandResponse.object(ByteString.latin1("customreadonly bytes response"))),
        Command.of("customreadwrite", Permission.PUSH, List.of(),
            call -> CommandResponse.object(ByteString.latin1("customreadwrite bytes response"))));
  }

  private static synchronized HgrpcServer server(String group, String hgrc, Path repo, boolean withTestCommands)
      throws Exception {
    HgrpcServer s = BY_GROUP.get(group);
    if (s == null) {
      HgrcConfig config = HgrcConfig.parse(hgrc, group + ".hgrc", null);
      CommandRegistry.Builder registry = CommandRegistry.builder()
          .addProvider(new RepositoryCommandProvider(), new ServerContext(Optional.of(repo), config));
      if (withTestCommands) {
        registry.addAll(testCommands());
      }
      s = HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(config))
          .registry(registry.build()).build().start();
      BY_GROUP.put(group, s);
      SERVERS.add(s);
    }
    return s;
  }

  @AfterAll
  static void stop() throws Exception {
    for (HgrpcServer s : SERVERS) {
      s.close();
    }
  }

  private static void replay(HgrpcServer server, JsonNode row) throws Exception {
    JsonNode request = row.get("request");
    JsonNode body = request.get("body_hex");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.uri().toString().replaceAll("/$", "")
        + request.get("path").asText())).timeout(Duration.ofSeconds(20));
    request.get("headers").properties().forEach(h -> b.header(h.getKey(), h.getValue().asText()));
    b.method(request.get("method").asText(), body == null || body.isNull() ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(HexFormat.of().parseHex(body.asText())));
    HttpResponse<byte[]> actual = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode expected = row.get("response");
    String text = new String(actual.body(), StandardCharsets.UTF_8);
    assertEquals(expected.get("status").asInt(), actual.statusCode(), "status; body: " + text);
    assertEquals(text(expected.get("content_type")), actual.headers().firstValue("Content-Type").orElse(null),
        "Content-Type");
    assertEquals(text(expected.get("allow")), actual.headers().firstValue("Allow").orElse(null), "Allow");
    String expectedHex = expected.get("body_hex").asText();
    if (row.get("name").asText().equals("repo handshake without upgrade")) {
      // The legacy protocol's capability string: the same documented deviation as the
      // handshake's v1capabilities, so our answer is the (empty) string the handshake advertises.
      assertEquals("", HexFormat.of().formatHex(actual.body()), "legacy capabilities; as text: " + text);
      return;
    }
    if (row.get("name").asText().equals("repo handshake")) {
      assertEquals(withoutV1Capabilities(HexFormat.of().parseHex(expectedHex)), withoutV1Capabilities(actual.body()),
          "handshake map apart from v1capabilities");
      return;
    }
    assertEquals(expectedHex, HexFormat.of().formatHex(actual.body()), "body; as text: " + text);
  }

  private static Object withoutV1Capabilities(byte[] cbor) throws Exception {
    List<Object> values = CborDecoder.decodeAll(ByteString.wrap(cbor));
    assertEquals(1, values.size());
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = new LinkedHashMap<>((Map<Object, Object>) values.get(0));
    map.remove(ByteString.latin1("v1capabilities"));
    return map;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
