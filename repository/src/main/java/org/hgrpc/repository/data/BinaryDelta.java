package org.hgrpc.repository.data;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.repository.revlog.MPatch;

/**
 * Computes Mercurial binary deltas: hunks of a big-endian {@code start, end, length} header
 * and {@code length} bytes replacing {@code base[start:end]}, in order and not overlapping
 * ({@link MPatch} applies them).
 *
 * <p>The diff is line based, as Mercurial's {@code bdiff}, though not byte-identical to it
 * (the protocol only needs a delta that turns the base into the target). Lines are split
 * after {@code \n}. Common leading and trailing lines are matched first; within what is
 * left, lines that occur exactly once on each side are matched when they appear in the same
 * order (the longest such increasing run: "patience diff"), and the gaps between them are
 * diffed the same way. A gap with no unique common line becomes one hunk. Each pass is linear
 * in the lines it looks at apart from the run search ({@code n log n}). Texts that make the
 * gaps nest deeply (a reordering of unique lines, say) could make that quadratic, so the lines
 * searched for anchors are budgeted: past a few times the texts' size, the gaps left become
 * single hunks (a larger delta, never a wrong one).
 */
public final class BinaryDelta {
  private BinaryDelta() {}

  /** A delta turning {@code base} into {@code target}; empty when they are equal. */
  public static byte[] diff(byte[] base, byte[] target) {
    if (Arrays.equals(base, target)) {
      return new byte[0];
    }
    int[] aStarts = lineStarts(base);
    int[] bStarts = lineStarts(target);
    int aLines = aStarts.length - 1;
    int bLines = bStarts.length - 1;
    Map<LineKey, Integer> ids = new HashMap<>();
    int[] a = lineIds(base, aStarts, ids);
    int[] b = lineIds(target, bStarts, ids);
    List<int[]> hunks = new ArrayList<>();
    Deque<int[]> work = new ArrayDeque<>();
    long budget = 8L * (aLines + bLines) + 100_000;
    work.push(new int[] {0, aLines, 0, bLines});
    while (!work.isEmpty()) {
      int[] r = work.pop();
      int a0 = r[0];
      int a1 = r[1];
      int b0 = r[2];
      int b1 = r[3];
      while (a0 < a1 && b0 < b1 && a[a0] == b[b0]) {
        a0++;
        b0++;
      }
      while (a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1]) {
        a1--;
        b1--;
      }
      if (a0 == a1 && b0 == b1) {
        continue;
      }
      int[][] anchors = new int[0][];
      if (a0 != a1 && b0 != b1 && budget > 0) {
        budget -= (a1 - a0) + (b1 - b0);
        anchors = uniqueCommonRun(a, a0, a1, b, b0, b1);
      }
      if (anchors.length == 0) {
        hunks.add(new int[] {a0, a1, b0, b1});
        continue;
      }
      // Gaps between anchors, pushed last first so that they are diffed (and hunks listed) in order.
      int pa = anchors[anchors.length - 1][0] + 1;
      int pb = anchors[anchors.length - 1][1] + 1;
      work.push(new int[] {pa, a1, pb, b1});
      for (int i = anchors.length - 1; i >= 0; i--) {
        int sa = i == 0 ? a0 : anchors[i - 1][0] + 1;
        int sb = i == 0 ? b0 : anchors[i - 1][1] + 1;
        work.push(new int[] {sa, anchors[i][0], sb, anchors[i][1]});
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < hunks.size()) {
      int[] h = hunks.get(i);
      int aEnd = h[1];
      int bEnd = h[3];
      // Hunks touching each other (an empty gap) merge into one.
      while (i + 1 < hunks.size() && hunks.get(i + 1)[0] == aEnd && hunks.get(i + 1)[2] == bEnd) {
        i++;
        aEnd = hunks.get(i)[1];
        bEnd = hunks.get(i)[3];
      }
      int start = aStarts[h[0]];
      int end = aStarts[aEnd];
      int from = bStarts[h[2]];
      int length = bStarts[bEnd] - from;
      writeInt(out, start);
      writeInt(out, end);
      writeInt(out, length);
      out.write(target, from, length);
      i++;
    }
    return out.toByteArray();
  }

  /**
   * The anchors of a range: pairs (line in a, line in b) of lines unique on both sides, the
   * longest run increasing on both sides.
   */
  private static int[][] uniqueCommonRun(int[] a, int a0, int a1, int[] b, int b0, int b1) {
    Map<Integer, int[]> seen = new HashMap<>();
    for (int i = a0; i < a1; i++) {
      int[] s = seen.computeIfAbsent(a[i], k -> new int[] {0, 0, -1, -1});
      s[0]++;
      s[2] = i;
    }
    for (int j = b0; j < b1; j++) {
      int[] s = seen.get(b[j]);
      if (s != null) {
        s[1]++;
        s[3] = j;
      }
    }
    // Pairs in order of their line in a.
    List<int[]> pairs = new ArrayList<>();
    for (int i = a0; i < a1; i++) {
      int[] s = seen.get(a[i]);
      if (s[0] == 1 && s[1] == 1) {
        pairs.add(new int[] {s[2], s[3]});
      }
    }
    if (pairs.isEmpty()) {
      return new int[0][];
    }
    // Longest increasing subsequence on the line in b (patience sorting).
    int n = pairs.size();
    int[] tails = new int[n];
    int[] prev = new int[n];
    int length = 0;
    for (int k = 0; k < n; k++) {
      int v = pairs.get(k)[1];
      int lo = 0;
      int hi = length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (pairs.get(tails[mid])[1] < v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      prev[k] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = k;
      if (lo == length) {
        length++;
      }
    }
    int[][] run = new int[length][];
    for (int k = tails[length - 1], j = length - 1; k >= 0; k = prev[k], j--) {
      run[j] = pairs.get(k);
    }
    return run;
  }

  /** Offsets where each line starts, plus the text's length. */
  private static int[] lineStarts(byte[] text) {
    int count = 0;
    for (byte c : text) {
      if (c == '\n') {
        count++;
      }
    }
    boolean tail = text.length > 0 && text[text.length - 1] != '\n';
    int[] starts = new int[count + (tail ? 1 : 0) + 1];
    int k = 1;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n' && i + 1 < text.length) {
        starts[k++] = i + 1;
      }
    }
    starts[starts.length - 1] = text.length;
    return starts;
  }

  private static int[] lineIds(byte[] text, int[] starts, Map<LineKey, Integer> ids) {
    int[] out = new int[starts.length - 1];
    for (int i = 0; i < out.length; i++) {
      LineKey key = new LineKey(text, starts[i], starts[i + 1]);
      Integer id = ids.get(key);
      if (id == null) {
        id = ids.size();
        ids.put(key, id);
      }
      out[i] = id;
    }
    return out;
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  /** A line of a text, compared by content. */
  private static final class LineKey {
    private final byte[] text;
    private final int from;
    private final int to;
    private final int hash;

    LineKey(byte[] text, int from, int to) {
      this.text = text;
      this.from = from;
      this.to = to;
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + text[i];
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof LineKey)) {
        return false;
      }
      LineKey k = (LineKey) o;
      return hash == k.hash && Arrays.equals(text, from, to, k.text, k.from, k.to);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
