package org.hgrpc.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body, bounded: fails with {@link BodyTooLargeException} once more than
 * {@code limit} bytes have been read, and with {@link BodyTooSlowException} when, after a grace
 * period, the average rate is below a minimum. The idle timeout alone cannot stop a client
 * trickling one byte a second, which would hold a request slot for as long as it likes.
 */
final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private final long graceNanos;
  private final long minBytesPerSecond;
  private final long start = System.nanoTime();
  private long count;

  LimitedInputStream(InputStream in, long limit, long graceMillis, long minBytesPerSecond) {
    super(in);
    this.limit = limit;
    this.graceNanos = graceMillis * 1_000_000;
    this.minBytesPerSecond = minBytesPerSecond;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws IOException {
    count += n;
    if (count > limit) {
      throw new BodyTooLargeException(limit);
    }
    long elapsed = System.nanoTime() - start;
    if (minBytesPerSecond > 0 && elapsed > graceNanos && count * 1_000_000_000.0 / elapsed < minBytesPerSecond) {
      throw new BodyTooSlowException("request body too slow: " + count + " bytes in " + elapsed / 1_000_000
          + " ms; the minimum is " + minBytesPerSecond + " bytes/s (hgrpc.min-body-rate)");
    }
  }
}
