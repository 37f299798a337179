package org.hgrpc.repository.server.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.server.RepositoryCommands;
import org.hgrpc.repository.server.RepositoryOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data commands on the hg 4.8 fixture: behaviour the vectors do not cover. */
class DataCommandsTest {
  @TempDir
  static Path dir;
  static HgRepository repo;
  static DataCommands commands;
  static final RepositoryOptions DRAFTS =
      new RepositoryOptions("served", false, true, true, false, Duration.ofSeconds(2));

  @BeforeAll
  static void open() throws Exception {
    repo = HgRepository.open(Fixtures.repo48Fixture(dir));
    commands = new DataCommands(repo, DRAFTS, DataCommands.Settings.defaults());
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static Map<ByteString, Object> args(Object... keyValues) {
    Map<ByteString, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(b((String) keyValues[i]), keyValues[i + 1]);
    }
    return m;
  }

  private static List<Object> all(Iterator<Object> it) {
    List<Object> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static ByteString tipNode(int rev) {
    return repo.snapshot().changelog().index().node(rev);
  }

  @Test
  void nothingIsReadBeforeTheFirstObjectIsAskedFor() {
    Iterator<Object> it = commands.manifestData().run(args("nodes", List.of(b("x".repeat(20))), "tree", b("")));
    CommandError e = assertThrows(CommandError.class, it::hasNext);
    assertEquals("unknown node: %s", e.format().utf8());
  }

  @Test
  void treeManifestsAreRefusedWithAClearMessage() {
    CommandError e = assertThrows(CommandError.class,
        () -> commands.manifestData().run(args("nodes", List.of(), "tree", b("dir/"))).hasNext());
    assertTrue(e.getMessage().contains("tree must be the empty string"), e.getMessage());
  }

  @Test
  void depthCountsGenerations() {
    List<Object> one = all(commands.changesetData().run(args("revisions", List.of(Map.of(b("type"),
        b("changesetexplicitdepth"), b("nodes"), List.of(tipNode(6)), b("depth"), 2L)))));
    // Changeset 6 merges 4 and 5: depth 2 is 6 and both parents, by ascending revision.
    assertEquals(Map.of(b("totalitems"), 3L), one.get(0));
    assertEquals(List.of(tipNode(4), tipNode(5), tipNode(6)),
        one.subList(1, 4).stream().map(o -> ((Map<?, ?>) o).get(b("node"))).toList());
    CommandError e = assertThrows(CommandError.class, () -> commands.changesetData().run(args("revisions",
        List.of(Map.of(b("type"), b("changesetexplicitdepth"), b("nodes"), List.of(tipNode(6)), b("depth"), 0L))))
        .hasNext());
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
  }

  @Test
  void malformedArgumentsAreCommandErrors() {
    assertThrows(CommandError.class, () -> commands.changesetData().run(args("revisions",
        List.of(Map.of(b("type"), b("changesetexplicit"), b("nodes"), b("notalist"))))).hasNext());
    assertThrows(CommandError.class, () -> commands.changesetData().run(args("revisions", List.of(),
        "fields", b("parents"))).hasNext());
    assertThrows(CommandError.class, () -> commands.filesData().run(args("revisions", List.of(),
        "pathfilter", List.of(b("path:x")))).hasNext());
    assertThrows(CommandError.class, () -> commands.fileData().run(args("path", 5L, "nodes", List.of())).hasNext());
    assertThrows(CommandError.class, () -> commands.rawStoreFileData().run(args("files", b("changelog"))).hasNext());
  }

  /** A path may not leave the store, whatever the store's encoding. */
  @Test
  void filePathsStayInsideTheStore() {
    for (String bad : List.of("../../secret", "dir/../a", "/a", "a//b", "./a", "")) {
      CommandError e = assertThrows(CommandError.class,
          () -> commands.fileData().run(args("path", b(bad), "nodes", List.of())).hasNext(), bad);
      assertEquals("path contains illegal component: " + bad, e.getMessage());
    }
  }

  /** H2: the bookmark of the secret changeset 13 is not revealed; a draft server looks phases up. */
  @Test
  void hiddenChangesetsKeepTheirBookmarksAndPhasesOut() {
    List<Object> out = all(commands.changesetData().run(args("revisions", List.of(Map.of(b("type"),
        b("changesetexplicit"), b("nodes"), List.of(tipNode(12)))), "fields", Set.of(b("bookmarks"), b("phase")))));
    assertEquals(Map.of(b("node"), tipNode(12), b("bookmarks"), List.of(b("main")), b("phase"), b("draft")),
        out.get(1));
    assertFalse(out.toString().contains("secret-bm"), out.toString());
    Iterator<Object> secret = commands.changesetData().run(args("revisions", List.of(Map.of(b("type"),
        b("changesetexplicit"), b("nodes"), List.of(tipNode(13)))), "fields", Set.of(b("phase"))));
    secret.next();
    RepositoryException e = assertThrows(RepositoryException.class, secret::hasNext);
    assertEquals("filtered revision '" + tipNode(13).hex() + "'", e.getMessage());
  }

  @Test
  void rawStoreFilesAreStreamedInPieces() {
    List<Object> out = all(commands.rawStoreFileData().run(args("files", List.of(b("changelog")))));
    assertEquals(3, out.size());
    Map<?, ?> file = (Map<?, ?>) out.get(1);
    assertEquals(b("00changelog.i"), file.get(b("path")));
    assertTrue(out.get(2) instanceof org.hgrpc.core.cbor.IndefiniteByteString);
  }

  @Test
  void dataCommandsAreNotAmongTheApi0001Commands() {
    RepositoryCommands rc = new RepositoryCommands(repo, DRAFTS);
    assertEquals(List.of("changesetdata", "manifestdata", "filedata", "filesdata", "rawstorefiledata"),
        rc.dataCommands().stream().map(c -> c.name().utf8()).toList());
    assertTrue(rc.all().stream().noneMatch(c -> c.name().utf8().endsWith("data")));
  }

  /** The 4.8 capabilities' entries of the five commands, as the recorded handshake of repo48 has them. */
  @Test
  void capabilitiesAsRecorded() throws Exception {
    Map<?, ?> recorded = recordedCapabilities();
    Map<?, ?> recordedCommands = (Map<?, ?>) recorded.get(b("commands"));
    Map<ByteString, Object> ours = commands.capabilities();
    for (Map.Entry<ByteString, Object> e : ours.entrySet()) {
      assertEquals(recordedCommands.get(e.getKey()), roundTrip(e.getValue()), e.getKey().utf8());
    }
    assertEquals(5, ours.size());
    assertEquals(recorded.get(b("pathfilterprefixes")), roundTrip(DataCommands.pathFilterPrefixes()));
    RepositoryOptions noStreams = new RepositoryOptions("served", false, false, false, false, Duration.ofSeconds(2));
    assertFalse(new DataCommands(repo, noStreams, DataCommands.Settings.defaults()).capabilities()
        .containsKey(b("rawstorefiledata")));
  }

  private static Object roundTrip(Object o) throws Exception {
    return CborDecoder.decodeAll(CborEncoder.encodeToByteString(o)).get(0);
  }

  private static Map<?, ?> recordedCapabilities() throws Exception {
    for (String line : Files.readAllLines(Path.of(DataCommandsTest.class.getResource(
        "/vectors/v0006/http-exchanges.jsonl").toURI()))) {
      JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      if (row.get("group").asText().equals("repo48") && row.get("name").asText().equals("capabilities")) {
        byte[] body = HexFormat.of().parseHex(row.get("response").get("body_hex").asText());
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < body.length;) {
          int length = (body[i] & 0xff) | (body[i + 1] & 0xff) << 8 | (body[i + 2] & 0xff) << 16;
          if ((body[i + 7] & 0xff) >> 4 == 3) {
            payload.write(body, i + 8, length);
          }
          i += 8 + length;
        }
        return (Map<?, ?>) CborDecoder.decodeAll(ByteString.wrap(payload.toByteArray())).get(1);
      }
    }
    throw new AssertionError("no capabilities row");
  }
}
