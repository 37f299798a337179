package org.hgrpc.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.SelectorManager;
import org.hgrpc.server.ops.ErrorLog;

/**
 * Most connections open at once from one remote address ({@code hgrpc.max-connections-per-ip}):
 * Jetty 12 limits the total ({@link org.eclipse.jetty.server.NetworkConnectionLimit}) but has no
 * such limit per peer. Added to a connector as a bean, it hears of every accepted channel before
 * Jetty reads from it; a channel over its address's limit is closed at once, so an address that
 * floods the server with idle or slow connections cannot take the room of everyone else.
 *
 * <p>Each admitted channel is remembered until Jetty reports it closed (or its accept failed),
 * and counted out exactly once even if Jetty reports both; an address's entry is removed when
 * its count drops to zero, so the table holds only addresses with open connections.
 *
 * <p>Refusals are logged to the error log through a {@link LogThrottle}: at most one line per
 * 10 s, with the number refused since the last line.
 */
final class AddressConnectionLimit implements SelectorManager.AcceptListener {
  private final int max;
  private final ErrorLog log;
  private final LogThrottle reports;
  /** Open connections per remote address; no entry at zero. */
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  /** The address of each admitted channel, until it is counted out. */
  private final Map<SelectableChannel, InetAddress> admitted = new ConcurrentHashMap<>();

  /**
   * @param max most connections per remote address, at least 1
   * @param log where refusals are reported
   */
  AddressConnectionLimit(int max, ErrorLog log) {
    this(max, log, new LogThrottle(LogThrottle.INTERVAL_NANOS, System::nanoTime));
  }

  AddressConnectionLimit(int max, ErrorLog log, LogThrottle reports) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.log = log;
    this.reports = reports;
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress address = remoteAddress(channel);
    if (address == null) {
      return; // not an IP connection (or already gone): nothing to count it against
    }
    boolean[] within = {false};
    open.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      if (count >= max) {
        return n;
      }
      within[0] = true;
      return count + 1;
    });
    if (within[0]) {
      admitted.put(channel, address);
      return;
    }
    try {
      channel.close(); // Jetty then fails the accept (onAcceptFailed), which counts nothing out
    } catch (IOException e) {
      // closing a socket we refuse: nothing more to do
    }
    refused(address);
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    countOut(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    countOut(channel);
  }

  /** Open connections from {@code address}. */
  int connections(InetAddress address) {
    return open.getOrDefault(address, 0);
  }

  /** How many addresses have connections open (the size of the table). */
  int addresses() {
    return open.size();
  }

  private void countOut(SelectableChannel channel) {
    InetAddress address = admitted.remove(channel);
    if (address != null) {
      open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  private void refused(InetAddress address) {
    long others = reports.occurred();
    if (others < 0) {
      return;
    }
    log.event("refused a connection from " + address.getHostAddress() + ": " + max
        + " connections from that address are open (hgrpc.max-connections-per-ip)"
        + (others > 0 ? "; " + others + " more refused since the last report" : "")
        + "; refusals are reported at most every " + reports.intervalSeconds() + " s");
  }

  private static InetAddress remoteAddress(SelectableChannel channel) {
    if (!(channel instanceof java.nio.channels.SocketChannel socket)) {
      return null;
    }
    try {
      SocketAddress remote = socket.getRemoteAddress();
      return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    } catch (IOException e) {
      return null; // closed already; Jetty will fail the accept
    }
  }
}
