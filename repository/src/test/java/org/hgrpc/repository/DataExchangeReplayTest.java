package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.data.Filelogs;
import org.hgrpc.repository.revlog.MPatch;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.server.RepositoryCommands;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.server.data.DataCommands;
import org.hgrpc.server.exchange.ArgumentValidation;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays, at the level of response objects, every row of the 0006 HTTP vectors that runs a
 * data command (changesetdata, manifestdata, filedata, filesdata, rawstorefiledata), alone or
 * in a multirequest: the request frames are parsed, each command runs against a fresh copy of
 * the hg 4.8 fixture with the group's hgrc (pushkey rows on read-write URLs are applied in
 * file order, so later rows see their effect), and the objects are compared with the recorded
 * response's command-response payloads, decoded (zlib and zstd streams too), and its
 * error-response frames.
 *
 * <p>Comparison, as the vectors' README says: {@code expected} where present (defect H2),
 * else {@code response}; the same objects, except that in rows whose recorded answer holds
 * computed deltas a delta may differ if it has the same base and, applied to the base's full
 * text, gives the same text (its announced length is then its own). An error frame after
 * data: the recorded objects (the reference drops buffered data) are a prefix of ours and
 * the message is the same. Rows with {@code expected_rule} {@code error-frame} need an
 * error; {@code response-or-error-frame} the response or an error.
 */
class DataExchangeReplayTest {
  static final Set<String> DATA_COMMANDS =
      Set.of("changesetdata", "manifestdata", "filedata", "filesdata", "rawstorefiledata");
  /** Rows the README lists as holding deltas the reference computed. */
  static final Set<String> COMPUTED_DELTA_ROWS = Set.of("mf sparse nodes", "fd a", "fd a-copy", "fd dir/b-moved",
      "fd o", "fd a haveparents", "fd a sparse nodes", "fd a zlib", "fd with redirect targets", "fs clone",
      "fs clone zlib", "fs clone zstd", "fs shallow", "fs incremental", "fs include path:dir",
      "fs include and exclude", "fs dagrange");
  private static final ByteString STATUS = b("status");

  private final Map<String, Group> groups = new LinkedHashMap<>();

  /** A group's repository and commands. */
  private record Group(HgRepository repo, RepositoryOptions options, Map<String, Command> commands) {}

  /** A request as parsed from the request body. */
  private record Request(int id, String name, Map<Object, Object> args) {}

  /** An indefinite-length byte string as decoded: its chunks. */
  private record Indefinite(List<ByteString> chunks) {}

  /** What a response (or a row's responses) amounts to: objects, and error frame messages. */
  private record Answer(List<Object> objects, List<Revlog> stores, List<String> errors) {}

  @TestFactory
  Stream<DynamicTest> dataCommandRows() throws Exception {
    Path tmp = Files.createTempDirectory("hgrpc-data-replay");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode row : rows()) {
      String group = row.get("group").asText();
      String name = row.get("name").asText();
      String path = row.get("request").get("path").asText();
      JsonNode body = row.get("request").get("body_hex");
      if (body == null || body.isNull() || !path.startsWith("/api/exp-http-v2-0003/")) {
        continue;
      }
      List<Request> requests = requests(HexFormat.of().parseHex(body.asText()));
      boolean data = requests.stream().anyMatch(r -> DATA_COMMANDS.contains(r.name()));
      boolean pushkeyOnRw = path.startsWith("/api/exp-http-v2-0003/rw/")
          && requests.stream().anyMatch(r -> r.name().equals("pushkey"));
      if (data) {
        tests.add(DynamicTest.dynamicTest(group + "/" + name,
            () -> replay(group(tmp, group, row.get("hgrc").asText()), row, requests)));
      } else if (pushkeyOnRw && row.get("response").get("status").asInt() == 200) {
        tests.add(DynamicTest.dynamicTest(group + "/" + name + " (applied for later rows)",
            () -> applyPushkeys(group(tmp, group, row.get("hgrc").asText()), requests)));
      }
    }
    return tests.stream();
  }

  static List<JsonNode> rows() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        DataExchangeReplayTest.class.getResourceAsStream("/vectors/v0006/http-exchanges.jsonl"),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(json.readTree(line));
        }
      }
    }
    return rows;
  }

  private Group group(Path tmp, String group, String hgrc) throws Exception {
    Group g = groups.get(group);
    if (g == null) {
      Path root = Fixtures.repo48Fixture(tmp.resolve(group));
      Files.writeString(root.resolve(".hg").resolve("hgrc"), hgrc);
      HgrcConfig config = HgrcConfig.parse(hgrc, group + ".hgrc", null);
      RepositoryOptions options = RepositoryOptions.from(config);
      HgRepository repo = HgRepository.open(root);
      Map<String, Command> commands = new LinkedHashMap<>();
      for (Command c : new RepositoryCommands(repo, options).all()) {
        commands.put(c.name().utf8(), c);
      }
      for (Command c : new DataCommands(repo, options, DataCommands.Settings.from(config)).commands()) {
        commands.put(c.name().utf8(), c);
      }
      g = new Group(repo, options, commands);
      groups.put(group, g);
    }
    return g;
  }

  private static void applyPushkeys(Group g, List<Request> requests) throws Exception {
    for (Request r : requests) {
      if (r.name().equals("pushkey")) {
        Answer a = run(g, List.of(r));
        assertTrue(a.errors().isEmpty(), "pushkey failed: " + a.errors());
      }
    }
  }

  private static void replay(Group g, JsonNode row, List<Request> requests) throws Exception {
    String name = row.get("name").asText();
    JsonNode recordedResponse = row.has("expected") ? row.get("expected") : row.get("response");
    Answer recorded = decodeResponse(HexFormat.of().parseHex(recordedResponse.get("body_hex").asText()));
    Answer mine = run(g, requests);
    String rule = row.has("expected_rule") ? row.get("expected_rule").asText() : null;
    if ("error-frame".equals(rule)) {
      assertTrue(failed(mine), "an error is expected; got " + mine.objects());
      return;
    }
    if ("response-or-error-frame".equals(rule) && failed(mine)) {
      return;
    }
    boolean computedDeltas = COMPUTED_DELTA_ROWS.contains(name);
    if (!recorded.errors().isEmpty()) {
      assertEquals(recorded.errors(), mine.errors(), "error frames");
      assertTrue(recorded.objects().size() <= mine.objects().size(),
          "the recorded objects before the error must be a prefix of ours: " + recorded.objects() + " vs "
              + mine.objects());
      compareObjects(recorded.objects(), mine.objects().subList(0, recorded.objects().size()), mine.stores(),
          computedDeltas);
      return;
    }
    assertEquals(List.of(), mine.errors(), "error frames");
    assertEquals(recorded.objects().size(), mine.objects().size(),
        "number of objects; recorded " + recorded.objects() + "\nmine " + mine.objects());
    compareObjects(recorded.objects(), mine.objects(), mine.stores(), computedDeltas);
  }

  private static boolean failed(Answer a) {
    return !a.errors().isEmpty() || a.objects().stream().anyMatch(o -> o instanceof Map
        && b("error").equals(((Map<?, ?>) o).get(STATUS)));
  }

  /**
   * Compares object by object; a delta following a map with {@code deltabasenode} may differ
   * (rows with computed deltas) if it rebuilds the same text from the same base.
   */
  private static void compareObjects(List<Object> recorded, List<Object> mine, List<Revlog> stores,
      boolean computedDeltas) {
    for (int i = 0; i < recorded.size(); i++) {
      Object r = recorded.get(i);
      Object m = mine.get(i);
      if (r instanceof Map && m instanceof Map && ((Map<?, ?>) r).containsKey(b("deltabasenode"))
          && i + 1 < recorded.size() && !r.equals(m) && computedDeltas) {
        Map<Object, Object> rm = new LinkedHashMap<>((Map<?, ?>) r);
        Map<Object, Object> mm = new LinkedHashMap<>((Map<?, ?>) m);
        assertEquals(announcedDelta(rm), ((ByteString) recorded.get(i + 1)).size(), "recorded delta length");
        assertEquals(announcedDelta(mm), ((ByteString) mine.get(i + 1)).size(), "announced delta length, object " + i);
        rm.remove(b("fieldsfollowing"));
        mm.remove(b("fieldsfollowing"));
        assertEquals(rm, mm, "revision map " + i);
        Revlog store = stores.get(i + 1);
        assertNotNull(store, "no store known for the delta of object " + i);
        ByteString baseNode = (ByteString) rm.get(b("deltabasenode"));
        Integer baseRev = store.index().rev(baseNode);
        assertNotNull(baseRev, "base " + baseNode.hex());
        byte[] base = store.revision(baseRev);
        byte[] expected = MPatch.apply(base, ((ByteString) recorded.get(i + 1)).toByteArray(), "recorded");
        byte[] actual = MPatch.apply(base, ((ByteString) mine.get(i + 1)).toByteArray(), "ours");
        assertArrayEquals(expected, actual, "text rebuilt from our delta, object " + (i + 1));
        i++;
        continue;
      }
      assertEquals(r, m, "object " + i);
    }
  }

  private static long announcedDelta(Map<Object, Object> m) {
    List<?> following = (List<?>) m.get(b("fieldsfollowing"));
    assertEquals(1, following.size());
    List<?> f = (List<?>) following.get(0);
    assertEquals(b("delta"), f.get(0));
    return (Long) f.get(1);
  }

  /** Runs the requests as the server would, one after the other, collecting what it would send. */
  private static Answer run(Group g, List<Request> requests) throws Exception {
    List<Object> objects = new ArrayList<>();
    List<Revlog> stores = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Request r : requests) {
      Command command = g.commands().get(r.name());
      assertNotNull(command, "command " + r.name());
      Revlog store = null;
      if (r.name().equals("manifestdata")) {
        store = g.repo().snapshot().manifest();
      } else if (r.name().equals("filedata") && r.args().get(b("path")) instanceof ByteString) {
        store = Filelogs.open(g.repo().snapshot().paths(), (ByteString) r.args().get(b("path")));
      }
      Iterator<?> it;
      try {
        Map<ByteString, Object> args = ArgumentValidation.validate(ExchangeApi.HTTP_V2_0003, command, r.args());
        it = ((CommandResponse.Objects) command.execute(new CommandInvocation(r.id(), args, null, null, false)))
            .objects();
      } catch (CommandError e) {
        objects.add(commandError(e));
        stores.add(null);
        continue;
      }
      boolean emitted = false;
      while (true) {
        Object o;
        try {
          if (!it.hasNext()) {
            break;
          }
          o = it.next();
        } catch (CommandError e) {
          objects.add(commandError(e));
          stores.add(null);
          break;
        } catch (RuntimeException e) {
          errors.add(e.getMessage());
          break;
        }
        if (!emitted) {
          objects.add(Map.of(STATUS, b("ok")));
          stores.add(null);
          emitted = true;
        }
        Object decoded;
        try {
          decoded = decode(encode(o)).get(0);
        } catch (RuntimeException e) {
          errors.add(e.getMessage());
          break;
        }
        if (r.name().equals("filesdata") && decoded instanceof Map && ((Map<?, ?>) decoded).containsKey(b("path"))) {
          store = Filelogs.open(g.repo().snapshot().paths(), (ByteString) ((Map<?, ?>) decoded).get(b("path")));
        }
        objects.add(decoded);
        stores.add(store);
      }
    }
    return new Answer(objects, stores, errors);
  }

  private static Map<Object, Object> commandError(CommandError e) {
    Map<Object, Object> error = new LinkedHashMap<>();
    error.put(b("message"), e.format());
    if (!e.args().isEmpty()) {
      error.put(b("args"), e.args());
    }
    return Map.of(STATUS, b("error"), b("error"), error);
  }

  private static byte[] encode(Object o) {
    if (o instanceof IndefiniteByteString) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CborEncoder.indefiniteChunks((IndefiniteByteString) o).forEachRemaining(c -> out.writeBytes(c.toByteArray()));
      return out.toByteArray();
    }
    return CborEncoder.encode(o);
  }

  /** CBOR values, indefinite-length byte strings gathered into {@link Indefinite}. */
  private static List<Object> decode(byte[] bytes) {
    List<Object> out = new ArrayList<>();
    List<ByteString> chunks = null;
    try {
      for (Object v : CborDecoder.decodeAll(ByteString.wrap(bytes))) {
        if (v instanceof ByteStringChunk) {
          ByteStringChunk c = (ByteStringChunk) v;
          if (c.first()) {
            chunks = new ArrayList<>();
          }
          if (!c.data().isEmpty() || !c.last()) {
            chunks.add(c.data());
          }
          if (c.last()) {
            out.add(new Indefinite(chunks));
            chunks = null;
          }
        } else {
          out.add(v);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("undecodable CBOR: " + e.getMessage(), e);
    }
    return out;
  }

  /** One frame: request id, stream flags, type, flags, payload. */
  private record Frame(int requestId, int streamFlags, int type, int flags, byte[] payload) {}

  private static List<Frame> frames(byte[] b) {
    List<Frame> out = new ArrayList<>();
    int i = 0;
    while (i < b.length) {
      int length = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16;
      int requestId = (b[i + 3] & 0xff) | (b[i + 4] & 0xff) << 8;
      out.add(new Frame(requestId, b[i + 6] & 0xff, (b[i + 7] & 0xff) >> 4, b[i + 7] & 0x0f,
          java.util.Arrays.copyOfRange(b, i + 8, i + 8 + length)));
      i += 8 + length;
    }
    return out;
  }

  /** The command requests of a request body, in order: payloads of type-1 frames joined per request. */
  @SuppressWarnings("unchecked")
  private static List<Request> requests(byte[] body) throws Exception {
    Map<Integer, ByteArrayOutputStream> payloads = new LinkedHashMap<>();
    for (Frame f : frames(body)) {
      if (f.type() == 1) {
        payloads.computeIfAbsent(f.requestId(), k -> new ByteArrayOutputStream()).writeBytes(f.payload());
      }
    }
    List<Request> out = new ArrayList<>();
    for (Map.Entry<Integer, ByteArrayOutputStream> e : payloads.entrySet()) {
      List<Object> values;
      try {
        values = CborDecoder.decodeAll(ByteString.wrap(e.getValue().toByteArray()));
      } catch (org.hgrpc.core.cbor.CborDecodeException ex) {
        // Rows testing malformed requests: no command runs.
        continue;
      }
      if (values.size() != 1 || !(values.get(0) instanceof Map)) {
        continue;
      }
      Map<Object, Object> m = (Map<Object, Object>) values.get(0);
      if (!(m.get(b("name")) instanceof ByteString)) {
        continue;
      }
      Object args = m.get(b("args"));
      out.add(new Request(e.getKey(), ((ByteString) m.get(b("name"))).utf8(),
          args instanceof Map ? (Map<Object, Object>) args : Map.of()));
    }
    return out;
  }

  /** The recorded body: command-response payloads decoded per stream encoding, and error frames. */
  private static Answer decodeResponse(byte[] body) throws Exception {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    Inflater inflater = new Inflater();
    String encoding = "identity";
    List<String> errors = new ArrayList<>();
    try {
      for (Frame f : frames(body)) {
        if (f.type() == 9) {
          encoding = ((ByteString) CborDecoder.decodeAll(ByteString.wrap(f.payload())).get(0)).utf8();
        } else if (f.type() == 3) {
          boolean encoded = (f.streamFlags() & 0x04) != 0;
          if (encoded && encoding.equals("zlib")) {
            inflater.setInput(f.payload());
            byte[] buf = new byte[65536];
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
              data.write(buf, 0, n);
            }
          } else if (encoded && encoding.startsWith("zstd")) {
            zstd.writeBytes(f.payload());
          } else {
            data.writeBytes(f.payload());
          }
        } else if (f.type() == 5) {
          Map<?, ?> m = (Map<?, ?>) CborDecoder.decodeAll(ByteString.wrap(f.payload())).get(0);
          Map<?, ?> msg = (Map<?, ?>) ((List<?>) m.get(b("message"))).get(0);
          List<?> args = msg.containsKey(b("args")) ? (List<?>) msg.get(b("args")) : List.of();
          errors.add(org.hgrpc.core.response.MessageFormatter.format((ByteString) msg.get(b("msg")), args));
        } else {
          fail("unexpected frame type " + f.type());
        }
      }
    } finally {
      inflater.end();
    }
    if (zstd.size() > 0) {
      try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd.toByteArray()))) {
        in.setContinuous(true);
        data.writeBytes(in.readAllBytes());
      }
    }
    List<Object> objects = decode(data.toByteArray());
    assertFalse(objects.isEmpty() && errors.isEmpty(), "the recorded answer has no response");
    return new Answer(objects, null, errors);
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
