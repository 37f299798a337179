package org.hgrpc.repository.revlog;

import org.hgrpc.repository.RepositoryException;

/**
 * Mercurial's binary deltas ({@code mpatch}): a sequence of fragments, each a big-endian
 * start, end and length followed by that many bytes, replacing {@code base[start:end]}.
 * Fragments must be in order and inside the base.
 */
public final class MPatch {
  private MPatch() {}

  /**
   * Applies {@code delta} to {@code base}.
   *
   * @param what names the revision, for error messages
   * @throws RepositoryException if the delta is malformed
   */
  public static byte[] apply(byte[] base, byte[] delta, String what) {
    // First pass: validate and size the result, so a malformed delta fails before allocating.
    long size = base.length;
    int pos = 0;
    int last = 0;
    while (pos < delta.length) {
      if (delta.length - pos < 12) {
        throw new RepositoryException("corrupt delta in " + what + ": truncated fragment header");
      }
      int start = readInt(delta, pos);
      int end = readInt(delta, pos + 4);
      int len = readInt(delta, pos + 8);
      if (start < last || end < start || end > base.length || len < 0 || len > delta.length - pos - 12) {
        throw new RepositoryException("corrupt delta in " + what + ": fragment " + start + ".." + end + " (+" + len
            + ") does not fit a text of " + base.length + " bytes");
      }
      size += len - (end - start);
      last = end;
      pos += 12 + len;
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new RepositoryException("corrupt delta in " + what + ": result too large");
    }
    byte[] out = new byte[(int) size];
    int o = 0;
    int b = 0;
    pos = 0;
    while (pos < delta.length) {
      int start = readInt(delta, pos);
      int end = readInt(delta, pos + 4);
      int len = readInt(delta, pos + 8);
      System.arraycopy(base, b, out, o, start - b);
      o += start - b;
      System.arraycopy(delta, pos + 12, out, o, len);
      o += len;
      b = end;
      pos += 12 + len;
    }
    System.arraycopy(base, b, out, o, base.length - b);
    return out;
  }

  private static int readInt(byte[] d, int p) {
    return ((d[p] & 0xff) << 24) | ((d[p + 1] & 0xff) << 16) | ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
  }
}
