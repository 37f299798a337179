package org.hgrpc.client;

import java.io.InputStream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;

/**
 * One file of a {@code rawstorefiledata} response: a revlog file of the store as it is on the
 * server's disk, for a stream clone. Its bytes are read from the response while the caller
 * reads {@link #data()}, a piece at a time, so files of any size pass in bounded memory.
 *
 * <p>Read the data before moving the {@link DataStream} on: {@link DataStream#next()} skips
 * what is left of this file, and its stream then ends. The bytes are checked against the
 * announced {@link #size()}: a file longer or shorter than announced fails the read with a
 * {@link ProtocolErrorException}.
 */
public final class RawStoreFile {
  private final String location;
  private final ByteString path;
  private final long size;
  private final Data data;

  RawStoreFile(String location, ByteString path, long size, DataReader reader) {
    this.location = location;
    this.path = path;
    this.size = size;
    this.data = new Data(reader);
  }

  /** Where the file lives: {@code store} (the repository's {@code .hg/store}). */
  public String location() {
    return location;
  }

  /** The file's path relative to its location, e.g. {@code 00changelog.i}. */
  public ByteString path() {
    return path;
  }

  /** Its size in bytes, as announced. */
  public long size() {
    return size;
  }

  /** Its bytes, read from the response as this stream is read; the same stream every call. */
  public InputStream data() {
    return data;
  }

  /** Reads what the caller left of the data, so the response can go on. */
  void skipRest() {
    data.skipRest();
  }

  @Override
  public String toString() {
    return "RawStoreFile[" + location + " " + path.utf8() + " " + size + " bytes]";
  }

  /**
   * The file's byte string (definite, or an indefinite one's chunks) as a stream. A failure
   * repeats on every later read.
   */
  private final class Data extends ByteStringsInputStream {
    private final DataReader reader;
    private long received;
    private boolean started;
    private boolean last;
    private RuntimeException failure;

    Data(DataReader reader) {
      this.reader = reader;
    }

    void skipRest() {
      drain();
    }

    @Override
    protected ByteString nextPiece() {
      if (failure != null) {
        throw failure;
      }
      try {
        return take();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }

    /** The next piece of the file's data, checked against the announced size; null after the last. */
    private ByteString take() {
      if (last) {
        return null;
      }
      String what = "file " + path.utf8();
      Object v = reader.next();
      if (v == null) {
        throw reader.error(what + ": the response ended after " + received + " of its " + size + " bytes");
      }
      ByteString piece;
      boolean lastPiece;
      if (!started && v instanceof ByteString b) {
        piece = b;
        lastPiece = true;
      } else if (v instanceof ByteStringChunk c && c.first() == !started) {
        piece = c.data();
        lastPiece = c.last();
      } else {
        throw reader.error(what + ": expected " + (started ? "the next piece of its data" : "its data (a byte "
            + "string of " + size + " bytes)") + ", got " + DataReader.describe(v));
      }
      started = true;
      received += piece.size();
      if (received > size || (lastPiece && received != size)) {
        throw reader.error(what + ": " + (received > size ? "more than" : "only " + received + " of")
            + " the announced " + size + " bytes");
      }
      last = lastPiece;
      return piece;
    }
  }
}
