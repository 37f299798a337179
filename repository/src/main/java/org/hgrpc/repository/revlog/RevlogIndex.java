package org.hgrpc.repository.revlog;

import java.util.HashMap;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;

/**
 * The index of a version 1 revlog: 64 bytes per revision (offset and flags, compressed and
 * full lengths, delta base, link revision, parents, node), the first four bytes overlaid by
 * the version header. In an inline revlog each entry is followed by its data chunk.
 *
 * <p>Checked on load: the version and header flags, that parents precede their child and that
 * delta bases do not point forward, so that no later walk can loop.
 */
public final class RevlogIndex {
  /** Bytes per index entry. */
  public static final int ENTRY_SIZE = 64;
  static final int FLAG_INLINE_DATA = 1 << 16;
  static final int FLAG_GENERALDELTA = 1 << 17;
  private static final int VERSION_1 = 1;

  private final String name;
  private final byte[] data;
  private final boolean inline;
  private final boolean generalDelta;
  private final int count;
  /** Inline revlogs: where each entry starts in {@link #data}. */
  private final int[] entryPositions;
  private volatile Map<ByteString, Integer> nodeMap;

  private RevlogIndex(String name, byte[] data, boolean inline, boolean generalDelta, int count, int[] entryPositions) {
    this.name = name;
    this.data = data;
    this.inline = inline;
    this.generalDelta = generalDelta;
    this.count = count;
    this.entryPositions = entryPositions;
  }

  /**
   * Parses an index file's bytes. An empty file is an empty revlog. A final entry that is
   * incomplete (a writer is appending) is left out, as if not yet written.
   *
   * @param name the file name, for error messages
   * @throws RepositoryException for another version, unknown flags or inconsistent entries
   */
  public static RevlogIndex parse(String name, byte[] data) {
    if (data.length == 0) {
      return new RevlogIndex(name, data, false, false, 0, null);
    }
    if (data.length < 4) {
      throw new RepositoryException(name + ": index too short for its header");
    }
    int header = readInt(data, 0);
    int version = header & 0xffff;
    int flags = header & ~0xffff;
    if (version != VERSION_1) {
      throw new RepositoryException(name + ": unsupported revlog version " + version);
    }
    if ((flags & ~(FLAG_INLINE_DATA | FLAG_GENERALDELTA)) != 0) {
      throw new RepositoryException(String.format("%s: unknown revlog flags 0x%x", name, flags >>> 16));
    }
    boolean inline = (flags & FLAG_INLINE_DATA) != 0;
    boolean gd = (flags & FLAG_GENERALDELTA) != 0;
    int count;
    int[] positions = null;
    if (inline) {
      int[] pos = new int[Math.max(16, data.length / (ENTRY_SIZE * 2))];
      int n = 0;
      long p = 0;
      while (p + ENTRY_SIZE <= data.length) {
        int compressed = readInt(data, (int) p + 8);
        if (compressed < 0) {
          throw new RepositoryException(name + ": revision " + n + " has a negative length");
        }
        if (p + ENTRY_SIZE + compressed > data.length) {
          break;
        }
        if (n == pos.length) {
          pos = java.util.Arrays.copyOf(pos, n * 2);
        }
        pos[n++] = (int) p;
        p += ENTRY_SIZE + (long) compressed;
      }
      count = n;
      positions = java.util.Arrays.copyOf(pos, n);
    } else {
      count = data.length / ENTRY_SIZE;
    }
    RevlogIndex index = new RevlogIndex(name, data, inline, gd, count, positions);
    index.validate();
    return index;
  }

  private void validate() {
    for (int rev = 0; rev < count; rev++) {
      int p1 = p1(rev);
      int p2 = p2(rev);
      if (p1 < -1 || p1 >= rev || p2 < -1 || p2 >= rev) {
        throw new RepositoryException(name + ": revision " + rev + " has parents " + p1 + ", " + p2
            + " that do not precede it");
      }
      int base = base(rev);
      if (base < 0 || base > rev) {
        throw new RepositoryException(name + ": revision " + rev + " has delta base " + base + " outside 0.." + rev);
      }
      if (compressedLength(rev) < 0 || fullLength(rev) < 0) {
        throw new RepositoryException(name + ": revision " + rev + " has a negative length");
      }
    }
  }

  /** The file name this index was read from. */
  public String name() {
    return name;
  }

  /** Number of revisions. */
  public int count() {
    return count;
  }

  /** Whether data chunks follow their entries in the index file. */
  public boolean inline() {
    return inline;
  }

  /** Whether delta bases are arbitrary earlier revisions rather than the previous one. */
  public boolean generalDelta() {
    return generalDelta;
  }

  private int entry(int rev) {
    if (rev < 0 || rev >= count) {
      throw new IndexOutOfBoundsException(name + ": revision " + rev + " out of range");
    }
    return inline ? entryPositions[rev] : rev * ENTRY_SIZE;
  }

  /** Where the revision's chunk starts: in the data file, or (inline) in the index file. */
  public long chunkStart(int rev) {
    int e = entry(rev);
    if (inline) {
      return (long) e + ENTRY_SIZE;
    }
    // Revision 0's offset shares its bytes with the version header; it is always 0.
    return rev == 0 ? 0 : ((readLong(data, e) >>> 16) & 0xffffffffffffL);
  }

  /** Per-revision flags (censored, ellipsis, external storage...); 0 for ordinary revisions. */
  public int revisionFlags(int rev) {
    return (int) (readLong(data, entry(rev)) & 0xffff);
  }

  /** Length of the stored chunk. */
  public int compressedLength(int rev) {
    return readInt(data, entry(rev) + 8);
  }

  /** Length of the full text. */
  public int fullLength(int rev) {
    return readInt(data, entry(rev) + 12);
  }

  /** The delta base field: with generaldelta the delta parent, else the start of the chain. */
  public int base(int rev) {
    return readInt(data, entry(rev) + 16);
  }

  /**
   * The revision whose text the stored chunk of {@code rev} is a delta against
   * ({@code revlog.deltaparent}): -1 when the chunk is a full text, the base field with
   * generaldelta, else the previous revision.
   */
  public int deltaParent(int rev) {
    int base = base(rev);
    if (base == rev) {
      return Nodes.NULL_REV;
    }
    return generalDelta ? base : rev - 1;
  }

  /** The changelog revision this revision belongs to. */
  public int linkRev(int rev) {
    return readInt(data, entry(rev) + 20);
  }

  /** First parent revision, or -1. */
  public int p1(int rev) {
    return readInt(data, entry(rev) + 24);
  }

  /** Second parent revision, or -1. */
  public int p2(int rev) {
    return readInt(data, entry(rev) + 28);
  }

  /** The revision's node id. */
  public ByteString node(int rev) {
    return ByteString.copyOf(data, entry(rev) + 32, Nodes.LENGTH);
  }

  /** The node of {@code rev}, or the null node for -1. */
  public ByteString nodeOrNull(int rev) {
    return rev == Nodes.NULL_REV ? Nodes.NULL : node(rev);
  }

  /** The raw index bytes (for inline revlogs, the data too). */
  byte[] bytes() {
    return data;
  }

  /** The revision with this node, or -1 for the null node, or {@code null} if absent. */
  public Integer rev(ByteString node) {
    if (node.equals(Nodes.NULL)) {
      return Nodes.NULL_REV;
    }
    return nodeMap().get(node);
  }

  private Map<ByteString, Integer> nodeMap() {
    Map<ByteString, Integer> m = nodeMap;
    if (m == null) {
      synchronized (this) {
        m = nodeMap;
        if (m == null) {
          m = new HashMap<>(count * 2);
          for (int r = 0; r < count; r++) {
            m.put(node(r), r);
          }
          nodeMap = m;
        }
      }
    }
    return m;
  }

  static int readInt(byte[] d, int p) {
    return ((d[p] & 0xff) << 24) | ((d[p + 1] & 0xff) << 16) | ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
  }

  static long readLong(byte[] d, int p) {
    return ((long) readInt(d, p) << 32) | (readInt(d, p + 4) & 0xffffffffL);
  }
}
