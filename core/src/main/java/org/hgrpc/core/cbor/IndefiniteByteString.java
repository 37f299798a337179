package org.hgrpc.core.cbor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A value to encode as an indefinite-length CBOR byte string: the begin marker {@code 0x5f},
 * one definite byte string per chunk, then the break byte {@code 0xff}.
 *
 * <p>Commands use it to send large data without holding it: the chunks are pulled one at a
 * time while the response frames are written. It is single-use when made from an iterator or
 * an input stream.
 */
public final class IndefiniteByteString {

  /** The chunk size of cborutil's {@code streamencodeindefinitebytestring}. */
  public static final int DEFAULT_CHUNK_SIZE = 65536;

  private final Iterator<ByteString> chunks;

  private IndefiniteByteString(Iterator<ByteString> chunks) {
    this.chunks = chunks;
  }

  /**
   * {@code source} split into chunks of {@code chunkSize} bytes, as cborutil's
   * {@code streamencodeindefinitebytestring}: always at least one chunk, empty for empty input.
   */
  public static IndefiniteByteString split(ByteString source, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive");
    }
    return new IndefiniteByteString(new Iterator<>() {
      private int offset;
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public ByteString next() {
        if (done) {
          throw new NoSuchElementException();
        }
        int end = Math.min(source.size(), offset + chunkSize);
        ByteString chunk = source.substring(offset, end);
        offset = end;
        done = offset >= source.size();
        return chunk;
      }
    });
  }

  /** The given chunks, as cborutil's {@code streamencodebytestringfromiter}. */
  public static IndefiniteByteString fromChunks(Iterator<ByteString> chunks) {
    return new IndefiniteByteString(Objects.requireNonNull(chunks, "chunks"));
  }

  /**
   * The bytes of {@code in}, read {@code chunkSize} at a time while encoding, until its end.
   * The stream is closed at its end. An {@link IOException} while reading surfaces as an
   * {@link UncheckedIOException} from the encoder, which the server reactor turns into an error
   * frame.
   */
  public static IndefiniteByteString fromInputStream(InputStream in, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive");
    }
    return new IndefiniteByteString(new Iterator<>() {
      private ByteString pending;
      private boolean eof;

      @Override
      public boolean hasNext() {
        if (pending == null && !eof) {
          try {
            byte[] b = in.readNBytes(chunkSize);
            if (b.length == 0) {
              eof = true;
              in.close();
            } else {
              pending = ByteString.wrap(b);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return pending != null;
      }

      @Override
      public ByteString next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ByteString b = pending;
        pending = null;
        return b;
      }
    });
  }

  Iterator<ByteString> chunks() {
    return chunks;
  }
}
