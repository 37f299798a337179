package org.hgrpc.client;

import java.io.InputStream;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * {@link CommandResult#bytes()}: the byte strings of a response as one stream, read as the
 * frames arrive. Holds one value (or one chunk of an indefinite byte string) at a time.
 */
final class ResultInputStream extends InputStream {
  private final CommandResult result;
  private ByteString current = ByteString.EMPTY;
  private int pos;
  private boolean eof;

  ResultInputStream(CommandResult result) {
    this.result = result;
  }

  @Override
  public int read() {
    if (!fill()) {
      return -1;
    }
    return current.byteAt(pos++);
  }

  @Override
  public int read(byte[] b, int off, int len) {
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
  public int available() {
    return current.size() - pos;
  }

  @Override
  public void close() {
    result.close();
  }

  /** Makes bytes available; false at the end. */
  private boolean fill() {
    while (pos == current.size()) {
      if (eof) {
        return false;
      }
      ByteString next = result.takeBytes();
      if (next == null) {
        eof = true;
        return false;
      }
      current = next;
      pos = 0;
    }
    return true;
  }
}
