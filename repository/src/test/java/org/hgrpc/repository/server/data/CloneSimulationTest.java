package org.hgrpc.repository.server.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.revlog.MPatch;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.server.RepositoryOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A clone as Mercurial 4.8's {@code exchangev2} makes it, run against the commands' objects:
 * changesets of the DAG range up to the served heads, then every manifest (with
 * {@code haveparents}), then the files of every changeset (with {@code haveparents}, or
 * shallow: without, asking for {@code linknode}). Every text the client rebuilds must hash to
 * its node, and every delta must be against a revision the client already has.
 */
class CloneSimulationTest {
  @TempDir
  Path dir;

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

  /** Reads one revision's map and data, rebuilds its text from what the client has, checks its hash. */
  private static ByteString receive(Map<?, ?> rev, Iterator<Object> objs, Map<ByteString, byte[]> have) {
    ByteString node = (ByteString) rev.get(b("node"));
    List<?> parents = (List<?>) rev.get(b("parents"));
    List<?> following = (List<?>) ((List<?>) rev.get(b("fieldsfollowing"))).get(0);
    byte[] data = ((ByteString) objs.next()).toByteArray();
    assertEquals(((Long) following.get(1)).intValue(), data.length, "announced length");
    byte[] text;
    if (following.get(0).equals(b("delta"))) {
      ByteString base = (ByteString) rev.get(b("deltabasenode"));
      byte[] baseText = have.get(base);
      assertNotNull(baseText, "delta of " + node.hex() + " against " + base.hex() + ", which the client lacks");
      text = MPatch.apply(baseText, data, "received");
    } else {
      assertEquals(b("revision"), following.get(0));
      text = data;
    }
    assertEquals(node, Nodes.hash((ByteString) parents.get(0), (ByteString) parents.get(1), text), "hash of " + node.hex());
    have.put(node, text);
    return node;
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aCloneRebuildsEveryRevision(boolean haveParents) throws Exception {
    HgRepository repo = HgRepository.open(Fixtures.repo48Fixture(dir));
    RepositoryOptions options = new RepositoryOptions("served", false, true, true, false, Duration.ofSeconds(2));
    DataCommands commands = new DataCommands(repo, options, DataCommands.Settings.defaults());
    List<Object> heads = new ArrayList<>(repo.snapshot().served().heads());

    Iterator<Object> cs = commands.changesetData().run(args("revisions", List.of(Map.of(b("type"),
        b("changesetdagrange"), b("roots"), List.of(), b("heads"), heads)), "fields",
        Set.of(b("bookmarks"), b("parents"), b("phase"), b("revision"))));
    long total = (Long) ((Map<?, ?>) cs.next()).get(b("totalitems"));
    Map<ByteString, byte[]> changesets = new HashMap<>();
    List<ByteString> csets = new ArrayList<>();
    List<Object> manifestNodes = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      ByteString node = receive((Map<?, ?>) cs.next(), cs, changesets);
      csets.add(node);
      String text = new String(changesets.get(node), StandardCharsets.ISO_8859_1);
      manifestNodes.add(ByteString.fromHex(text.substring(0, 40)));
    }
    assertEquals(13, csets.size(), "the secret changeset is not cloned");
    List<ByteString> bookmarks = new ArrayList<>();
    cs.forEachRemaining(o -> bookmarks.addAll((List<ByteString>) ((Map<?, ?>) o).get(b("bookmarks"))));
    assertFalse(bookmarks.contains(b("secret-bm")));

    Iterator<Object> mf = commands.manifestData().run(args("nodes", manifestNodes, "tree", ByteString.EMPTY,
        "fields", Set.of(b("parents"), b("revision")), "haveparents", true));
    Map<ByteString, byte[]> manifests = new HashMap<>();
    long manifestCount = (Long) ((Map<?, ?>) mf.next()).get(b("totalitems"));
    for (int i = 0; i < manifestCount; i++) {
      receive((Map<?, ?>) mf.next(), mf, manifests);
    }
    assertFalse(mf.hasNext());

    Set<ByteString> fields = haveParents ? Set.of(b("parents"), b("revision"))
        : Set.of(b("parents"), b("revision"), b("linknode"));
    Iterator<Object> fs = commands.filesData().run(args("revisions", List.of(Map.of(b("type"),
        b("changesetexplicit"), b("nodes"), csets)), "fields", fields, "haveparents", haveParents));
    Map<?, ?> overall = (Map<?, ?>) fs.next();
    long received = 0;
    for (long p = (Long) overall.get(b("totalpaths")); p > 0; p--) {
      Map<?, ?> header = (Map<?, ?>) fs.next();
      ByteString path = (ByteString) header.get(b("path"));
      assertFalse(path.equals(b("secret.txt")), "a file only the secret changeset has");
      Map<ByteString, byte[]> file = new HashMap<>();
      for (long i = (Long) header.get(b("totalitems")); i > 0; i--) {
        Map<?, ?> rev = (Map<?, ?>) fs.next();
        if (!haveParents) {
          assertTrue(csets.contains((ByteString) rev.get(b("linknode"))), "linknode of a cloned changeset");
        }
        receive(rev, fs, file);
        received++;
      }
    }
    assertFalse(fs.hasNext());
    assertEquals(overall.get(b("totalitems")), received);
    assertTrue(received > 20, "files of the fixture: " + received);
  }
}
