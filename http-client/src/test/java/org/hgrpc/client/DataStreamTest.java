package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DataStream} against a server of API {@code exp-http-v2-0003} whose data commands
 * produce their values as they are sent: items are decoded as the caller asks for them, the
 * body is read only as far as the client's buffer allows, closing early cancels the exchange,
 * and values of the wrong shape are {@link ProtocolErrorException}s naming the command.
 */
class DataStreamTest {
  private static final int REVISION_BYTES = 4096;

  private TestServer server;
  private HgrpcClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = TestServer.start(Framing.V0006, ContentEncodings.of(List.of(ContentEncodings.IDENTITY)));
    client = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(5))
        .bufferBytes(256 << 10).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  /** The node of changeset {@code i} of the generated repository. */
  private static Node node(long i) {
    byte[] n = new byte[Node.LENGTH];
    for (int k = 0; k < 8; k++) {
      n[Node.LENGTH - 1 - k] = (byte) (i >>> (8 * k));
    }
    n[0] = 1;
    return Node.of(ByteString.wrap(n));
  }

  /**
   * {@code count} changesets, each a map and a revision of {@link #REVISION_BYTES} bytes,
   * made only as the server sends them; {@code produced} counts the changesets made.
   */
  private static Iterator<Object> changesets(long count, AtomicLong produced) {
    return new Iterator<>() {
      private long next = -1;
      private boolean revisionDue;

      @Override
      public boolean hasNext() {
        return next < count || revisionDue;
      }

      @Override
      public Object next() {
        if (next < 0) {
          next = 0;
          return Map.of(b("totalitems"), count);
        }
        if (revisionDue) {
          revisionDue = false;
          byte[] text = new byte[REVISION_BYTES];
          text[0] = (byte) next;
          return ByteString.wrap(text);
        }
        if (next >= count) {
          throw new NoSuchElementException();
        }
        produced.incrementAndGet();
        revisionDue = true;
        return Map.of(b("node"), node(++next).bytes(), b("parents"), List.of(node(next - 1).bytes(), Node.NULL.bytes()),
            b("fieldsfollowing"), List.of(List.of(b("revision"), (long) REVISION_BYTES)));
      }
    };
  }

  private static ChangesetDataRequest anyRequest() {
    return ChangesetDataRequest.of(RevisionSpecifier.dagRange(List.of(), List.of(node(1))))
        .withFields(ChangesetField.PARENTS, ChangesetField.REVISION);
  }

  /** Waits until {@code counter} has not moved for 300 ms (the producer is blocked), at most 10 s. */
  private static long settled(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
      Thread.sleep(300);
    }
    throw new AssertionError("the producer never stopped: " + counter.get());
  }

  @Test
  void aHugeResponseIsReadOneChangesetAtATimeAndClosingCancelsIt() throws Exception {
    long total = 100_000; // about 400 MiB of revisions
    AtomicLong produced = new AtomicLong();
    AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    server.raw("changesetdata", (exchange, request) -> {
      try {
        server.send(exchange, server.answer(request, changesets(total, produced)));
      } catch (IOException | RuntimeException e) {
        serverFailure.set(e);
        throw e;
      } finally {
        serverDone.countDown();
      }
    });

    DataStream<ChangesetRevision> s = client.repository().changesetData(anyRequest());
    assertEquals(total, s.header().totalItems());
    for (long i = 1; i <= 1000; i++) {
      ChangesetRevision c = s.next();
      assertEquals(node(i), c.node());
      assertEquals(List.of(node(i - 1), Node.NULL), c.parents());
      assertEquals((byte) i, (byte) c.revision().orElseThrow().byteAt(0));
    }

    // The client holds at most its buffer of unread values; the rest waits in socket buffers
    // and the server's writes block: far less than the response is made.
    long ahead = settled(produced) - 1000;
    assertTrue(ahead * REVISION_BYTES < 48L << 20, "changesets made ahead of the reader: " + ahead);
    assertTrue(s.bytesReceived() < 64L << 20, "bytes received: " + s.bytesReceived());

    s.close();
    assertTrue(serverDone.await(10, TimeUnit.SECONDS), "the server's writes end when the client closes");
    assertInstanceOf(IOException.class, serverFailure.get());
    assertTrue(produced.get() < total, "made " + produced.get());
    assertFalse(s.hasNext(), "a closed stream has no more items");
  }

  @Test
  void aWholeResponseAsAJavaStream() {
    long total = 3000;
    server.command("changesetdata", args -> changesets(total, new AtomicLong()));

    List<Node> nodes;
    DataStream<ChangesetRevision> s = client.repository().changesetData(anyRequest());
    try (Stream<ChangesetRevision> st = s.stream()) {
      nodes = st.map(ChangesetRevision::node).toList();
    }

    assertEquals(total, nodes.size());
    for (int i = 0; i < total; i++) {
      assertEquals(node(i + 1), nodes.get(i));
    }
    assertFalse(s.hasNext());
    assertThrows(NoSuchElementException.class, s::next);
  }

  @Test
  void aBigStoreFileIsReadAsAStream() throws IOException {
    byte[] data = new byte[5 << 20];
    new java.util.Random(3).nextBytes(data);
    server.command("rawstorefiledata", args -> List.<Object>of(
        Map.of(b("filecount"), 2L, b("totalsize"), (long) data.length + 3),
        Map.of(b("location"), b("store"), b("path"), b("00changelog.i"), b("size"), (long) data.length),
        IndefiniteByteString.split(ByteString.wrap(data), 65536),
        Map.of(b("location"), b("store"), b("path"), b("00manifest.i"), b("size"), 3L),
        b("abc")).iterator());

    try (DataStream<RawStoreFile> s = client.repository().rawStoreFileData(List.of(RawStoreFileSet.CHANGELOG,
        RawStoreFileSet.MANIFESTLOG))) {
      assertEquals(2, s.header().fileCount());
      RawStoreFile changelog = s.next();
      assertEquals("00changelog.i", changelog.path().utf8());
      InputStream in = changelog.data();
      byte[] buffer = new byte[8192];
      long read = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          assertEquals(data[(int) read + i], buffer[i]);
        }
        read += n;
      }
      assertEquals(data.length, read);
      RawStoreFile manifest = s.next();
      assertEquals(ByteString.latin1("abc"), ByteString.wrap(manifest.data().readAllBytes()));
      assertFalse(s.hasNext());
    }
  }

  // ---- shape errors ----

  private static final ByteString NODE = node(7).bytes();

  private static Map<ByteString, Object> revisionMap(Object... keysAndValues) {
    Map<ByteString, Object> m = new java.util.LinkedHashMap<>();
    m.put(b("node"), NODE);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(b((String) keysAndValues[i]), keysAndValues[i + 1]);
    }
    return m;
  }

  private static List<List<Object>> following(String field, long size) {
    return List.of(List.of(b(field), size));
  }

  static Stream<Arguments> badResponses() {
    Map<ByteString, Object> items1 = Map.of(b("totalitems"), 1L);
    return Stream.of(
        Arguments.of("changesetdata", List.of(items1, revisionMap("fieldsfollowing", following("revision", 3)),
            revisionMap()), "changesetdata: item 1 (010000000000): expected the revision data (a byte string of 3 "
            + "bytes), got map"),
        Arguments.of("changesetdata", List.of(items1, b("not a map")), "changesetdata: item 1: expected a map, got "
            + "byte string"),
        Arguments.of("changesetdata", List.of(items1, Map.of(b("node"), b("short"))),
            "changesetdata: item 1: node: expected a node of 20 bytes, got 5 bytes"),
        Arguments.of("changesetdata", List.of(items1, Map.of(b("phase"), b("draft"))),
            "changesetdata: item 1: the map has no node"),
        Arguments.of("changesetdata", List.of(items1, revisionMap("parents", List.of(NODE))),
            "changesetdata: item 1 (010000000000): parents: expected a list of 2 nodes, got list"),
        Arguments.of("changesetdata", List.of(items1, revisionMap("phase", 1L)),
            "changesetdata: item 1 (010000000000): phase: expected a byte string, got Long 1"),
        Arguments.of("changesetdata", List.of(items1, revisionMap("fieldsfollowing", following("revision", 3)),
            b("ab")), "changesetdata: item 1 (010000000000): the revision data has 2 bytes, announced 3"),
        Arguments.of("changesetdata", List.of(items1, revisionMap("fieldsfollowing", List.of(b("revision")))),
            "changesetdata: item 1 (010000000000): fieldsfollowing: expected a list of [field name, size] pairs"),
        Arguments.of("changesetdata", List.of(items1, revisionMap("fieldsfollowing", following("revision", 3))),
            "changesetdata: item 1 (010000000000): the response ended before the revision data of 3 bytes"),
        Arguments.of("manifestdata", List.of(items1, revisionMap("fieldsfollowing", following("delta", 3)),
            b("abc")), "manifestdata: item 1 (010000000000): a delta follows without a deltabasenode"),
        Arguments.of("manifestdata", List.of(items1, revisionMap("deltabasenode", NODE, "fieldsfollowing",
            List.of(List.of(b("delta"), 1L), List.of(b("revision"), 1L))), b("a"), b("b")),
            "manifestdata: item 1 (010000000000): both a full text and a delta follow"),
        Arguments.of("filedata", List.of(items1, revisionMap("linknode", List.of())),
            "filedata: item 1 (010000000000): linknode: expected a byte string, got list"),
        Arguments.of("filesdata", List.of(Map.of(b("totalitems"), 1L, b("totalpaths"), 1L), revisionMap()),
            "filesdata: a file revision came before any path entry"),
        Arguments.of("filesdata", List.of(Map.of(b("totalitems"), 1L, b("totalpaths"), 1L),
            Map.of(b("path"), b("a"), b("totalitems"), b("1"))), "filesdata: the entry of path a: totalitems: "
            + "expected a non-negative integer, got byte string"),
        Arguments.of("rawstorefiledata", List.of(Map.of(b("filecount"), 1L, b("totalsize"), 3L),
            Map.of(b("location"), b("store"), b("path"), b("00changelog.i"), b("size"), 3L),
            Map.of(b("x"), 1L)), "rawstorefiledata: file 00changelog.i: expected its data (a byte string of 3 "
            + "bytes), got map"),
        Arguments.of("rawstorefiledata", List.of(Map.of(b("filecount"), 1L, b("totalsize"), 3L),
            Map.of(b("location"), b("store"), b("path"), b("00changelog.i"), b("size"), 3L),
            IndefiniteByteString.split(ByteString.latin1("abcd"), 2)),
            "rawstorefiledata: file 00changelog.i: more than the announced 3 bytes"),
        Arguments.of("rawstorefiledata", List.of(Map.of(b("filecount"), 1L, b("totalsize"), 3L),
            Map.of(b("location"), b("store"), b("path"), b("00changelog.i"), b("size"), 3L), b("ab")),
            "rawstorefiledata: file 00changelog.i: only 2 of the announced 3 bytes"),
        Arguments.of("rawstorefiledata", List.of(Map.of(b("filecount"), 1L, b("totalsize"), 3L),
            Map.of(b("location"), b("store"), b("size"), 3L)), "rawstorefiledata: file entry without a path"));
  }

  /** Every item of {@code command}'s response, reading store files' data to the end. */
  private List<Object> readAll(String command) throws IOException {
    RepositoryCommands repo = client.repository();
    List<Node> none = List.of(Node.NULL);
    DataStream<?> s = switch (command) {
      case "changesetdata" -> repo.changesetData(ChangesetDataRequest.of(RevisionSpecifier.explicit(none)));
      case "manifestdata" -> repo.manifestData(ManifestDataRequest.of(none));
      case "filedata" -> repo.fileData(FileDataRequest.of("a", none));
      case "filesdata" -> repo.filesData(FilesDataRequest.of(RevisionSpecifier.explicit(none)));
      case "rawstorefiledata" -> repo.rawStoreFileData(List.of(RawStoreFileSet.CHANGELOG));
      default -> throw new IllegalArgumentException(command);
    };
    List<Object> items = new ArrayList<>();
    try (s) {
      while (s.hasNext()) {
        Object item = s.next();
        if (item instanceof RawStoreFile f) {
          f.data().readAllBytes();
        }
        items.add(item);
      }
    }
    return items;
  }

  @ParameterizedTest
  @MethodSource("badResponses")
  void aValueOfTheWrongShapeIsAProtocolError(String command, List<Object> values, String message) {
    server.command(command, args -> values.iterator());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> readAll(command));

    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void aBadHeaderFailsTheCall() {
    server.command("changesetdata", args -> List.of(List.of(1L)).iterator());
    server.command("filesdata", args -> List.<Object>of(Map.of(b("totalitems"), 1L)).iterator());
    RepositoryCommands repo = client.repository();

    ProtocolErrorException list = assertThrows(ProtocolErrorException.class, () -> repo.changesetData(anyRequest()));
    ProtocolErrorException missing = assertThrows(ProtocolErrorException.class,
        () -> repo.filesData(FilesDataRequest.of(RevisionSpecifier.explicit(Node.NULL))));

    assertTrue(list.getMessage().startsWith("changesetdata: the header: expected a map, got list"), list.getMessage());
    assertEquals("filesdata: the header: totalpaths: expected a non-negative integer, got nothing", missing.getMessage());
  }

  @Test
  void afterAShapeErrorTheStreamEnds() {
    server.command("changesetdata", args -> List.<Object>of(Map.of(b("totalitems"), 2L), revisionMap(), b("x"),
        revisionMap()).iterator());

    try (DataStream<ChangesetRevision> s = client.repository().changesetData(anyRequest())) {
      assertEquals(node(7), s.next().node());
      assertThrows(ProtocolErrorException.class, s::next);
      assertFalse(s.hasNext());
    }
  }

  @Test
  void aServerErrorMidStreamEndsTheItems() {
    AtomicLong produced = new AtomicLong();
    Iterator<Object> hundred = changesets(100, produced);
    server.command("changesetdata", args -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        if (hundred.hasNext()) {
          return hundred.next();
        }
        throw new IllegalStateException("disk on fire");
      }
    });

    List<Node> read = new ArrayList<>();
    ServerErrorException e;
    try (DataStream<ChangesetRevision> s = client.repository().changesetData(anyRequest())) {
      e = assertThrows(ServerErrorException.class, () -> s.forEachRemaining(c -> read.add(c.node())));
      assertFalse(s.hasNext());
    }

    assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
    // What was sent before the failure is read first (the frames being filled when it failed are lost).
    assertTrue(read.size() > 10 && read.size() <= 100, "read " + read.size());
    assertEquals(node(1), read.get(0));
  }
}
