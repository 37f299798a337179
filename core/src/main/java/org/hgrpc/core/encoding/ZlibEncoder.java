package org.hgrpc.core.encoding;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import org.hgrpc.core.ByteString;

/**
 * The {@code zlib} encoder, byte-identical to the reference's {@code zlib.compressobj()}
 * (level 6, zlib wrapper, memLevel 8, default strategy) on a classic zlib: one
 * {@link Deflater} for the stream's life, never reset; {@link #encode} is
 * {@code compress(data)} (Z_NO_FLUSH) and {@link #flush} is {@code flush(Z_SYNC_FLUSH)}, whose
 * output ends {@code 00 00 ff ff}. Z_FINISH is never used: the stream continues across
 * responses.
 */
final class ZlibEncoder implements ContentEncoder {
  static final String NAME = "zlib";
  /** CPython's first output block for a flush; a flush's output is at most one partial block. */
  private static final int FLUSH_BUFFER = 64 * 1024;
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
  private final byte[] buffer = new byte[16 * 1024];

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ByteString encode(ByteString data) {
    if (data.isEmpty()) {
      return ByteString.EMPTY;
    }
    deflater.setInput(data.asByteBuffer());
    ByteArrayOutputStream out = null;
    while (true) {
      int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
      if (n > 0) {
        if (out == null) {
          out = new ByteArrayOutputStream(n);
        }
        out.write(buffer, 0, n);
      }
      if (n < buffer.length && deflater.needsInput()) {
        break;
      }
    }
    return out == null ? ByteString.EMPTY : ByteString.wrap(out.toByteArray());
  }

  @Override
  public ByteString flush() {
    // One SYNC_FLUSH call with room for the whole flush: repeating the call after it completed
    // would add a second empty stored block, which the reference never sends.
    byte[] big = new byte[FLUSH_BUFFER];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n;
    do {
      n = deflater.deflate(big, 0, big.length, Deflater.SYNC_FLUSH);
      out.write(big, 0, n);
    } while (n == big.length);
    return ByteString.wrap(out.toByteArray());
  }
}
