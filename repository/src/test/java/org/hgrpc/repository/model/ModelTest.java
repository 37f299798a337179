package org.hgrpc.repository.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogBuilder;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTest {
  @TempDir
  Path dir;

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  @Test
  void changelogEntries() {
    String text = "0123456789012345678901234567890123456789\nAlice <a@b>\n1500000000 -3600 branch:stable\0close:1"
        + "\0weird:a\\\\0b\\nc\na.txt\ndir/b.txt\n\nthe message\nsecond line";
    ChangelogEntry e = ChangelogEntry.parse(text.getBytes(StandardCharsets.ISO_8859_1), "test");
    assertEquals("0123456789012345678901234567890123456789", e.manifest().hex());
    assertEquals(b("Alice <a@b>"), e.user());
    assertEquals(1500000000.0, e.time());
    assertEquals(-3600, e.timezone());
    assertEquals(b("stable"), e.branch());
    assertTrue(e.closesBranch());
    assertEquals(b("a\\0b\nc"), e.extra().get(b("weird")));
    assertEquals(List.of(b("a.txt"), b("dir/b.txt")), e.files());
    assertEquals(b("the message\nsecond line"), e.description());

    ChangelogEntry plain = ChangelogEntry.parse(
        "0123456789012345678901234567890123456789\nu\n0 0\n\nno files".getBytes(StandardCharsets.ISO_8859_1), "t");
    assertEquals(b("default"), plain.branch());
    assertFalse(plain.closesBranch());
    assertEquals(List.of(), plain.files());
    assertThrows(RepositoryException.class, () -> ChangelogEntry.parse("nonsense".getBytes(), "t"));
  }

  @Test
  void extraEscapesDecodeAsPythonsEscapeDecode() {
    // Changeset extras are decoded with core's PythonLiteral.unescape (codecs.escape_decode).
    assertArrayEquals("a\\b\n\t'\u0001\u00ffq\\z".getBytes(StandardCharsets.ISO_8859_1),
        org.hgrpc.core.literal.PythonLiteral.unescape("a\\\\b\\n\\t\\'\\001\\xffq\\z").toByteArray());
    assertThrows(IllegalArgumentException.class, () -> org.hgrpc.core.literal.PythonLiteral.unescape("end\\"));
    assertThrows(IllegalArgumentException.class, () -> org.hgrpc.core.literal.PythonLiteral.unescape("\\xZ1"));
  }

  /** Phases of a chain 0-1-2 with a branch 1-3: draft root 1, secret root 3. */
  @Test
  void phasesFromRoots() throws Exception {
    RevlogBuilder b = new RevlogBuilder(true, true).full("0", -1).full("1", 0).full("2", 1).full("3", 1);
    RevlogIndex cl = RevlogIndex.parse("00changelog.i", b.index());
    Files.writeString(dir.resolve("phaseroots"), "1 " + b.node(1).hex() + "\n2 " + b.node(3).hex()
        + "\n1 " + "ab".repeat(20) + "\n");
    Phases p = Phases.read(dir.resolve("phaseroots"), cl);
    assertEquals(List.of(0, 1, 1, 2), List.of(p.phase(0), p.phase(1), p.phase(2), p.phase(3)));
    assertEquals(0, p.phase(-1));
    assertTrue(p.hasSecret());
    assertEquals(Set.of(b.node(1)), p.roots(Phases.DRAFT), "unknown roots are left out");
    assertEquals("1 " + b.node(1).hex() + "\n2 " + b.node(3).hex() + "\n",
        new String(p.serialize(), StandardCharsets.ISO_8859_1));
    Files.writeString(dir.resolve("bad"), "7 " + b.node(1).hex() + "\n");
    assertThrows(RepositoryException.class, () -> Phases.read(dir.resolve("bad"), cl));
  }

  @Test
  void bookmarksAsBmstoreLoadsThem() throws Exception {
    RevlogBuilder b = new RevlogBuilder(true, true).full("0", -1).full("1", 0);
    RevlogIndex cl = RevlogIndex.parse("00changelog.i", b.index());
    Files.writeString(dir.resolve("bookmarks"), b.node(0).hex() + " one\n"
        + "  " + b.node(1).hex() + " two  \r\n"
        + "ab".repeat(20) + " unknown\n"
        + "nonsense\n"
        + b.node(1).hex() + " one\n"
        + Nodes.NULL.hex() + " nullmark\n");
    Bookmarks marks = Bookmarks.read(dir.resolve("bookmarks"), cl);
    assertEquals(b.node(1), marks.get(b("one")), "a later line wins");
    assertEquals(b.node(1), marks.get(b("two")));
    assertEquals(Nodes.NULL, marks.get(b("nullmark")));
    assertNull(marks.get(b("unknown")));
    assertEquals(b.node(1).hex() + " one\n" + b.node(1).hex() + " two\n",
        new String(marks.with(b("nullmark"), null).serialize(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void tagFilesMergeAsMercurial() {
    String a = "a".repeat(40);
    String c = "c".repeat(40);
    String d = "d".repeat(40);
    Map<ByteString, TagsFile.Entry> all = new LinkedHashMap<>();
    // Older head: v1 moved from a to c.
    TagsFile.merge(TagsFile.parse((a + " v1\n" + c + " v1\nnot a line\nzz v3\nabcd v2\n").getBytes()), all);
    // Newer head still says a: c supersedes it (a is in c's history).
    TagsFile.merge(TagsFile.parse((a + " v1\r\n" + d + "  spaced  \n").getBytes()), all);
    assertEquals(c, all.get(b("v1")).node().hex());
    assertEquals(d, all.get(b("spaced")).node().hex());
    assertEquals(2, all.get(b("v2")).node().size(), "an even-length hex string is kept as a (useless) node");
    assertEquals(null, all.get(b("v3")), "not hex: skipped");
  }

  @Test
  void obsoleteMarkersV1AndTheirPushkeyDump() {
    ByteString prec = ByteString.wrap(new byte[20]).concat(ByteString.EMPTY);
    byte[] p = new byte[20];
    p[0] = 1;
    byte[] s = new byte[20];
    s[0] = 2;
    ByteBuffer m = ByteBuffer.allocate(1 + 4 + 8 + 2 + 2 + 3 + 20 + 20 + 2 + 4 + 5);
    m.put((byte) 1);
    int size = 4 + 8 + 2 + 2 + 3 + 20 + 20 + 2 + 4 + 5;
    m.putInt(size).putDouble(1500000000.5).putShort((short) 60).putShort((short) 0);
    m.put((byte) 1).put((byte) 3).put((byte) 1).put(p).put(s).put((byte) 4).put((byte) 5);
    m.put("user".getBytes()).put("alice".getBytes());
    ObsStore store = ObsStore.parse(m.array(), "obsstore");
    assertEquals(1, store.markers().size());
    ObsMarker marker = store.markers().get(0);
    assertEquals(ByteString.wrap(p), marker.predecessor());
    assertEquals(List.of(ByteString.wrap(s)), marker.successors());
    assertEquals(3600, marker.timezone());
    assertNull(marker.parents());
    assertTrue(store.isPredecessor(ByteString.wrap(p)));
    assertFalse(store.isPredecessor(prec));
    // Format 0 of the marker, as Mercurial's _fm0encodeonemarker writes it.
    byte[] v0 = ObsStore.encodeV0(marker);
    String meta = "date:1500000000.5 3600\0user:alice";
    ByteBuffer expected = ByteBuffer.allocate(1 + 4 + 1 + 20 + 20 + meta.length());
    expected.put((byte) 1).putInt(meta.length()).put((byte) 0).put(p).put(s).put(meta.getBytes());
    assertArrayEquals(expected.array(), v0);
    ByteString dump = store.pushkeyDump().get(b("dump0"));
    byte[] withVersion = new byte[v0.length + 1];
    System.arraycopy(v0, 0, withVersion, 1, v0.length);
    assertEquals(Base85.encode(withVersion), dump.utf8());
    // v0 store round trip.
    ObsStore back = ObsStore.parse(withVersion, "v0");
    assertEquals(marker.predecessor(), back.markers().get(0).predecessor());
    assertEquals(1500000000.5, back.markers().get(0).date());

    byte[] truncated = java.util.Arrays.copyOf(m.array(), 30);
    assertThrows(RepositoryException.class, () -> ObsStore.parse(truncated, "obsstore"));
    assertThrows(RepositoryException.class, () -> ObsStore.parse(new byte[] {9}, "obsstore"));
  }

  @Test
  void base85AndFloatReprAsPython() {
    assertEquals("Xk~0{Zv", Base85.encode("hello".getBytes()));
    assertEquals("", Base85.encode(new byte[0]));
    assertEquals("00", Base85.encode(new byte[1]));
    assertEquals("1500000000.5", PyRepr.floatRepr(1500000000.5));
    assertEquals("0.1", PyRepr.floatRepr(0.1));
    assertEquals("1e+16", PyRepr.floatRepr(1e16));
    assertEquals("1234567890123456.0", PyRepr.floatRepr(1234567890123456.0));
    assertEquals("1e-05", PyRepr.floatRepr(0.00001));
    assertEquals("0.0001", PyRepr.floatRepr(0.0001));
    assertEquals("1534000000.1234567", PyRepr.floatRepr(1534000000.1234567));
    assertEquals("-2.5", PyRepr.floatRepr(-2.5));
    assertEquals("0.0", PyRepr.floatRepr(0.0));
  }

  @Test
  void dirstateParents() throws Exception {
    assertEquals(Nodes.NULL, Dirstate.read(dir.resolve("missing")).p1());
    byte[] v1 = new byte[60];
    v1[0] = 7;
    v1[20] = 8;
    Files.write(dir.resolve("v1"), v1);
    assertEquals(7, Dirstate.read(dir.resolve("v1")).p1().byteAt(0));
    assertEquals(8, Dirstate.read(dir.resolve("v1")).p2().byteAt(0));
    ByteBuffer v2 = ByteBuffer.allocate(12 + 64 + 10);
    v2.put("dirstate-v2\n".getBytes()).put((byte) 9);
    Files.write(dir.resolve("v2"), v2.array());
    assertEquals(9, Dirstate.read(dir.resolve("v2")).p1().byteAt(0));
    Files.write(dir.resolve("short"), new byte[10]);
    assertThrows(RepositoryException.class, () -> Dirstate.read(dir.resolve("short")));
  }
}
