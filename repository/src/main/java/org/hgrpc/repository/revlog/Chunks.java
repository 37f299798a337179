package org.hgrpc.repository.revlog;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.hgrpc.repository.RepositoryException;

/**
 * Decompression of revlog chunks, chosen by the chunk's first byte as Mercurial does:
 * {@code x} zlib, {@code u} stored (the marker is dropped), {@code \0} stored as is, and the
 * zstd frame magic {@code 28 b5 2f fd}. An empty chunk is an empty text.
 */
public final class Chunks {
  private Chunks() {}

  /**
   * The decompressed chunk.
   *
   * @param limit the most bytes the result may have; a chunk inflating beyond it is corrupt
   *     (this bounds memory for a malicious or damaged file)
   * @param what names the revision, for error messages
   */
  public static byte[] decompress(byte[] chunk, long limit, String what) {
    if (chunk.length == 0) {
      return chunk;
    }
    int t = chunk[0] & 0xff;
    switch (t) {
      case 'x':
        return inflate(chunk, limit, what);
      case 0:
        return chunk;
      case 'u':
        return Arrays.copyOfRange(chunk, 1, chunk.length);
      case 0x28:
        if (chunk.length >= 4 && (chunk[1] & 0xff) == 0xb5 && (chunk[2] & 0xff) == 0x2f && (chunk[3] & 0xff) == 0xfd) {
          return unzstd(chunk, limit, what);
        }
        break;
      default:
        break;
    }
    throw new RepositoryException(String.format("unknown compression type 0x%02x in %s", t, what));
  }

  private static byte[] inflate(byte[] chunk, long limit, String what) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(chunk);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, chunk.length * 3));
      byte[] buf = new byte[64 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new RepositoryException("corrupt zlib data in " + what + ": truncated stream");
        }
        out.write(buf, 0, n);
        if (out.size() > limit) {
          throw new RepositoryException("corrupt zlib data in " + what + ": inflates beyond " + limit + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new RepositoryException("corrupt zlib data in " + what + ": " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static byte[] unzstd(byte[] chunk, long limit, String what) {
    try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(chunk))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, chunk.length * 3));
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
        if (out.size() > limit) {
          throw new RepositoryException("corrupt zstd data in " + what + ": decompresses beyond " + limit + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new RepositoryException("corrupt zstd data in " + what + ": " + e.getMessage(), e);
    }
  }
}
