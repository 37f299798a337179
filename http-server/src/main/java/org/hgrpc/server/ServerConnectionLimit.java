package org.hgrpc.server;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.hgrpc.server.ops.ErrorLog;

/**
 * Most connections open at once on the server's port ({@code hgrpc.max-connections}): Jetty's
 * own {@link NetworkConnectionLimit} (the successor of the deprecated {@code ConnectionLimit}),
 * which stops accepting at the limit (new connections wait in the kernel's backlog) and resumes
 * when one closes. This adds an error-log line when the limit is reached, so that a full server
 * says why new clients hang; through a {@link LogThrottle}, at most one per 10 s with the number
 * of times since the last line, since a server at its limit reaches it again with every
 * connection that replaces a closed one.
 */
final class ServerConnectionLimit extends NetworkConnectionLimit {
  private final int max;
  private final ErrorLog log;
  private final LogThrottle reports = new LogThrottle(LogThrottle.INTERVAL_NANOS, System::nanoTime);

  /**
   * @param max most open connections, at least 1
   * @param log where reaching the limit is reported
   * @param connector the connector limited (not the metrics one)
   */
  ServerConnectionLimit(int max, ErrorLog log, AbstractConnector connector) {
    super(max, connector);
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.log = log;
  }

  @Override
  protected void limit() {
    super.limit();
    long others = reports.occurred();
    if (others >= 0) {
      log.event("connection limit reached: " + max + " connections are open (hgrpc.max-connections);"
          + " new connections wait until one closes"
          + (others > 0 ? "; reached " + others + " more times since the last report" : ""));
    }
  }
}
