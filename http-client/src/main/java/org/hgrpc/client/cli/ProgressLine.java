package org.hgrpc.client.cli;

import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.hgrpc.client.ProgressListener;

/**
 * The progress line of long downloads on standard error: {@code received 12.5 MiB (3.1 MiB/s)},
 * rewritten in place with a carriage return. It appears only when standard error is a
 * terminal, and only once a download has taken longer than {@link #DELAY_NANOS}, so short
 * calls and scripts see nothing; it is redrawn at most every {@link #INTERVAL_NANOS}.
 */
final class ProgressLine implements ProgressListener {
  /** A download must last this long before the line appears. */
  static final long DELAY_NANOS = 1_000_000_000L;
  /** Least time between two redraws. */
  static final long INTERVAL_NANOS = 250_000_000L;

  private final PrintStream err;
  private final boolean enabled;
  private final LongSupplier clock;
  private long start = -1;
  private long lastDraw;
  private long bytes;
  private boolean drawn;

  /** A line on {@code err}, drawn only if {@code enabled}, timed by {@code clock} (nanoseconds). */
  ProgressLine(PrintStream err, boolean enabled, LongSupplier clock) {
    this.err = err;
    this.enabled = enabled;
    this.clock = clock;
  }

  @Override
  public synchronized void onProgress(URI uri, long bytesReceived) {
    if (!enabled) {
      return;
    }
    long now = clock.getAsLong();
    if (start < 0 || bytesReceived < bytes) {
      start = now; // a new exchange
    }
    bytes = bytesReceived;
    if (now - start < DELAY_NANOS || (drawn && now - lastDraw < INTERVAL_NANOS)) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double seconds = (now - start) / 1e9;
    err.print("\rreceived " + size(bytes) + " (" + size((long) (bytes / seconds)) + "/s)   ");
    err.flush();
  }

  /** Ends the line, if one was drawn, so later output starts on a fresh line. */
  synchronized void finish() {
    if (drawn) {
      err.println();
      drawn = false;
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
