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
  /**
   * The output block sizes CPython's zlib module gives {@code flush()} one after the other
   * (its {@code _BlocksOutputBuffer}): 32 KiB first, a new block only when a call filled the
   * previous one. Calling again after a call that completed the flush exactly at the end of its
   * block adds a second empty sync block, as CPython does; any other repetition would add one
   * the reference never sends.
   */
  private static final int[] FLUSH_BLOCKS = {32 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
  private final NativeContexts.Handle<Deflater> nativeState = NativeContexts.deflater(this);
  private final Deflater deflater = nativeState.context();
  private final byte[] buffer = new byte[16 * 1024];

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ByteString encode(ByteString data) {
    nativeState.ensureOpen(NAME);
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
    nativeState.ensureOpen(NAME);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int block = 0;
    while (true) {
      byte[] b = new byte[FLUSH_BLOCKS[Math.min(block++, FLUSH_BLOCKS.length - 1)]];
      int n = deflater.deflate(b, 0, b.length, Deflater.SYNC_FLUSH);
      out.write(b, 0, n);
      if (n < b.length) {
        return ByteString.wrap(out.toByteArray());
      }
    }
  }

  @Override
  public void close() {
    nativeState.release();
  }
}
