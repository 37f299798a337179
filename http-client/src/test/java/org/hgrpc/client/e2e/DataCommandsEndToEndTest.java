package org.hgrpc.client.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.client.ChangesetDataRequest;
import org.hgrpc.client.ChangesetField;
import org.hgrpc.client.ChangesetRevision;
import org.hgrpc.client.DataStream;
import org.hgrpc.client.FilesDataRequest;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.ManifestDataRequest;
import org.hgrpc.client.Node;
import org.hgrpc.client.RawStoreFile;
import org.hgrpc.client.RawStoreFileSet;
import org.hgrpc.client.RepositoryCommands;
import org.hgrpc.client.RevisionData;
import org.hgrpc.client.RevisionField;
import org.hgrpc.client.RevisionSpecifier;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clone through the typed data commands, against the embedded server serving the demo
 * repository ({@code serve --demo}) as {@code hg clone} over API {@code exp-http-v2-0003}
 * would fetch it: changesets, then the manifests they name, then the files, each revision's
 * text rebuilt from full texts and deltas and checked against its node (SHA-1 of its parents
 * and text); then the store files of a stream clone.
 */
class DataCommandsEndToEndTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir
  static Path tmp;

  private static DocumentedServer server;
  private static HgrpcClient client;

  @BeforeAll
  static void start() throws Exception {
    server = DocumentedServer.start(List.of("java -jar server/target/hgrpc-server.jar serve --demo"), ROOT,
        tmp.resolve("demo"));
    client = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void aCloneThroughTheDataCommands() throws Exception {
    RepositoryCommands repo = client.repository();
    List<Node> heads = repo.heads(false);

    List<ChangesetRevision> changesets = new ArrayList<>();
    try (DataStream<ChangesetRevision> s = repo.changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.dagRange(List.of(), heads)).withFields(ChangesetField.PARENTS, ChangesetField.REVISION,
        ChangesetField.PHASE, ChangesetField.BOOKMARKS))) {
      long announced = s.header().totalItems();
      s.forEachRemaining(changesets::add);
      assertEquals(announced, changesets.stream().filter(c -> c.revision().isPresent()).count());
    }
    Set<Node> manifests = new LinkedHashSet<>();
    for (ChangesetRevision c : changesets) {
      if (c.revision().isEmpty()) {
        continue; // a bookmark-only entry
      }
      assertEquals(c.node(), hash(c.parents(), c.revision().get()), "changeset " + c.node());
      assertTrue(c.phase().isPresent());
      // A changeset text begins with its manifest's node in hex.
      manifests.add(Node.fromHex(c.revision().get().utf8().substring(0, 40)));
    }
    assertEquals(6, changesets.stream().filter(c -> c.revision().isPresent()).count());
    assertTrue(changesets.stream().anyMatch(c -> c.bookmarks().contains("main")), changesets.toString());
    // A publishing server (the default) calls every changeset public.
    assertTrue(changesets.stream().filter(c -> c.revision().isPresent()).allMatch(c -> c.phase().get().equals("public")));

    Map<Node, ByteString> manifestTexts = new HashMap<>();
    try (DataStream<RevisionData> s = repo.manifestData(ManifestDataRequest.of(List.copyOf(manifests))
        .withHaveParents(true).withFields(RevisionField.PARENTS, RevisionField.REVISION))) {
      s.forEachRemaining(r -> manifestTexts.put(r.node(), checkedText(r, manifestTexts)));
    }
    assertEquals(manifests, manifestTexts.keySet());

    int fileRevisions = 0;
    Map<Node, ByteString> fileTexts = new HashMap<>();
    Set<Node> changesetNodes = new LinkedHashSet<>();
    changesets.forEach(c -> changesetNodes.add(c.node()));
    try (DataStream<RevisionData> s = repo.filesData(FilesDataRequest.of(RevisionSpecifier.explicit(
        List.copyOf(changesetNodes))).withHaveParents(true).withFields(RevisionField.PARENTS, RevisionField.REVISION,
        RevisionField.LINKNODE))) {
      long announced = s.header().totalItems();
      while (s.hasNext()) {
        RevisionData r = s.next();
        assertTrue(changesetNodes.contains(r.linkNode().orElseThrow()), "linknode of " + r);
        assertTrue(r.path().isPresent());
        fileTexts.put(r.node(), checkedText(r, fileTexts));
        fileRevisions++;
      }
      assertEquals(announced, fileRevisions);
    }
    assertTrue(fileRevisions > 0);

    try (DataStream<RawStoreFile> s = repo.rawStoreFileData(List.of(RawStoreFileSet.CHANGELOG,
        RawStoreFileSet.MANIFESTLOG))) {
      long total = 0;
      List<String> names = new ArrayList<>();
      while (s.hasNext()) {
        RawStoreFile f = s.next();
        names.add(f.path().utf8());
        total += f.data().transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertEquals(s.header().totalSize(), total);
      assertTrue(names.contains("00changelog.i") && names.contains("00manifest.i"), names.toString());
    }
    assertFalse(server.errorLog().contains("Exception"), server.errorLog());
  }

  /** The full text of {@code r}, from its text or its delta against a text already rebuilt, checked against its node. */
  private static ByteString checkedText(RevisionData r, Map<Node, ByteString> texts) {
    ByteString text = r.revision().orElseGet(() -> {
      ByteString base = texts.get(r.deltaBaseNode().orElseThrow());
      assertTrue(base != null || r.deltaBaseNode().get().isNull(), "unknown delta base of " + r);
      return patch(base == null ? ByteString.EMPTY : base, r.delta().orElseThrow());
    });
    try {
      assertEquals(r.node(), hash(r.parents(), text), "revision " + r.node() + " of " + r.path());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return text;
  }

  /** Applies a Mercurial binary delta: hunks of start, end, length (32-bit big-endian) and the new bytes. */
  private static ByteString patch(ByteString base, ByteString delta) {
    byte[] d = delta.toByteArray();
    byte[] b = base.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int last = 0;
    int i = 0;
    while (i < d.length) {
      int start = java.nio.ByteBuffer.wrap(d, i, 12).getInt();
      int end = java.nio.ByteBuffer.wrap(d, i + 4, 8).getInt();
      int len = java.nio.ByteBuffer.wrap(d, i + 8, 4).getInt();
      out.write(b, last, start - last);
      out.write(d, i + 12, len);
      last = end;
      i += 12 + len;
    }
    out.write(b, last, b.length - last);
    return ByteString.wrap(out.toByteArray());
  }

  /** Mercurial's node: SHA-1 of the two parents, smaller first, then the text. */
  private static Node hash(List<Node> parents, ByteString text) throws Exception {
    assertEquals(2, parents.size());
    Node a = parents.get(0).compareTo(parents.get(1)) <= 0 ? parents.get(0) : parents.get(1);
    Node c = a == parents.get(0) ? parents.get(1) : parents.get(0);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(a.bytes().toByteArray());
    sha1.update(c.bytes().toByteArray());
    sha1.update(text.toByteArray());
    return Node.of(ByteString.wrap(sha1.digest()));
  }
}
