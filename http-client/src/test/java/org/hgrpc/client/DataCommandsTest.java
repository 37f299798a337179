package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The typed data commands against Mercurial 4.8's recorded exchanges: each request must equal
 * the recorded one byte for byte (the stubs answer nothing else), and the items must equal
 * what the identity recording holds, read here by a plain walk of its values, in every
 * encoding recorded.
 */
class DataCommandsTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static final String GROUP = "repo48";
  private static final ByteString FIELDSFOLLOWING = ByteString.latin1("fieldsfollowing");

  private final List<HgrpcClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(HgrpcClient::close);
  }

  private RepositoryCommands repo(String encoders) {
    Wire.stubHandshake(wm, HttpVectors.get0006(GROUP, "handshake").responseBody());
    HgrpcClient c = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(5))
        .contentEncoders(List.of(encoders.split(" "))).build();
    clients.add(c);
    return c.repository();
  }

  private static void stub(String name) {
    HttpVectors.Exchange v = HttpVectors.get0006(GROUP, name);
    wm.stubFor(post(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody()))
        .willReturn(aResponse().withStatus(v.status()).withHeader("Content-Type", v.contentType())
            .withBody(v.responseBody())));
  }

  /** The values after the status map of an identity recording, indefinite byte strings joined. */
  private static List<Object> recorded(String name) {
    List<Object> all = Values.joinChunks(Api0003Test.identityValues(HttpVectors.get0006(GROUP, name).responseBody(), 1));
    return all.subList(1, all.size());
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static Node n(String hex) {
    return Node.fromHex(hex);
  }

  private static <T> List<T> drain(DataStream<T> stream) {
    try (stream) {
      List<T> out = new ArrayList<>();
      stream.forEachRemaining(out::add);
      return out;
    }
  }

  // ---- changesetdata ----

  @Test
  void changesetParents() {
    stub("cs explicit parents");

    DataStream<ChangesetRevision> s = repo("identity").changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.explicit(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"),
            n("a7e3538ef54768a39de5d558eeb26157353479b0"))).withFields(ChangesetField.PARENTS));

    assertEquals(2, s.header().totalItems());
    List<ChangesetRevision> cs = drain(s);
    assertEquals(List.of(
        new ChangesetRevision(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"), List.of(Node.NULL, Node.NULL),
            Optional.empty(), List.of(), Optional.empty()),
        new ChangesetRevision(n("a7e3538ef54768a39de5d558eeb26157353479b0"),
            List.of(n("b84ecf3ae09e9cdae5a29542d33df64cf7f7eab7"), n("1011f46e3575d1819fc6f219ff257b7469319eb1")),
            Optional.empty(), List.of(), Optional.empty())), cs);
    assertEquals(expectedChangesets("cs explicit parents"), cs);
  }

  @Test
  void changesetRevisionsAreTheTextsTheirNodesHash() throws Exception {
    stub("cs explicit revision");

    List<ChangesetRevision> cs = drain(repo("identity").changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.explicit(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"),
            n("0b3228cf4c8b41ad20ff779f64c704ffb4340450"))).withFields(ChangesetField.REVISION)));

    assertEquals(expectedChangesets("cs explicit revision"), cs);
    assertEquals(List.of(180, 274), cs.stream().map(c -> c.revision().orElseThrow().size()).toList());
    assertEquals(List.of(), cs.get(0).parents());
    // The root changeset: its node is SHA-1 of two null parents and the text received.
    assertEquals(cs.get(0).node(), hash(Node.NULL, Node.NULL, cs.get(0).revision().orElseThrow()));
  }

  @Test
  void changesetPhases() {
    stub("cs explicit phase");

    List<ChangesetRevision> cs = drain(repo("identity").changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.explicit(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"),
            n("8fbf8f07a396423fb1fd3a0112409aec2cd1e800"), n("760148d37f0ac364a0bf5cffb79cd53bbf3f1586")))
        .withFields(ChangesetField.PHASE)));

    assertEquals(List.of("public", "draft", "draft"), cs.stream().map(c -> c.phase().orElseThrow()).toList());
    assertEquals(expectedChangesets("cs explicit phase"), cs);
  }

  @Test
  void eachKindOfRevisionSpecifierIsSentAsMercurialSendsIt() {
    stub("cs depth two nodes");
    stub("cs two specifiers");
    stub("cs dagrange unknown root");
    stub("cs explicit unknown node no fields");
    RepositoryCommands repo = repo("identity");

    List<ChangesetRevision> depth = drain(repo.changesetData(ChangesetDataRequest.of(RevisionSpecifier.explicitDepth(
        List.of(n("1011f46e3575d1819fc6f219ff257b7469319eb1"), n("8fbf8f07a396423fb1fd3a0112409aec2cd1e800")), 2))));
    List<ChangesetRevision> two = drain(repo.changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.explicit(n("63e1cb19db305f276b4959029e4eed8f0741563c"),
            n("b89dc113530fcb9d7e174f0fe2c2c1165b31df02")),
        RevisionSpecifier.dagRange(List.of(n("0b3228cf4c8b41ad20ff779f64c704ffb4340450")),
            List.of(n("b89dc113530fcb9d7e174f0fe2c2c1165b31df02")))).withFields(ChangesetField.PARENTS)));
    List<ChangesetRevision> range = drain(repo.changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.dagRange(List.of(n("11".repeat(20))), List.of(n("21ae1df85e084cf6a9e30a6c91c15470934afbb1"))))
        .withFields(ChangesetField.PARENTS)));
    List<ChangesetRevision> unknown = drain(repo.changesetData(ChangesetDataRequest.of(
        RevisionSpecifier.explicit(n("11".repeat(20))))));

    assertEquals(expectedChangesets("cs depth two nodes"), depth);
    assertEquals(4, depth.size());
    assertEquals(expectedChangesets("cs two specifiers"), two);
    assertEquals(expectedChangesets("cs dagrange unknown root"), range);
    assertEquals(List.of(new ChangesetRevision(n("11".repeat(20)), List.of(), Optional.empty(), List.of(),
        Optional.empty())), unknown);
  }

  @Test
  void aServerErrorBeforeTheHeaderFailsTheCall() {
    // 4.8 answers ok, then an error frame when it looks up the parents of an unknown node.
    stub("cs explicit unknown node");

    ServerErrorException e = assertThrows(ServerErrorException.class, () -> repo("identity").changesetData(
        ChangesetDataRequest.of(RevisionSpecifier.explicit(n("11".repeat(20)))).withFields(ChangesetField.PARENTS)));

    assertTrue(e.getMessage().contains("changesetdata"), e.getMessage());
  }

  // ---- manifestdata ----

  private static final List<Node> MANIFESTS = List.of(n("5f304f5b02760692efd4356835ce3f69dced9757"),
      n("0bab0bb893c7356428445c4da6a0d6b133546d86"), n("08a237ee2d88b888f43cfd5921cab951bc4afa4e"),
      n("bbceb945e317730bad5c2c9d5b02235d3686d1c4"), n("e439f1bab8e1ad505149853211bcff933ca12df0"),
      n("59fbf6b3f63eec92a94885b307df45e10d62bf03"), n("d6f556a8f4f876780eb3849e92f7bb2a0e32f7ef"),
      n("3a3c7d5278d58655331e85115ac9b65bb16630d8"), n("78f657354ed7559d90c32f435c869d253bdf4cc6"),
      n("babd7a2462685d41aec8b6255c6f900966287f7e"), n("67e11a4c9c3cdbf75b7b27f8f2a54403791b8ece"),
      n("af8a36397b01526410180472a38d4ebaf49740fc"), n("fe52663e6d1aeaf0b35a85fd2db36841df48e6b4"));

  @ParameterizedTest
  @CsvSource({"mf clone, identity", "mf clone zlib, zlib identity", "mf clone zstd, zstd-8mb zlib identity"})
  void manifestsOfAClone(String row, String encoders) throws Exception {
    stub(row);

    DataStream<RevisionData> s = repo(encoders).manifestData(ManifestDataRequest.of(MANIFESTS).withHaveParents(true)
        .withFields(RevisionField.PARENTS, RevisionField.REVISION));
    long total = s.header().totalItems();
    List<RevisionData> revisions = drain(s);

    assertEquals(13, total);
    assertEquals(expectedRevisions("mf clone"), revisions);
    assertEquals(MANIFESTS, revisions.stream().map(RevisionData::node).toList());
    RevisionData first = revisions.get(0);
    assertFalse(first.isDelta());
    assertEquals(first.node(), hash(Node.NULL, Node.NULL, first.revision().orElseThrow()));
    assertTrue(revisions.stream().anyMatch(RevisionData::isDelta), "some revisions come as deltas");
  }

  @Test
  void manifestDeltasFromTheMiddle() {
    stub("mf haveparents from middle");

    List<RevisionData> revisions = drain(repo("identity").manifestData(ManifestDataRequest.of(MANIFESTS.subList(5, 9))
        .withHaveParents(true).withFields(RevisionField.REVISION)));

    assertEquals(expectedRevisions("mf haveparents from middle"), revisions);
    assertEquals(n("08a237ee2d88b888f43cfd5921cab951bc4afa4e"), revisions.get(0).deltaBaseNode().orElseThrow());
    for (int i = 1; i < 4; i++) {
      assertEquals(revisions.get(i - 1).node(), revisions.get(i).deltaBaseNode().orElseThrow());
      assertEquals(List.of(), revisions.get(i).parents());
    }
  }

  // ---- filedata ----

  private static final List<Node> FILE_A = List.of(n("2b4eb07319bfa077a40a2f04913659aef0da42da"),
      n("5e5dd682715037a944e12f3e1bdbaeb5486c5d10"), n("463fc12f0ba01b021496c6bdec967b31c94700b1"));

  @ParameterizedTest
  @CsvSource({"fd a, identity", "fd a zlib, zlib identity"})
  void fileRevisionsWithLinknodesAndDeltas(String row, String encoders) {
    stub(row);

    List<RevisionData> revisions = drain(repo(encoders).fileData(FileDataRequest.of("a", FILE_A)
        .withFields(RevisionField.LINKNODE, RevisionField.PARENTS, RevisionField.REVISION)));

    assertEquals(expectedRevisions("fd a"), revisions);
    assertEquals(b("a0\n"), revisions.get(0).revision().orElseThrow());
    assertEquals(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"), revisions.get(0).linkNode().orElseThrow());
    assertEquals(ByteString.fromHex("000000030000000300000003").concat(b("a1\n")),
        revisions.get(1).delta().orElseThrow());
    assertEquals(FILE_A.get(0), revisions.get(1).deltaBaseNode().orElseThrow());
    assertEquals(List.of(FILE_A.get(1), Node.NULL), revisions.get(2).parents());
    assertEquals(n("0b3228cf4c8b41ad20ff779f64c704ffb4340450"), revisions.get(2).linkNode().orElseThrow());
  }

  @Test
  void aLargeFileRevisionInZlib() throws Exception {
    stub("fd big.bin zlib");

    List<RevisionData> revisions = drain(repo("zlib identity").fileData(FileDataRequest.of("big.bin",
        List.of(n("554f3b94bf4488373b5fcc3bf06aa9300eea8003"), n("9a2be53018c55cafc69011d2b9f34adffae672ba")))
        .withFields(RevisionField.REVISION)));

    assertEquals(2, revisions.size());
    ByteString text = revisions.get(0).revision().orElseThrow();
    assertEquals(0x22000, text.size());
    assertEquals(revisions.get(0).node(), hash(Node.NULL, Node.NULL, text));
    assertEquals(revisions.get(0).node(), revisions.get(1).deltaBaseNode().orElseThrow());
  }

  @Test
  void aCommandErrorFailsTheCall() {
    stub("fd unknown path");
    HttpVectors.Exchange v = HttpVectors.get0006(GROUP, "fd unknown path");
    Map<?, ?> request = requestArgs(v.requestBody());

    CommandErrorException e = assertThrows(CommandErrorException.class, () -> repo("identity").fileData(
        new FileDataRequest((ByteString) request.get(b("path")), nodes(request.get(b("nodes"))),
            false, fields(request))));

    assertEquals(b("unknown file: %s"), e.format());
    assertEquals(List.of(b("nope")), e.args());
  }

  // ---- filesdata ----

  private static final List<Node> ALL_CHANGESETS = List.of(n("e5d97853c43b5f9ad0f829680bdb0f1b24945799"),
      n("c05e1f88442d75948beae85ea72481c7fc7dde41"), n("21ae1df85e084cf6a9e30a6c91c15470934afbb1"),
      n("63e1cb19db305f276b4959029e4eed8f0741563c"), n("1011f46e3575d1819fc6f219ff257b7469319eb1"),
      n("b84ecf3ae09e9cdae5a29542d33df64cf7f7eab7"), n("a7e3538ef54768a39de5d558eeb26157353479b0"),
      n("c00a574e618c60197dd93dfda2a70aa16e1fe5e3"), n("0b3228cf4c8b41ad20ff779f64c704ffb4340450"),
      n("8fbf8f07a396423fb1fd3a0112409aec2cd1e800"), n("b89dc113530fcb9d7e174f0fe2c2c1165b31df02"),
      n("2624e96dec34c4c31cc3507a000c1dbf40b67644"), n("760148d37f0ac364a0bf5cffb79cd53bbf3f1586"));

  @ParameterizedTest
  @CsvSource({"fs clone, identity", "fs clone zlib, zlib identity", "fs clone zstd, zstd-8mb zlib identity"})
  void theFilesOfAClone(String row, String encoders) {
    stub(row);

    DataStream<RevisionData> s = repo(encoders).filesData(FilesDataRequest.of(RevisionSpecifier.explicit(
        ALL_CHANGESETS)).withHaveParents(true).withFields(RevisionField.PARENTS, RevisionField.REVISION));
    DataHeader header = s.header();
    List<RevisionData> revisions = drain(s);

    assertEquals(18, header.totalPaths());
    assertEquals(27, header.totalItems());
    assertEquals(expectedRevisions("fs clone"), revisions);
    assertEquals(27, revisions.size());
    assertEquals(18, revisions.stream().map(r -> r.path().orElseThrow()).distinct().count());
    assertEquals(b(".hgtags"), revisions.get(0).path().orElseThrow());
    assertEquals(b("a7e3538ef54768a39de5d558eeb26157353479b0 v1.0\n"), revisions.get(0).revision().orElseThrow());
  }

  @Test
  void aPathFilterIsSentAsMercurialSendsIt() {
    stub("fs include and exclude");
    stub("fs exclude");
    RepositoryCommands repo = repo("identity");

    List<RevisionData> both = drain(repo.filesData(FilesDataRequest.of(RevisionSpecifier.explicit(
        ALL_CHANGESETS.subList(0, 9))).withHaveParents(true).withFields(RevisionField.PARENTS, RevisionField.REVISION)
        .withPathFilter(new FilesDataRequest.PathFilter(List.of("path:dir"), List.of("path:dir/sub")))));
    List<RevisionData> excluded = drain(repo.filesData(FilesDataRequest.of(RevisionSpecifier.explicit(
        ALL_CHANGESETS.subList(0, 9))).withFields(RevisionField.LINKNODE, RevisionField.PARENTS)
        .withPathFilter(new FilesDataRequest.PathFilter(List.of(), List.of("path:dir", "path:large.txt")))));

    assertEquals(expectedRevisions("fs include and exclude"), both);
    assertEquals(List.of("dir/b", "dir/b-moved"), both.stream().map(r -> r.path().orElseThrow().utf8()).distinct()
        .toList());
    assertEquals(expectedRevisions("fs exclude"), excluded);
    assertTrue(excluded.stream().allMatch(r -> r.linkNode().isPresent() && r.revision().isEmpty()));
  }

  // ---- rawstorefiledata ----

  @ParameterizedTest
  @CsvSource({"raw both zlib, zlib identity, changelog manifestlog",
      "raw both zstd, zstd-8mb zlib identity, manifestlog changelog"})
  void storeFilesAsStreams(String row, String encoders, String sets) throws IOException {
    stub(row);
    List<RawStoreFileSet> files = new ArrayList<>();
    for (String set : sets.split(" ")) {
      files.add(RawStoreFileSet.valueOf(set.toUpperCase(java.util.Locale.ROOT)));
    }
    Map<ByteString, ByteString> expected = new LinkedHashMap<>();
    expected.putAll(expectedStoreFiles("raw changelog"));
    expected.putAll(expectedStoreFiles("raw manifestlog"));

    Map<ByteString, ByteString> received = new LinkedHashMap<>();
    try (DataStream<RawStoreFile> s = repo(encoders).rawStoreFileData(files)) {
      long total = 0;
      while (s.hasNext()) {
        RawStoreFile f = s.next();
        assertEquals("store", f.location());
        byte[] data = f.data().readAllBytes();
        assertEquals(f.size(), data.length);
        assertEquals(-1, f.data().read());
        total += data.length;
        received.put(f.path(), ByteString.wrap(data));
      }
      assertEquals(s.header().totalSize(), total);
      assertEquals(s.header().fileCount(), received.size());
    }
    assertEquals(expected, received);
  }

  @Test
  void anUnreadStoreFileIsSkipped() throws IOException {
    stub("raw both zlib");
    Map<ByteString, ByteString> expected = new LinkedHashMap<>();
    expected.putAll(expectedStoreFiles("raw changelog"));
    expected.putAll(expectedStoreFiles("raw manifestlog"));

    try (DataStream<RawStoreFile> s = repo("zlib identity").rawStoreFileData(
        List.of(RawStoreFileSet.CHANGELOG, RawStoreFileSet.MANIFESTLOG))) {
      RawStoreFile first = s.next();
      assertEquals(3, first.data().read(new byte[3]));
      RawStoreFile second = s.next();
      assertEquals(-1, first.data().read(), "a skipped file's stream ends");
      assertEquals(expected.get(second.path()), ByteString.wrap(second.data().readAllBytes()));
      assertFalse(s.hasNext());
      assertEquals(expected.keySet(), Set.of(first.path(), second.path()));
    }
  }

  // ---- API ----

  @Test
  void theDataCommandsNeedApi0003() {
    Map<Object, Object> apis = new LinkedHashMap<>();
    apis.put(b("exp-http-v2-0001"), Wire.defaultCapabilities());
    Map<Object, Object> handshake = new LinkedHashMap<>();
    handshake.put(b("apibase"), b("api/"));
    handshake.put(b("apis"), apis);
    Wire.stubHandshake(wm, CborEncoder.encode(handshake));
    HgrpcClient c = HgrpcClient.builder(wm.baseUrl()).build();
    clients.add(c);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.repository().changesetData(
        ChangesetDataRequest.of(RevisionSpecifier.explicit(Node.NULL))));
    assertThrows(IllegalStateException.class, () -> c.repository().rawStoreFileData(List.of(RawStoreFileSet.CHANGELOG)));

    assertEquals("changesetdata is a command of API exp-http-v2-0003 (Mercurial 4.8), but this client uses "
        + "exp-http-v2-0001 (the server offers [exp-http-v2-0001]; HgrpcClient.Builder.framing chooses the API)",
        e.getMessage());
    wm.verify(0, postRequestedFor(anyUrl()));
  }

  @Test
  void requestsRefuseWhatTheCommandsDoNotTake() {
    IllegalArgumentException mf = assertThrows(IllegalArgumentException.class,
        () -> ManifestDataRequest.of(List.of()).withFields(RevisionField.LINKNODE));
    assertEquals("manifestdata does not take the field linknode; it takes [parents, revision]", mf.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FileDataRequest.of("a", List.of()).withFields(RevisionField.FIRSTCHANGESET));
    assertThrows(IllegalArgumentException.class, () -> ChangesetDataRequest.of());
    assertThrows(IllegalArgumentException.class, () -> RevisionSpecifier.explicitDepth(List.of(Node.NULL), 0));
    assertThrows(IllegalArgumentException.class, () -> RevisionSpecifier.dagRange(List.of(), List.of()));
  }

  // ---- the oracle: a plain walk of the recorded values ----

  private static List<ChangesetRevision> expectedChangesets(String row) {
    List<ChangesetRevision> out = new ArrayList<>();
    List<Object> values = recorded(row);
    for (int i = 1; i < values.size(); i++) {
      Map<?, ?> m = (Map<?, ?>) values.get(i);
      Map<String, ByteString> following = new LinkedHashMap<>();
      for (Object f : m.containsKey(FIELDSFOLLOWING) ? (List<?>) m.get(FIELDSFOLLOWING) : List.of()) {
        following.put(((ByteString) ((List<?>) f).get(0)).utf8(), (ByteString) values.get(++i));
      }
      out.add(new ChangesetRevision(Node.of((ByteString) m.get(b("node"))), nodes(m.get(b("parents"))),
          Optional.ofNullable((ByteString) m.get(b("phase"))).map(ByteString::utf8),
          nodesOrNames(m.get(b("bookmarks"))), Optional.ofNullable(following.get("revision"))));
    }
    return out;
  }

  private static List<RevisionData> expectedRevisions(String row) {
    List<RevisionData> out = new ArrayList<>();
    List<Object> values = recorded(row);
    ByteString path = null;
    for (int i = 1; i < values.size(); i++) {
      Map<?, ?> m = (Map<?, ?>) values.get(i);
      if (!m.containsKey(b("node"))) {
        path = (ByteString) m.get(b("path"));
        continue;
      }
      Map<String, ByteString> following = new LinkedHashMap<>();
      for (Object f : m.containsKey(FIELDSFOLLOWING) ? (List<?>) m.get(FIELDSFOLLOWING) : List.of()) {
        following.put(((ByteString) ((List<?>) f).get(0)).utf8(), (ByteString) values.get(++i));
      }
      out.add(new RevisionData(Optional.ofNullable(path), Node.of((ByteString) m.get(b("node"))),
          nodes(m.get(b("parents"))), Optional.ofNullable((ByteString) m.get(b("linknode"))).map(Node::of),
          Optional.ofNullable(following.get("revision")), Optional.ofNullable(following.get("delta")),
          Optional.ofNullable((ByteString) m.get(b("deltabasenode"))).map(Node::of)));
    }
    return out;
  }

  /** Path to data of an identity {@code rawstorefiledata} recording. */
  private static Map<ByteString, ByteString> expectedStoreFiles(String row) {
    Map<ByteString, ByteString> out = new LinkedHashMap<>();
    List<Object> values = recorded(row);
    for (int i = 1; i < values.size(); i += 2) {
      out.put((ByteString) ((Map<?, ?>) values.get(i)).get(b("path")), (ByteString) values.get(i + 1));
    }
    return out;
  }

  private static List<Node> nodes(Object list) {
    List<Node> out = new ArrayList<>();
    if (list != null) {
      ((List<?>) list).forEach(o -> out.add(Node.of((ByteString) o)));
    }
    return out;
  }

  private static List<String> nodesOrNames(Object list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      ((List<?>) list).forEach(o -> out.add(((ByteString) o).utf8()));
    }
    return out;
  }

  private static Set<RevisionField> fields(Map<?, ?> args) {
    Object f = args.get(b("fields"));
    if (f == null) {
      return Set.of();
    }
    return ((Set<?>) f).stream().map(o -> RevisionField.valueOf(((ByteString) o).utf8().toUpperCase(
        java.util.Locale.ROOT))).collect(Collectors.toSet());
  }

  /** The arguments of a recorded request body: the settings frame, then the command request frame. */
  private static Map<?, ?> requestArgs(byte[] body) {
    try {
      int first = 8 + ((body[0] & 0xff) | (body[1] & 0xff) << 8 | (body[2] & 0xff) << 16);
      int len = (body[first] & 0xff) | (body[first + 1] & 0xff) << 8 | (body[first + 2] & 0xff) << 16;
      Map<?, ?> request = (Map<?, ?>) org.hgrpc.core.cbor.CborDecoder.decodeAll(ByteString.wrap(
          java.util.Arrays.copyOfRange(body, first + 8, first + 8 + len))).get(0);
      return (Map<?, ?>) request.get(b("args"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Mercurial's node of a text: SHA-1 of the two parents, smaller first, then the text. */
  private static Node hash(Node p1, Node p2, ByteString text) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    Node a = p1.compareTo(p2) <= 0 ? p1 : p2;
    Node c = a == p1 ? p2 : p1;
    sha1.update(a.bytes().toByteArray());
    sha1.update(c.bytes().toByteArray());
    sha1.update(text.toByteArray());
    return Node.of(ByteString.wrap(sha1.digest()));
  }
}
