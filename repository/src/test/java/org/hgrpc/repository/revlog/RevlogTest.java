package org.hgrpc.repository.revlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.hgrpc.repository.RepositoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevlogTest {
  @TempDir
  Path dir;

  private static byte[] s(String t) {
    return t.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] zlib(byte[] data) {
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    return out.toByteArray();
  }

  private Revlog write(RevlogBuilder b) throws Exception {
    Path i = dir.resolve("x.i");
    Path d = dir.resolve("x.d");
    Files.write(i, b.index());
    Files.write(d, b.data());
    return Revlog.open(i, d);
  }

  /** Three revisions: a full text, a delta on it, a delta on that, in every layout. */
  @Test
  void deltaChainsInlineAndSplitWithAndWithoutGeneralDelta() throws Exception {
    for (boolean inline : new boolean[] {true, false}) {
      for (boolean gd : new boolean[] {true, false}) {
        RevlogBuilder b = new RevlogBuilder(inline, gd);
        b.full("hello world\n", -1);
        // A chunk starting with a zero byte is stored as is: binary deltas usually do.
        b.add(s("hello there world\n"), RevlogBuilder.delta(6, 6, "there "), 0, 0, -1);
        int base3 = gd ? 1 : 0;
        b.add(s("hello there world!\n"), zlib(RevlogBuilder.delta(17, 18, "!\n")), base3, 1, -1);
        Revlog r = write(b);
        assertEquals(3, r.index().count());
        assertEquals(inline, r.index().inline());
        assertEquals(gd, r.index().generalDelta());
        assertArrayEquals(s("hello world\n"), r.revision(0));
        assertArrayEquals(s("hello there world\n"), r.revision(1));
        assertArrayEquals(s("hello there world!\n"), r.revision(2));
        assertEquals(1, r.index().rev(b.node(1)));
        assertEquals(-1, r.index().rev(Nodes.NULL));
      }
    }
  }

  @Test
  void zstdAndZlibFullTexts() throws Exception {
    byte[] text = s("compressed text, compressed text, compressed text\n");
    RevlogBuilder b = new RevlogBuilder(true, true);
    b.add(text, zlib(text), -2, -1, -1);
    b.add(text, Zstd.compress(text), -2, 0, -1);
    Revlog r = write(b);
    assertArrayEquals(text, r.revision(0));
    assertArrayEquals(text, r.revision(1));
  }

  @Test
  void aMissingIndexIsAnEmptyRevlog() {
    assertEquals(0, Revlog.open(dir.resolve("none.i"), dir.resolve("none.d")).index().count());
  }

  @Test
  void anIncompleteLastInlineEntryIsNotYetWritten() throws Exception {
    RevlogBuilder b = new RevlogBuilder(true, true).full("one", -1).full("two", 0);
    byte[] index = b.index();
    Path i = dir.resolve("t.i");
    Files.write(i, Arrays.copyOf(index, index.length - 2));
    assertEquals(1, Revlog.open(i, dir.resolve("t.d")).index().count());
  }

  @Test
  void badDataGivesClearErrors() throws Exception {
    assertError("unsupported revlog version 2", new byte[] {0, 0, 0, 2});
    assertError("unknown revlog flags 0x4", new byte[] {0, 4, 0, 1});
    byte[] good = new RevlogBuilder(false, true).full("a", -1).full("b", 0).index();
    byte[] forwardParent = good.clone();
    putInt(forwardParent, 64 + 24, 5);
    assertError("parents 5, -1 that do not precede it", forwardParent);
    byte[] forwardBase = good.clone();
    putInt(forwardBase, 16, 1);
    assertError("delta base 1 outside 0..0", forwardBase);

    RevlogBuilder b = new RevlogBuilder(true, true);
    b.add(s("text"), s("?text"), -2, -1, -1);
    RepositoryException e = assertThrows(RepositoryException.class, () -> write(b).revision(0));
    assertTrue(e.getMessage().contains("unknown compression type 0x3f"), e.getMessage());

    RevlogBuilder wrongHash = new RevlogBuilder(true, true).full("text", -1);
    byte[] idx = wrongHash.index();
    idx[idx.length - 1] = 'X';
    Files.write(dir.resolve("h.i"), idx);
    e = assertThrows(RepositoryException.class, () -> Revlog.open(dir.resolve("h.i"), dir.resolve("h.d")).revision(0));
    assertTrue(e.getMessage().contains("integrity check failed on revision 0"), e.getMessage());

    RevlogBuilder badZlib = new RevlogBuilder(true, true);
    badZlib.add(s("text"), s("x\u0001garbage"), -2, -1, -1);
    e = assertThrows(RepositoryException.class, () -> write(badZlib).revision(0));
    assertTrue(e.getMessage().contains("corrupt zlib data"), e.getMessage());

    RevlogBuilder split = new RevlogBuilder(false, true).full("text", -1);
    Files.write(dir.resolve("s.i"), split.index());
    Files.write(dir.resolve("s.d"), new byte[2]);
    e = assertThrows(RepositoryException.class, () -> Revlog.open(dir.resolve("s.i"), dir.resolve("s.d")).revision(0));
    assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
  }

  private void assertError(String expected, byte[] index) throws Exception {
    Path i = dir.resolve("bad.i");
    Files.write(i, index);
    RepositoryException e = assertThrows(RepositoryException.class, () -> Revlog.open(i, dir.resolve("bad.d")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static void putInt(byte[] b, int at, int v) {
    java.nio.ByteBuffer.wrap(b).putInt(at, v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
