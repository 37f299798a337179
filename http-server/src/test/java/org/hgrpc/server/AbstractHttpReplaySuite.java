package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecoder;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The one HTTP behaviour suite: replays the exchanges recorded from {@code hg serve}
 * ({@code /vectors/http-exchanges.jsonl}) against a server and compares status, Content-Type,
 * Allow and the body bytes, except where {@link #DEVIATIONS} says we answer differently on
 * purpose. Each container the server runs in is one subclass, as grpc-java runs one transport
 * suite per transport: the embedded Jetty ({@code EmbeddedReplayTest}), the WAR in a stock Jetty
 * ({@code WarReplayIT}, server module) and the embedded server with the repository commands
 * ({@code RepoExchangeReplayTest}, repository module). A subclass says which rows its fixture
 * can answer ({@link #replays}) and where the server configured for a group listens
 * ({@link #baseUri}); the checks and the deviations are the same for every container.
 *
 * <p>Groups other than {@code repo} are recorded with the two {@link TestCommands} and an empty
 * repository; {@code repo} with the reference fixture repository and no test commands (see the
 * vectors' README).
 */
public abstract class AbstractHttpReplaySuite {
  /** The groups recorded with the {@link TestCommands} (and an empty repository). */
  public static final Set<String> TEST_COMMAND_GROUPS = Set.of("disabled", "default", "open", "readonly");

  /** The group recorded on the reference fixture repository. */
  public static final String REPO_GROUP = "repo";

  /**
   * Rows of the {@link #TEST_COMMAND_GROUPS} whose answers need Mercurial's repository commands
   * on the empty repository: {@code capabilities} lists them, {@code heads} and {@code pushkey}
   * run them.
   */
  public static final Set<String> NEEDS_REPOSITORY =
      Set.of("capabilities command", "heads empty repo", "multirequest rw command on ro url");

  /**
   * Every row where the reference's answer is a defect we must not copy, or where we differ by
   * design, with the reason and our answer (see the vectors' README). The same list for every
   * container: a container that needs another entry has a bug.
   */
  public static final Map<String, Deviation> DEVIATIONS = Map.of(
      "empty body", Deviation.answer(
          "the reference dropped the connection without a response; we say what was missing",
          400, "text/plain", "request body is empty: expected command request frames\n"),
      "partial request", Deviation.answer(
          "the reference dropped the connection without a response; we say what was missing",
          400, "text/plain", "request body ended before the command request was complete\n"),
      "read-write command on ro url", Deviation.answer(
          "the reference ran a push-permission command through the read-only URL (privilege escalation)",
          403, "text/plain", "insufficient permissions to execute command: customreadwrite"),
      "repo handshake", new Deviation(
          "v1capabilities is the legacy protocol's capability string; we serve only the frame-based API and"
              + " advertise our own honest (empty) string; the rest of the map must match",
          AbstractHttpReplaySuite::assertHandshakeApartFromV1Capabilities),
      "api root lists apis", new Deviation(
          "we serve exp-http-v2-0003 (hg 4.8) beside exp-http-v2-0001; the listing names both",
          (expected, actual) -> assertListing(expected, actual, "\n")),
      "unknown api", new Deviation(
          "we serve exp-http-v2-0003 (hg 4.8) beside exp-http-v2-0001; the known APIs name both",
          (expected, actual) -> assertListing(expected, actual, ", ")),
      "repo handshake without upgrade", new Deviation(
          "the legacy capabilities request: the same string the handshake advertises as v1capabilities",
          (expected, actual) -> {
            assertHeaders(expected, actual);
            assertEquals("", HexFormat.of().formatHex(actual.body()), "legacy capabilities; as text: " + text(actual));
          }));

  /**
   * The rows of the 0006 vectors where we answer otherwise by design, with the reason; the
   * reference's own defects (H1 to H5) are fixed by the rows' {@code expected} instead.
   */
  public static final Map<String, Deviation> DEVIATIONS_0006 = Map.of(
      "command with data frames", Deviation.answer(
          "command data for a command that takes none is refused before it is buffered (issue 16: no"
              + " OutOfMemoryError reachable from a peer); the reference buffered it and ignored it",
          400, "text/plain",
          "command heads takes no command data; the request announces some (expect data flag on request 1)\n"));

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /**
   * Whether this container's fixture answers {@code row} as it was recorded.
   *
   * @param group the row's group
   * @param name the row's name
   * @return true to replay it
   */
  protected abstract boolean replays(String group, String name);

  /**
   * The base URI (no trailing slash needed) of the server configured as the vectors' group
   * {@code group} was, with {@code hgrc}; a subclass starts one per group on first use and stops
   * them after all tests.
   *
   * @param group the group
   * @param hgrc the group's hgrc file text
   * @return where the row's path is resolved
   * @throws Exception if the server cannot be started
   */
  protected abstract URI baseUri(String group, String hgrc) throws Exception;

  /** The replayed rows, one container per group, in file order (pushkey rows change the repository). */
  @TestFactory
  Stream<DynamicNode> exchanges() {
    Map<String, List<DynamicNode>> byGroup = new LinkedHashMap<>();
    for (JsonNode row : rows()) {
      String group = row.get("group").asText();
      String name = row.get("name").asText();
      if (replays(group, name)) {
        byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(DynamicTest.dynamicTest(name,
            () -> replay(baseUri(group, row.get("hgrc").asText()), row)));
      }
    }
    assertTrue(!byGroup.isEmpty(), "this container replays no row at all");
    List<DynamicNode> containers = new ArrayList<>();
    byGroup.forEach((g, tests) -> containers.add(DynamicContainer.dynamicContainer(g, tests)));
    return containers.stream();
  }

  /**
   * Whether this container replays {@code row} of the 0006 vectors ({@code
   * /vectors/v0006/http-exchanges.jsonl}, API {@code exp-http-v2-0003}, recorded from hg 4.8 on
   * its fixture repository); none unless a subclass says so. Their {@link #baseUri} groups are
   * {@code repo48}, {@code readonly48}, {@code default48}, {@code denyread48}, {@code nopull48}
   * and {@code disabled48}, each on a fresh copy of {@code repo48-fixture.tar.gz}.
   *
   * @param group the row's group
   * @param name the row's name
   * @return true to replay it
   */
  protected boolean replays0006(String group, String name) {
    return false;
  }

  /**
   * The texts of the repository served for a 0006 group, for rows whose answers hold computed
   * deltas (see {@link Replay0006}).
   *
   * @param group the group
   * @return its store's texts
   */
  protected Replay0006.StoreTexts storeTexts(String group) {
    return (path, node) -> {
      throw new UnsupportedOperationException("this container has no repository texts for " + group);
    };
  }

  /**
   * The replayed rows of the 0006 vectors, one container per group, in file order, checked by
   * {@link Replay0006#check} (the vectors' README's rules, defects H1 to H5 fixed).
   */
  @TestFactory
  Stream<DynamicNode> exchanges0006() {
    Map<String, List<DynamicNode>> byGroup = new LinkedHashMap<>();
    List<JsonNode> rows = rows0006IfPresent();
    for (JsonNode row : rows) {
      String group = row.get("group").asText();
      String name = row.get("name").asText();
      if (replays0006(group, name)) {
        byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(DynamicTest.dynamicTest(name, () -> {
          URI base = baseUri(group, row.get("hgrc").asText());
          HttpResponse<byte[]> actual = send(base, row.get("request"));
          Deviation deviation = DEVIATIONS_0006.get(name);
          if (deviation != null) {
            deviation.check().check(row.get("response"), actual);
          } else {
            Replay0006.check(row, actual, storeTexts(group));
          }
        }));
      }
    }
    List<DynamicNode> containers = new ArrayList<>();
    byGroup.forEach((g, tests) -> containers.add(DynamicContainer.dynamicContainer(g, tests)));
    return containers.stream();
  }

  /**
   * Every row of the 0006 HTTP vectors, in file order.
   *
   * @return the rows
   */
  public static List<JsonNode> rows0006() {
    return readRows("/vectors/v0006/http-exchanges.jsonl");
  }

  private List<JsonNode> rows0006IfPresent() {
    return AbstractHttpReplaySuite.class.getResource("/vectors/v0006/http-exchanges.jsonl") == null ? List.of()
        : rows0006();
  }

  /** A deviation for an exchange nobody recorded would hide a typo: every one names a row. */
  @Test
  void everyDeviationNamesARecordedExchange() {
    Set<String> names = new HashSet<>();
    rows().forEach(row -> names.add(row.get("name").asText()));
    for (Map.Entry<String, Deviation> d : DEVIATIONS.entrySet()) {
      assertTrue(names.contains(d.getKey()), "deviation for no recorded exchange: " + d.getKey());
      assertTrue(!d.getValue().reason().isBlank(), "deviation without a reason: " + d.getKey());
    }
    Set<String> names0006 = new HashSet<>();
    rows0006IfPresent().forEach(row -> names0006.add(row.get("name").asText()));
    for (Map.Entry<String, Deviation> d : DEVIATIONS_0006.entrySet()) {
      assertTrue(names0006.isEmpty() || names0006.contains(d.getKey()), "0006 deviation for no recorded exchange: " + d.getKey());
      assertTrue(!d.getValue().reason().isBlank(), "deviation without a reason: " + d.getKey());
    }
  }

  /**
   * Sends {@code row}'s request to {@code base} and checks the answer against the recorded one,
   * or against the row's {@link Deviation}.
   *
   * @param base where the server listens
   * @param row the vector row
   * @throws Exception if the exchange fails
   */
  public static void replay(URI base, JsonNode row) throws Exception {
    HttpResponse<byte[]> actual = send(base, row.get("request"));
    String name = row.get("name").asText();
    JsonNode expected = row.get("response");
    Deviation deviation = DEVIATIONS.get(name);
    if (deviation != null) {
      deviation.check().check(expected, actual);
      return;
    }
    assertTrue(expected.has("status"), "reference failed on this exchange but no deviation is defined: " + name);
    assertHeaders(expected, actual);
    assertEquals(expected.get("body_hex").asText(), HexFormat.of().formatHex(actual.body()),
        "body; as text: " + text(actual));
  }

  /**
   * Sends a vector's request (method, path, headers, body) to {@code base}.
   *
   * @param base where the server listens; its trailing slash, if any, is dropped
   * @param request the row's {@code request} object
   * @return the answer
   * @throws Exception if the exchange fails
   */
  public static HttpResponse<byte[]> send(URI base, JsonNode request) throws Exception {
    JsonNode body = request.get("body_hex");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
        + request.get("path").asText())).timeout(Duration.ofSeconds(20));
    request.get("headers").properties().forEach(h -> b.header(h.getKey(), h.getValue().asText()));
    b.method(request.get("method").asText(), body == null || body.isNull() ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(HexFormat.of().parseHex(body.asText())));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Every row of the HTTP vectors, in file order.
   *
   * @return the rows
   */
  public static List<JsonNode> rows() {
    return readRows("/vectors/http-exchanges.jsonl");
  }

  private static List<JsonNode> readRows(String resource) {
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    InputStream in = AbstractHttpReplaySuite.class.getResourceAsStream(resource);
    Objects.requireNonNull(in, "no " + resource + " on the test class path");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(json.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /**
   * Where and why we answer a recorded exchange differently, and how our answer is checked.
   *
   * @param reason why we differ
   * @param check checks our answer, given the recorded one
   */
  public record Deviation(String reason, Check check) {
    /** Checks an answer against the recorded response object. */
    @FunctionalInterface
    public interface Check {
      /**
       * Fails if {@code actual} is not our intended answer.
       *
       * @param expected the row's recorded {@code response}
       * @param actual our answer
       * @throws Exception if the answer cannot be read
       */
      void check(JsonNode expected, HttpResponse<byte[]> actual) throws Exception;
    }

    /** Our answer in full: status, Content-Type and body text. */
    static Deviation answer(String reason, int status, String contentType, String body) {
      return new Deviation(reason, (expected, actual) -> {
        assertEquals(status, actual.statusCode(), text(actual));
        assertEquals(contentType, actual.headers().firstValue("Content-Type").orElse(null), "Content-Type");
        assertEquals(body, text(actual));
      });
    }
  }

  private static void assertHeaders(JsonNode expected, HttpResponse<byte[]> actual) {
    assertEquals(expected.get("status").asInt(), actual.statusCode(), () -> "status; body: " + text(actual));
    assertEquals(text(expected.get("content_type")), actual.headers().firstValue("Content-Type").orElse(null),
        "Content-Type");
    assertEquals(text(expected.get("allow")), actual.headers().firstValue("Allow").orElse(null), "Allow");
  }

  /** The recorded listing, with exp-http-v2-0003 after exp-http-v2-0001 where that was listed. */
  private static void assertListing(JsonNode expected, HttpResponse<byte[]> actual, String separator) {
    assertHeaders(expected, actual);
    String recorded = new String(HexFormat.of().parseHex(expected.get("body_hex").asText()), StandardCharsets.UTF_8);
    assertEquals(recorded.replace("exp-http-v2-0001", "exp-http-v2-0001" + separator + "exp-http-v2-0003"),
        text(actual));
  }

  private static void assertHandshakeApartFromV1Capabilities(JsonNode expected, HttpResponse<byte[]> actual)
      throws Exception {
    assertHeaders(expected, actual);
    assertEquals(withoutV1Capabilities(HexFormat.of().parseHex(expected.get("body_hex").asText())),
        withoutV1Capabilities(actual.body()), "handshake map apart from v1capabilities");
  }

  private static Map<Object, Object> withoutV1Capabilities(byte[] cbor) throws Exception {
    List<Object> values = CborDecoder.decodeAll(ByteString.wrap(cbor));
    assertEquals(1, values.size(), values::toString);
    @SuppressWarnings("unchecked")
    Map<Object, Object> map = new LinkedHashMap<>((Map<Object, Object>) values.get(0));
    map.remove(ByteString.latin1("v1capabilities"));
    return map;
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
