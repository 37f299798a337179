package org.hgrpc.client;

import java.io.InputStream;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A sequence of byte strings read as one stream, each taken only when the reader has used up
 * the one before: a response's byte strings ({@link ResultInputStream}), a store file's pieces
 * ({@link RawStoreFile#data()}). Holds one piece at a time.
 */
abstract class ByteStringsInputStream extends InputStream {
  private ByteString current = ByteString.EMPTY;
  private int pos;
  private boolean ended;

  /** The next piece (possibly empty), or null at the end; not called again after that. */
  protected abstract ByteString nextPiece();

  @Override
  public final int read() {
    if (!fill()) {
      return -1;
    }
    return current.byteAt(pos++);
  }

  @Override
  public final int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.size() - pos);
    current.substring(pos, pos + n).copyTo(b, off);
    pos += n;
    return n;
  }

  @Override
  public final int available() {
    return current.size() - pos;
  }

  /** Reads to the end, keeping nothing. */
  final void drain() {
    while (fill()) {
      pos = current.size();
    }
  }

  /** Makes bytes available; false at the end. */
  private boolean fill() {
    while (pos == current.size()) {
      if (ended) {
        return false;
      }
      ByteString next = nextPiece();
      if (next == null) {
        ended = true;
        return false;
      }
      current = next;
      pos = 0;
    }
    return true;
  }
}
