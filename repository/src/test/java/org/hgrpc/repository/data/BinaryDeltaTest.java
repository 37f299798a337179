package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hgrpc.repository.revlog.MPatch;
import org.junit.jupiter.api.Test;

class BinaryDeltaTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void roundTrip(byte[] base, byte[] target) {
    byte[] delta = BinaryDelta.diff(base, target);
    assertArrayEquals(target, MPatch.apply(base, delta, "test"),
        () -> "delta of " + new String(base, StandardCharsets.ISO_8859_1) + " -> "
            + new String(target, StandardCharsets.ISO_8859_1));
  }

  @Test
  void equalTextsGiveAnEmptyDelta() {
    assertEquals(0, BinaryDelta.diff(bytes("a\nb\n"), bytes("a\nb\n")).length);
    assertEquals(0, BinaryDelta.diff(new byte[0], new byte[0]).length);
  }

  /** One hunk: start, end, length big-endian, then the new bytes. */
  @Test
  void aChangedLineIsOneHunkOfThatLine() {
    byte[] delta = BinaryDelta.diff(bytes("a\nb\nc\n"), bytes("a\nB\nc\n"));
    assertArrayEquals(new byte[] {0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 2, 'B', '\n'}, delta);
  }

  @Test
  void edgeCases() {
    roundTrip(new byte[0], bytes("new\nfile"));
    roundTrip(bytes("old\nfile\n"), new byte[0]);
    roundTrip(bytes("no newline"), bytes("no newline at all"));
    roundTrip(bytes("a\nb"), bytes("a\nb\n"));
    roundTrip(bytes("x\ny\nx\ny\n"), bytes("y\nx\ny\nx\n"));
    roundTrip(bytes("\n\n\n"), bytes("\n\n"));
  }

  /** Only what changed is sent: two edits far apart in a long text give two small hunks. */
  @Test
  void distantEditsStaySmall() {
    StringBuilder a = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      a.append("line ").append(i).append('\n');
    }
    String b = a.toString().replace("line 10\n", "ten\n").replace("line 900\n", "nine hundred\n");
    byte[] delta = BinaryDelta.diff(bytes(a.toString()), bytes(b));
    assertEquals(2 * 12 + "ten\n".length() + "nine hundred\n".length(), delta.length);
    roundTrip(bytes(a.toString()), bytes(b));
  }

  @Test
  void randomEditsRoundTrip() {
    Random random = new Random(48);
    for (int round = 0; round < 500; round++) {
      List<String> lines = new ArrayList<>();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        lines.add("l" + random.nextInt(8) + (random.nextInt(5) == 0 ? "" : "\n"));
      }
      String a = String.join("", lines);
      for (int e = random.nextInt(6); e > 0 && !lines.isEmpty(); e--) {
        int at = random.nextInt(lines.size());
        switch (random.nextInt(3)) {
          case 0 -> lines.remove(at);
          case 1 -> lines.add(at, "new" + random.nextInt(4) + "\n");
          default -> lines.set(at, "x" + random.nextInt(3) + "\n");
        }
      }
      roundTrip(bytes(a), bytes(String.join("", lines)));
      byte[] binary = new byte[random.nextInt(300)];
      random.nextBytes(binary);
      byte[] other = binary.clone();
      if (other.length > 0) {
        other[random.nextInt(other.length)] ^= 1;
      }
      roundTrip(binary, other);
    }
  }

  /** A text of 200,000 lines against its reversal: fast, and correct. */
  @Test
  void bigReorderingsStayFast() {
    int n = 200_000;
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      a.append(i).append('\n');
      b.append(n - 1 - i).append('\n');
    }
    long start = System.nanoTime();
    roundTrip(bytes(a.toString()), bytes(b.toString()));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 10_000, "took " + millis + " ms");
  }

  @Test
  void hunksAreInOrderAndInsideTheBase() {
    byte[] base = bytes("1\n2\n3\n4\n5\n6\n7\n8\n");
    byte[] delta = BinaryDelta.diff(base, bytes("0\n1\n3\n4\nfive\n6\n8\n9\n"));
    int last = 0;
    for (int p = 0; p < delta.length;) {
      int start = readInt(delta, p);
      int end = readInt(delta, p + 4);
      int len = readInt(delta, p + 8);
      assertTrue(start >= last && end >= start && end <= base.length, "hunk " + start + ".." + end);
      last = end;
      p += 12 + len;
    }
  }

  private static int readInt(byte[] d, int p) {
    return ((d[p] & 0xff) << 24) | ((d[p + 1] & 0xff) << 16) | ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
  }
}
