package org.hgrpc.server;

import java.util.function.LongSupplier;

/**
 * At most one log line per interval about a recurring event (a refused connection, the
 * connection limit reached), with the number of occurrences left unreported since the last
 * line: a flood of events must not flood the log, nor hide how big it was. Thread-safe.
 */
final class LogThrottle {
  /** The interval of the connection limits' lines: 10 s. */
  static final long INTERVAL_NANOS = 10_000_000_000L;

  private final long intervalNanos;
  private final LongSupplier clock;
  private long lastReport;
  private boolean reported;
  private long unreported;

  /**
   * @param intervalNanos shortest time between two lines, in nanoseconds
   * @param clock the time in nanoseconds ({@code System::nanoTime})
   */
  LogThrottle(long intervalNanos, LongSupplier clock) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /**
   * Counts one occurrence.
   *
   * @return -1 when it is not to be logged (one was logged less than an interval ago);
   *     otherwise the occurrences not logged since the last line, which this one is to report
   */
  synchronized long occurred() {
    long now = clock.getAsLong();
    if (reported && now - lastReport < intervalNanos) {
      unreported++;
      return -1;
    }
    long others = unreported;
    unreported = 0;
    reported = true;
    lastReport = now;
    return others;
  }

  /** The interval in whole seconds, for the log line. */
  long intervalSeconds() {
    return intervalNanos / 1_000_000_000L;
  }
}
