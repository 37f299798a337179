package org.hgrpc.repository.revlog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.hgrpc.core.ByteString;

/** Writes small revlogs in memory for tests: full texts or deltas, inline or split. */
public final class RevlogBuilder {
  private final boolean inline;
  private final boolean generalDelta;
  private final List<byte[]> entries = new ArrayList<>();
  private final List<byte[]> chunks = new ArrayList<>();
  private final List<ByteString> nodes = new ArrayList<>();

  /** A builder of an inline or split, generaldelta or not, revlog. */
  public RevlogBuilder(boolean inline, boolean generalDelta) {
    this.inline = inline;
    this.generalDelta = generalDelta;
  }

  /** Adds a revision stored as {@code chunk} with {@code text} as its full text. */
  public RevlogBuilder add(byte[] text, byte[] chunk, int base, int p1, int p2) {
    int rev = entries.size();
    ByteString node = Nodes.hash(p1 < 0 ? Nodes.NULL : nodes.get(p1), p2 < 0 ? Nodes.NULL : nodes.get(p2), text);
    long offset = 0;
    for (byte[] c : chunks) {
      offset += c.length;
    }
    ByteBuffer e = ByteBuffer.allocate(64);
    e.putLong(offset << 16);
    e.putInt(chunk.length).putInt(text.length).putInt(base == -2 ? rev : base).putInt(rev).putInt(p1).putInt(p2);
    e.put(node.toByteArray());
    if (rev == 0) {
      e.putInt(0, 1 | (inline ? 1 << 16 : 0) | (generalDelta ? 1 << 17 : 0));
    }
    entries.add(e.array());
    chunks.add(chunk);
    nodes.add(node);
    return this;
  }

  /** Adds a full text stored uncompressed ({@code u}). */
  public RevlogBuilder full(String text, int p1) {
    byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] chunk = new byte[t.length + 1];
    chunk[0] = 'u';
    System.arraycopy(t, 0, chunk, 1, t.length);
    return add(t, chunk, -2, p1, -1);
  }

  /** The node of {@code rev}. */
  public ByteString node(int rev) {
    return nodes.get(rev);
  }

  /** The index file (with data, if inline). */
  public byte[] index() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < entries.size(); i++) {
      out.writeBytes(entries.get(i));
      if (inline) {
        out.writeBytes(chunks.get(i));
      }
    }
    return out.toByteArray();
  }

  /** The data file (empty if inline). */
  public byte[] data() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!inline) {
      chunks.forEach(out::writeBytes);
    }
    return out.toByteArray();
  }

  /** An mpatch delta replacing {@code base[start:end]} with {@code data}. */
  public static byte[] delta(int start, int end, String data) {
    byte[] d = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + d.length).putInt(start).putInt(end).putInt(d.length).put(d).array();
  }
}
