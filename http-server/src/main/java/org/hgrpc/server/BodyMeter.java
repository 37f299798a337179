package org.hgrpc.server;

import java.util.function.LongSupplier;

/**
 * Watches a request body as it arrives: fails with {@link BodyTooLargeException} once more than
 * {@code limit} bytes have come, and with {@link BodyTooSlowException} when fewer than {@code
 * minBytesPerSecond} times the window's length arrived within the last window.
 *
 * <p>The rate is measured over a sliding window, not averaged since the start: with an average,
 * a client could send a burst and then trickle on that credit for hours. The window is cut into
 * {@value #BUCKETS} buckets; once the body has taken a whole window, every arrival checks the
 * bytes of the last window (the current, partial bucket and the {@value #BUCKETS} before it). A
 * body that stops altogether is the idle timeout's business. Not thread-safe.
 */
final class BodyMeter {
  static final int BUCKETS = 16;

  private final long limit;
  private final long minBytesPerSecond;
  private final long windowNanos;
  private final long bucketNanos;
  private final LongSupplier clock;
  private final long start;
  /** Bytes per bucket, indexed by bucket number modulo the ring's size. */
  private final long[] ring = new long[BUCKETS + 1];
  private long newestBucket;
  private long count;

  /**
   * A meter starting now.
   *
   * @param limit most bytes the body may have
   * @param windowMillis the rate's window (the server's idle timeout), at least 1 ms
   * @param minBytesPerSecond slowest rate over a window; 0 turns the check off
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  BodyMeter(long limit, long windowMillis, long minBytesPerSecond, LongSupplier clock) {
    if (windowMillis < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms: " + windowMillis);
    }
    this.limit = limit;
    this.minBytesPerSecond = minBytesPerSecond;
    this.windowNanos = windowMillis * 1_000_000;
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Bytes counted so far. */
  long count() {
    return count;
  }

  /** Counts {@code n} bytes that just arrived. */
  void count(int n) throws BodyTooLargeException, BodyTooSlowException {
    count += n;
    if (count > limit) {
      throw new BodyTooLargeException(limit);
    }
    long elapsed = clock.getAsLong() - start;
    long bucket = elapsed / bucketNanos;
    for (long b = Math.max(newestBucket + 1, bucket - BUCKETS); b <= bucket; b++) {
      ring[(int) (b % ring.length)] = 0;
    }
    newestBucket = Math.max(newestBucket, bucket);
    ring[(int) (bucket % ring.length)] += n;
    if (minBytesPerSecond > 0 && elapsed >= windowNanos + bucketNanos) {
      long recent = 0;
      for (long r : ring) {
        recent += r;
      }
      double needed = minBytesPerSecond * (windowNanos / 1e9);
      if (recent < needed) {
        throw new BodyTooSlowException("request body too slow: " + recent + " bytes in the last "
            + (windowNanos + bucketNanos) / 1_000_000 + " ms (" + count + " bytes in " + elapsed / 1_000_000
            + " ms in all); the minimum is " + minBytesPerSecond + " bytes/s (hgrpc.min-body-rate) over any "
            + windowNanos / 1_000_000 + " ms (hgrpc.idle-timeout)");
      }
    }
  }
}
