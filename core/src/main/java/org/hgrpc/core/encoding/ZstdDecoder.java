package org.hgrpc.core.encoding;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.hgrpc.core.ByteString;

/**
 * The {@code zstd-8mb} decoder, as the reference's
 * {@code ZstdDecompressor(max_window_size=8 MiB).decompressobj()}: one zstd frame per stream.
 * The frame header is checked before any data is decoded: a window (in a single-segment frame,
 * the content size) over 8 MiB is refused, so a peer cannot make us allocate a bigger one. Any
 * byte after the end of the frame is refused (the reference raised on later payloads and
 * dropped the rest of the one that ended it). Output per payload is capped.
 */
final class ZstdDecoder implements ContentDecoder {
  /** The largest window the {@code zstd-8mb} profile allows. */
  static final long MAX_WINDOW = 8L << 20;
  private static final int MAGIC = 0xFD2FB528;
  private static final int BUFFER = NativeContexts.ZSTD_BUFFER;
  private final long maxDecodedBytes;
  private final NativeContexts.Handle<NativeContexts.ZstdDecompression> nativeContext =
      NativeContexts.zstdDecompression(this);
  private final ZstdDecompressCtx ctx = nativeContext.context().ctx;
  private final ByteBuffer in = nativeContext.context().in;
  private final ByteBuffer out = nativeContext.context().out;
  /** The frame header's bytes until it is whole and checked. */
  private ByteArrayOutputStream header = new ByteArrayOutputStream();
  private boolean frameEnded;
  private String failure;

  ZstdDecoder(long maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  @Override
  public String name() {
    return ZstdEncoder.NAME;
  }

  @Override
  public ByteString decode(ByteString data) throws ContentDecodingException {
    nativeContext.ensureOpen(ZstdEncoder.NAME);
    if (failure != null) {
      throw new ContentDecodingException("zstd-8mb: decoder already failed: " + failure);
    }
    if (data.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (frameEnded) {
      throw fail("data after the end of the zstd frame: " + data.size() + " bytes");
    }
    ByteString input = data;
    if (header != null) {
      header.writeBytes(data.toByteArray());
      byte[] h = header.toByteArray();
      int size = checkHeader(h);
      if (size < 0) {
        return ByteString.EMPTY; // header incomplete: wait for more
      }
      header = null;
      input = ByteString.wrap(h);
    }
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    ByteBuffer src = input.asByteBuffer();
    try {
      while (src.hasRemaining()) {
        in.clear();
        int n = Math.min(in.remaining(), src.remaining());
        in.put(src.slice(src.position(), n));
        src.position(src.position() + n);
        in.flip();
        boolean more = true;
        while (more) {
          out.clear();
          boolean ended = ctx.decompressDirectByteBufferStream(out, in);
          out.flip();
          if ((long) result.size() + out.remaining() > maxDecodedBytes) {
            throw fail("decoded payload exceeds maximum size " + maxDecodedBytes + " bytes");
          }
          byte[] b = new byte[out.remaining()];
          out.get(b);
          result.writeBytes(b);
          if (ended) {
            frameEnded = true;
            if (in.hasRemaining() || src.hasRemaining()) {
              throw fail("data after the end of the zstd frame: " + (in.remaining() + src.remaining()) + " bytes");
            }
            return ByteString.wrap(result.toByteArray());
          }
          // Output filled the buffer: the decoder may hold more even with no input left.
          more = in.hasRemaining() || b.length == BUFFER;
        }
      }
    } catch (ZstdException e) {
      throw fail("invalid data: " + e.getMessage());
    }
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

  /**
   * Checks a frame header (RFC 8878 3.1.1.1): the size of the header when {@code h} holds it
   * whole, -1 when more bytes are needed.
   */
  private int checkHeader(byte[] h) throws ContentDecodingException {
    if (h.length < 5) {
      return -1;
    }
    int magic = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24;
    if (magic != MAGIC) {
      throw fail(String.format("not a zstd frame: magic number 0x%08x", magic));
    }
    int descriptor = h[4] & 0xff;
    int fcsFlag = descriptor >> 6;
    boolean singleSegment = (descriptor & 0x20) != 0;
    int dictIdFlag = descriptor & 0x03;
    int dictIdSize = dictIdFlag == 3 ? 4 : dictIdFlag;
    int fcsSize = fcsFlag == 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
    int size = 5 + (singleSegment ? 0 : 1) + dictIdSize + fcsSize;
    if (h.length < size) {
      return -1;
    }
    long window;
    if (singleSegment) {
      int p = 5 + dictIdSize;
      long fcs = 0;
      for (int i = 0; i < fcsSize; i++) {
        fcs |= (long) (h[p + i] & 0xff) << (8 * i);
      }
      window = fcsSize == 2 ? fcs + 256 : fcs;
      if (fcsSize == 8 && window < 0) {
        window = Long.MAX_VALUE;
      }
    } else {
      int wd = h[5] & 0xff;
      int exponent = wd >> 3;
      int mantissa = wd & 7;
      long base = 1L << (10 + exponent);
      window = base + (base / 8) * mantissa;
    }
    if (window > MAX_WINDOW) {
      throw fail("frame window " + window + " bytes exceeds the maximum " + MAX_WINDOW);
    }
    return size;
  }

  private ContentDecodingException fail(String message) {
    failure = message;
    return new ContentDecodingException("zstd-8mb: " + message);
  }
}
