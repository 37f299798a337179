package org.hgrpc.core.encoding;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.hgrpc.core.ByteString;

/**
 * The {@code zstd-8mb} encoder, as the reference's {@code ZstdCompressor(level=3).compressobj()}:
 * one zstd frame for the stream's life, never ended; {@link #encode} is ZSTD_e_continue and
 * {@link #flush} ZSTD_e_flush (the end of a block, so the peer can decode everything sent).
 * Works through direct buffers of fixed size, so memory stays bounded whatever the chunk size.
 */
final class ZstdEncoder implements ContentEncoder {
  static final String NAME = "zstd-8mb";
  static final int LEVEL = 3;
  private final NativeContexts.Handle<NativeContexts.ZstdCompression> nativeContext =
      NativeContexts.zstdCompression(this);
  private final ZstdCompressCtx ctx = nativeContext.context().ctx;
  private final ByteBuffer in = nativeContext.context().in;
  private final ByteBuffer out = nativeContext.context().out;

  ZstdEncoder() {
    ctx.setLevel(LEVEL);
    ctx.setChecksum(false);
    ctx.setContentSize(false);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ByteString encode(ByteString data) {
    nativeContext.ensureOpen(NAME);
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    ByteBuffer src = data.asByteBuffer();
    while (src.hasRemaining()) {
      in.clear();
      int n = Math.min(in.remaining(), src.remaining());
      ByteBuffer slice = src.slice(src.position(), n);
      in.put(slice);
      src.position(src.position() + n);
      in.flip();
      while (in.hasRemaining()) {
        out.clear();
        ctx.compressDirectByteBufferStream(out, in, EndDirective.CONTINUE);
        drain(result);
      }
    }
    return ByteString.wrap(result.toByteArray());
  }

  @Override
  public ByteString flush() {
    nativeContext.ensureOpen(NAME);
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    in.clear().flip();
    boolean done;
    do {
      out.clear();
      done = ctx.compressDirectByteBufferStream(out, in, EndDirective.FLUSH);
      drain(result);
    } while (!done);
    return ByteString.wrap(result.toByteArray());
  }

  /** Whether the native context has been given back (for tests). */
  boolean nativeContextReleased() {
    return nativeContext.isReleased();
  }

  @Override
  public void close() {
    nativeContext.release();
  }

  private void drain(ByteArrayOutputStream result) {
    out.flip();
    byte[] b = new byte[out.remaining()];
    out.get(b);
    result.writeBytes(b);
  }
}
