package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentEncodings;

/**
 * How an answer is checked against a row of the 0006 HTTP vectors ({@code
 * /vectors/v0006/http-exchanges.jsonl}, recorded from hg 4.8), by the rules of the vectors'
 * README ("HTTP exchanges"): {@code expected} over {@code response}, {@code expected_rule}s,
 * identity and zlib bodies byte for byte, zstd bodies decoded and compared canonically, answers
 * holding deltas the reference computed compared by the delta rule (the base text comes from
 * the served repository, through {@link StoreTexts}), the handshake decoded without {@code
 * v1capabilities} (and without {@code exp-http-v2-0001} when offered), the {@code /api}
 * listings naming both APIs, and the legacy handshake without legacy commands.
 */
public final class Replay0006 {
  static final String FRAMING = "application/mercurial-exp-framing-0006";
  static final String CBOR = "application/mercurial-cbor";
  static final String LEGACY = "application/mercurial-0.1";

  /** Rows whose recorded answer holds deltas the reference computed (the README's list). */
  public static final Set<String> COMPUTED_DELTA_ROWS = Set.of("mf sparse nodes", "fd a", "fd a-copy",
      "fd dir/b-moved", "fd o", "fd a haveparents", "fd a sparse nodes", "fd a zlib", "fd with redirect targets",
      "fs clone", "fs clone zlib", "fs clone zstd", "fs shallow", "fs incremental", "fs include path:dir",
      "fs include and exclude", "fs dagrange");

  private static final Set<String> LEGACY_COMMANDS =
      Set.of("batch", "branchmap", "getbundle", "known", "lookup", "pushkey", "unbundle");

  /** The listings that may name both APIs, and how. */
  private static final Map<String, String> BOTH_API_LISTINGS = Map.of(
      "api root lists apis", "APIs can be accessed at /api/<name>, where <name> can be one of the following:\n\n"
          + "exp-http-v2-0001\nexp-http-v2-0003",
      "api root with slash", "APIs can be accessed at /api/<name>, where <name> can be one of the following:\n\n"
          + "exp-http-v2-0001\nexp-http-v2-0003",
      "unknown api", "Unknown API: nope\nKnown APIs: exp-http-v2-0001, exp-http-v2-0003");

  private Replay0006() {}

  /** The full texts of a served repository's store revisions, for the delta rule. */
  @FunctionalInterface
  public interface StoreTexts {
    /**
     * The raw text of revision {@code node} of the manifest ({@code path} null) or of the
     * filelog of {@code path}.
     *
     * @throws Exception if the repository cannot say
     */
    byte[] text(ByteString path, ByteString node) throws Exception;
  }

  /**
   * Checks {@code actual} against {@code row}.
   *
   * @param texts the served repository's texts (for rows with computed deltas)
   */
  public static void check(JsonNode row, HttpResponse<byte[]> actual, StoreTexts texts) throws Exception {
    String name = row.get("name").asText();
    String rule = row.has("expected_rule") ? row.get("expected_rule").asText() : null;
    JsonNode expected = row.has("expected") ? row.get("expected") : row.get("response");
    if ("4xx-text".equals(rule)) {
      assertTrue(actual.statusCode() >= 400 && actual.statusCode() < 500, () -> "a 4xx; got " + describe(actual));
      assertText(actual);
      return;
    }
    if ("error-text".equals(rule)) {
      assertTrue(actual.statusCode() == 200 || actual.statusCode() >= 400 && actual.statusCode() < 500,
          () -> "200 or a 4xx; got " + describe(actual));
      assertText(actual);
      return;
    }
    if ("error-frame".equals(rule)) {
      assertErrorFrame(actual);
      return;
    }
    if ("response-or-error-frame".equals(rule)) {
      try {
        compare(name, row.get("request"), expected, actual, texts);
      } catch (AssertionError notTheResponse) {
        assertErrorFrame(actual);
      }
      return;
    }
    compare(name, row.get("request"), expected, actual, texts);
  }

  private static void compare(String name, JsonNode request, JsonNode expected, HttpResponse<byte[]> actual,
      StoreTexts texts) throws Exception {
    assertEquals(expected.get("status").asInt(), actual.statusCode(), () -> "status; " + describe(actual));
    String type = text(expected.get("content_type"));
    assertEquals(type, contentType(actual), () -> "Content-Type; " + describe(actual));
    if (expected.hasNonNull("allow")) {
      assertEquals(expected.get("allow").asText(), actual.headers().firstValue("Allow").orElse(null), "Allow");
    }
    byte[] recorded = HexFormat.of().parseHex(expected.get("body_hex").asText());
    byte[] body = actual.body();
    if (CBOR.equals(type)) {
      assertEquals(handshakeMap(recorded, false), handshakeMap(body, offered0001(request)), "handshake map");
    } else if (LEGACY.equals(type)) {
      for (String word : new String(body, StandardCharsets.ISO_8859_1).split("\\s+")) {
        assertFalse(LEGACY_COMMANDS.contains(word.split("=")[0]), "a legacy command advertised: " + word);
      }
    } else if (FRAMING.equals(type)) {
      boolean zstd = streamEncodings(recorded).contains("zstd-8mb");
      boolean deltas = COMPUTED_DELTA_ROWS.contains(name);
      if (!zstd && !deltas) {
        assertEquals(HexFormat.of().formatHex(recorded), HexFormat.of().formatHex(body), "body, byte for byte");
        return;
      }
      List<Event> want = canonical(recorded);
      List<Event> got = canonical(body);
      if (deltas) {
        compareWithDeltas(want, got, requests(request), texts);
        if (!zstd) {
          assertEquals(mergedHeaders(recorded), mergedHeaders(body), "frame headers, runs merged");
        }
      } else {
        assertEquals(want, got, "decoded frames");
      }
    } else {
      String mine = new String(body, StandardCharsets.UTF_8);
      String listing = BOTH_API_LISTINGS.get(name);
      if (listing != null && listing.equals(mine)) {
        return;
      }
      assertEquals(new String(recorded, StandardCharsets.UTF_8), mine, "body");
    }
  }

  private static boolean offered0001(JsonNode request) {
    StringBuilder sb = new StringBuilder();
    JsonNode headers = request.get("headers");
    for (int i = 1; headers.has("X-HgUpgrade-" + i); i++) {
      sb.append(headers.get("X-HgUpgrade-" + i).asText());
    }
    return Arrays.asList(sb.toString().split(" ")).contains("exp-http-v2-0001");
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> handshakeMap(byte[] cbor, boolean without0001) throws Exception {
    List<Object> values = CborDecoder.decodeAll(ByteString.wrap(cbor));
    assertEquals(1, values.size(), values::toString);
    Map<Object, Object> map = new LinkedHashMap<>((Map<Object, Object>) values.get(0));
    map.remove(b("v1capabilities"));
    if (without0001) {
      Map<Object, Object> apis = new LinkedHashMap<>((Map<Object, Object>) map.get(b("apis")));
      apis.remove(b("exp-http-v2-0001"));
      map.put(b("apis"), apis);
    }
    return map;
  }

  private static void assertText(HttpResponse<byte[]> actual) {
    assertEquals("text/plain", contentType(actual), () -> "Content-Type; " + describe(actual));
    assertTrue(actual.body().length > 0, "a message");
  }

  /** 200, framing 0006, whole frames answering with an error-response frame or {@code {status: error}}. */
  private static void assertErrorFrame(HttpResponse<byte[]> actual) throws Exception {
    assertEquals(200, actual.statusCode(), () -> describe(actual));
    assertEquals(FRAMING, contentType(actual), () -> describe(actual));
    boolean error = false;
    for (Event e : canonical(actual.body())) {
      if (e.kind().equals("frame") && e.type() == 5) {
        error = true;
      } else if (e.kind().equals("response")) {
        List<Object> values = CborDecoder.decodeAll(ByteString.wrap(e.payload()));
        error |= !values.isEmpty() && values.get(0) instanceof Map
            && b("error").equals(((Map<?, ?>) values.get(0)).get(b("status")));
      }
    }
    assertTrue(error, () -> "an error frame or a command error; got " + describe(actual));
  }

  /** One frame as read. */
  record Frame(int requestId, int streamId, int streamFlags, int type, int flags, byte[] payload) {}

  /** Whole frames, or a failure. */
  static List<Frame> frames(byte[] b) {
    List<Frame> out = new ArrayList<>();
    int i = 0;
    while (i < b.length) {
      assertTrue(i + 8 <= b.length, "a frame header cut short at " + i);
      int length = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16;
      assertTrue(i + 8 + length <= b.length, "a frame payload cut short at " + i);
      out.add(new Frame((b[i + 3] & 0xff) | (b[i + 4] & 0xff) << 8, b[i + 5] & 0xff, b[i + 6] & 0xff,
          (b[i + 7] & 0xff) >> 4, b[i + 7] & 0x0f, Arrays.copyOfRange(b, i + 8, i + 8 + length)));
      i += 8 + length;
    }
    return out;
  }

  /**
   * A decoded frame sequence: {@code settings} (a stream-settings frame's encoding), {@code
   * response} (a request's command-response payloads, decoded and joined up to an {@code eos}
   * frame or another frame of the request), {@code frame} (any other frame: type, flags and
   * decoded payload).
   */
  record Event(String kind, int requestId, int type, int flags, byte[] payload) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Event e && kind.equals(e.kind) && requestId == e.requestId && type == e.type
          && flags == e.flags && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
      return kind.hashCode() * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return kind + "(" + requestId + "," + type + "," + flags + "," + HexFormat.of().formatHex(payload) + ")";
    }
  }

  static List<String> streamEncodings(byte[] body) throws Exception {
    List<String> out = new ArrayList<>();
    for (Frame f : frames(body)) {
      if (f.type() == 9) {
        out.add(((ByteString) CborDecoder.decodeAll(ByteString.wrap(f.payload())).get(0)).utf8());
      }
    }
    return out;
  }

  static List<Event> canonical(byte[] body) throws Exception {
    Map<Integer, ContentDecoder> decoders = new HashMap<>();
    Map<Integer, ByteArrayOutputStream> pending = new LinkedHashMap<>();
    List<Event> out = new ArrayList<>();
    for (Frame f : frames(body)) {
      byte[] payload = f.payload();
      if ((f.streamFlags() & 0x04) != 0 && decoders.containsKey(f.streamId())) {
        payload = decoders.get(f.streamId()).decode(ByteString.wrap(payload)).toByteArray();
      }
      if (f.type() == 9) {
        String name = ((ByteString) CborDecoder.decodeAll(ByteString.wrap(f.payload())).get(0)).utf8();
        ContentDecoder d = ContentEncodings.DEFAULT.newDecoder(name, Long.MAX_VALUE).orElse(null);
        assertNotNull(d, "unknown stream encoding " + name);
        decoders.put(f.streamId(), d);
        out.add(new Event("settings", f.requestId(), 9, 0, name.getBytes(StandardCharsets.ISO_8859_1)));
      } else if (f.type() == 3) {
        pending.computeIfAbsent(f.requestId(), k -> new ByteArrayOutputStream()).writeBytes(payload);
        if ((f.flags() & 0x02) != 0) {
          out.add(new Event("response", f.requestId(), 3, 0, pending.remove(f.requestId()).toByteArray()));
        }
      } else {
        ByteArrayOutputStream before = pending.remove(f.requestId());
        if (before != null) {
          out.add(new Event("response", f.requestId(), 3, 0, before.toByteArray()));
        }
        out.add(new Event("frame", f.requestId(), f.type(), f.flags(), payload));
      }
    }
    pending.forEach((id, data) -> out.add(new Event("response", id, 3, 0, data.toByteArray())));
    return out;
  }

  /** Frame headers (request, stream, stream flags, type, flags), runs of equal ones merged. */
  static List<List<Integer>> mergedHeaders(byte[] body) {
    List<List<Integer>> out = new ArrayList<>();
    for (Frame f : frames(body)) {
      List<Integer> h = List.of(f.requestId(), f.streamId(), f.streamFlags(), f.type(), f.flags());
      if (out.isEmpty() || !out.get(out.size() - 1).equals(h)) {
        out.add(h);
      }
    }
    return out;
  }

  /** A request of the body: its command and arguments. */
  record Request(String command, Map<?, ?> args) {}

  /** The command requests of a request body, by request id. */
  static Map<Integer, Request> requests(JsonNode request) throws Exception {
    Map<Integer, Request> out = new HashMap<>();
    JsonNode hex = request.get("body_hex");
    if (hex == null || hex.isNull()) {
      return out;
    }
    Map<Integer, ByteArrayOutputStream> payloads = new LinkedHashMap<>();
    for (Frame f : frames(HexFormat.of().parseHex(hex.asText()))) {
      if (f.type() == 1) {
        payloads.computeIfAbsent(f.requestId(), k -> new ByteArrayOutputStream()).writeBytes(f.payload());
      }
    }
    for (Map.Entry<Integer, ByteArrayOutputStream> e : payloads.entrySet()) {
      List<Object> values = CborDecoder.decodeAll(ByteString.wrap(e.getValue().toByteArray()));
      Map<?, ?> m = (Map<?, ?>) values.get(0);
      Object args = m.get(b("args"));
      out.put(e.getKey(), new Request(((ByteString) m.get(b("name"))).utf8(), args instanceof Map<?, ?> a ? a : Map.of()));
    }
    return out;
  }

  /**
   * The delta rule: the same events, except that a response's values may hold another delta
   * than recorded where both rebuild the same text from the same base.
   */
  private static void compareWithDeltas(List<Event> want, List<Event> got, Map<Integer, Request> requests,
      StoreTexts texts) throws Exception {
    assertEquals(want.size(), got.size(), () -> "decoded frames\nrecorded " + want + "\nours " + got);
    for (int i = 0; i < want.size(); i++) {
      Event w = want.get(i);
      Event g = got.get(i);
      if (w.equals(g)) {
        continue;
      }
      assertEquals(w.kind() + w.requestId(), g.kind() + g.requestId(), "event " + i);
      assertEquals("response", w.kind(), () -> "event differs: " + w + " vs " + g);
      Request r = requests.get(w.requestId());
      assertNotNull(r, "request " + w.requestId());
      compareValues(values(w.payload()), values(g.payload()), r, texts);
    }
  }

  private static List<Object> values(byte[] cbor) throws Exception {
    List<Object> out = new ArrayList<>();
    ByteArrayOutputStream chunks = null;
    for (Object v : CborDecoder.decodeAll(ByteString.wrap(cbor))) {
      if (v instanceof ByteStringChunk c) {
        if (c.first()) {
          chunks = new ByteArrayOutputStream();
        }
        chunks.writeBytes(c.data().toByteArray());
        if (c.last()) {
          out.add(ByteString.wrap(chunks.toByteArray()));
        }
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static void compareValues(List<Object> recorded, List<Object> mine, Request request, StoreTexts texts)
      throws Exception {
    assertEquals(recorded.size(), mine.size(), "number of values");
    ByteString path = request.command().equals("filedata") ? (ByteString) request.args().get(b("path")) : null;
    for (int i = 0; i < recorded.size(); i++) {
      Object r = recorded.get(i);
      Object m = mine.get(i);
      if (r instanceof Map<?, ?> rm && rm.containsKey(b("path")) && request.command().equals("filesdata")) {
        path = (ByteString) rm.get(b("path"));
      }
      if (r instanceof Map<?, ?> rm && m instanceof Map<?, ?> mm && rm.containsKey(b("deltabasenode"))
          && !r.equals(m) && i + 1 < recorded.size()) {
        Map<Object, Object> rc = new LinkedHashMap<>(rm);
        Map<Object, Object> mc = new LinkedHashMap<>(mm);
        assertEquals(announcedDelta(rc), ((ByteString) recorded.get(i + 1)).size(), "recorded delta length");
        assertEquals(announcedDelta(mc), ((ByteString) mine.get(i + 1)).size(), "announced delta length, value " + i);
        rc.remove(b("fieldsfollowing"));
        mc.remove(b("fieldsfollowing"));
        assertEquals(rc, mc, "revision map " + i);
        byte[] base = texts.text(path, (ByteString) rc.get(b("deltabasenode")));
        assertEquals(HexFormat.of().formatHex(patch(base, ((ByteString) recorded.get(i + 1)).toByteArray())),
            HexFormat.of().formatHex(patch(base, ((ByteString) mine.get(i + 1)).toByteArray())),
            "text rebuilt from our delta, value " + (i + 1));
        i++;
        continue;
      }
      assertEquals(r, m, "value " + i);
    }
  }

  private static long announcedDelta(Map<Object, Object> m) {
    List<?> following = (List<?>) m.get(b("fieldsfollowing"));
    assertEquals(1, following.size(), following::toString);
    List<?> f = (List<?>) following.get(0);
    assertEquals(b("delta"), f.get(0));
    return (Long) f.get(1);
  }

  /** Applies a binary delta ({@code >lll} start, end, length + data hunks, sorted, within the base). */
  static byte[] patch(byte[] base, byte[] delta) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    int last = 0;
    while (pos < delta.length) {
      assertTrue(pos + 12 <= delta.length, "a delta hunk header cut short");
      int start = readInt(delta, pos);
      int end = readInt(delta, pos + 4);
      int length = readInt(delta, pos + 8);
      pos += 12;
      if (start < last || end < start || end > base.length || length < 0 || pos + length > delta.length) {
        fail("invalid delta hunk " + start + ".." + end + " (" + length + " bytes) after " + last + ", base of "
            + base.length);
      }
      out.write(base, last, start - last);
      out.write(delta, pos, length);
      pos += length;
      last = end;
    }
    out.write(base, last, base.length - last);
    return out.toByteArray();
  }

  private static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  private static String contentType(HttpResponse<byte[]> r) {
    return r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip()).orElse(null);
  }

  private static String describe(HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    return r.statusCode() + " " + contentType(r) + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
