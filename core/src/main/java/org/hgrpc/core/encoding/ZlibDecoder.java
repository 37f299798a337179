package org.hgrpc.core.encoding;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.hgrpc.core.ByteString;

/**
 * The {@code zlib} decoder ({@code zlib.decompressobj()}): one {@link Inflater} for the
 * stream's life. Output per payload is capped (a zlib bomb is an error, not an
 * {@link OutOfMemoryError}), and bytes after the end of the zlib stream are refused where the
 * reference silently dropped them.
 */
final class ZlibDecoder implements ContentDecoder {
  private final NativeContexts.Handle<Inflater> nativeState = NativeContexts.inflater(this);
  private final Inflater inflater = nativeState.context();
  private final long maxDecodedBytes;
  private final byte[] buffer = new byte[16 * 1024];
  private String failure;

  ZlibDecoder(long maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  @Override
  public String name() {
    return ZlibEncoder.NAME;
  }

  @Override
  public ByteString decode(ByteString data) throws ContentDecodingException {
    nativeState.ensureOpen(ZlibEncoder.NAME);
    if (failure != null) {
      throw new ContentDecodingException("zlib: decoder already failed: " + failure);
    }
    if (data.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (inflater.finished()) {
      throw fail("data after the end of the zlib stream: " + data.size() + " bytes");
    }
    inflater.setInput(data.asByteBuffer());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      while (true) {
        int n = inflater.inflate(buffer);
        if (n > 0) {
          if ((long) out.size() + n > maxDecodedBytes) {
            throw fail("decoded payload exceeds maximum size " + maxDecodedBytes + " bytes");
          }
          out.write(buffer, 0, n);
          continue;
        }
        if (inflater.needsDictionary()) {
          throw fail("stream needs a preset dictionary");
        }
        if (inflater.finished()) {
          if (inflater.getRemaining() > 0) {
            throw fail("data after the end of the zlib stream: " + inflater.getRemaining() + " bytes");
          }
          break;
        }
        if (inflater.needsInput()) {
          break;
        }
      }
    } catch (DataFormatException e) {
      throw fail("invalid data: " + e.getMessage());
    }
    return ByteString.wrap(out.toByteArray());
  }

  @Override
  public void close() {
    nativeState.release();
  }

  private ContentDecodingException fail(String message) {
    failure = message; // the inflater is reset when it is given back
    return new ContentDecodingException("zlib: " + message);
  }
}
