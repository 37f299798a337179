package org.hgrpc.repository.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;

/**
 * A file of the store as a stream clone sends it: its store-relative name, its size when
 * listed, and its bytes read in pieces.
 *
 * @param name the name relative to the store ({@code 00changelog.i}, ...)
 * @param file the file on disk
 * @param size the size when the store was listed; exactly this many bytes are sent
 */
public record StoreFile(String name, Path file, long size) {
  /** The piece size of Mercurial's {@code util.filechunkiter}. */
  public static final int PIECE_SIZE = 131072;

  /**
   * The first {@link #size} bytes of the file in pieces of at most {@link #PIECE_SIZE}; the
   * file is opened on the first piece and closed after the last. Revlogs only grow between
   * strips, so the listed size is a consistent prefix.
   *
   * @throws RepositoryException from {@code next()} if the file is now shorter than listed
   */
  public Iterator<ByteString> pieces() {
    return new Iterator<>() {
      private InputStream in;
      private long left = size;

      @Override
      public boolean hasNext() {
        if (left > 0) {
          return true;
        }
        closeQuietly();
        return false;
      }

      @Override
      public ByteString next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          if (in == null) {
            in = Files.newInputStream(file);
          }
          byte[] piece = in.readNBytes((int) Math.min(PIECE_SIZE, left));
          if (piece.length == 0) {
            closeQuietly();
            throw new RepositoryException(name + " is shorter than the " + size + " bytes listed: it was truncated");
          }
          left -= piece.length;
          return ByteString.wrap(piece);
        } catch (IOException e) {
          closeQuietly();
          throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }

      private void closeQuietly() {
        if (in != null) {
          try {
            in.close();
          } catch (IOException e) {
            // Read-only: nothing to lose.
          }
          in = null;
        }
      }
    };
  }
}
