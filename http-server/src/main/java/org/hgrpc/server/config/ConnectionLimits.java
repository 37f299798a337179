package org.hgrpc.server.config;

import java.util.Objects;

/**
 * How many connections the embedded server keeps open, from the {@code [hgrpc]} section:
 *
 * <pre>
 * [hgrpc]
 * max-connections = 1024        # open connections of the server's port, all peers together (0: no limit)
 * max-connections-per-ip = 256  # open connections from one remote address (0: no limit)
 * </pre>
 *
 * <p>These belong to the embedded server ({@code serve}), not to a repository: with {@code
 * --web-conf} they are read from the server's configuration (the web-conf file and {@code
 * --config}), not from each repository's {@code .hg/hgrc}. A servlet container (the WAR) has
 * its own connector settings. The metrics port ({@code --metrics-port}) is not limited, so that
 * a full server can still be watched.
 *
 * <p>An open connection costs a file descriptor, a socket buffer and a few kilobytes of Jetty
 * state, but no thread while it is idle: the read and push slots ({@code
 * hgrpc.max-concurrent-requests}, {@code hgrpc.max-concurrent-pushes}) bound the work, these
 * bound the connections that wait for it, including idle keep-alive ones and slow uploads.
 *
 * @param maxConnections {@code hgrpc.max-connections}: most connections open at once on the
 *     server's port; when reached, the server stops accepting (new connections wait in the
 *     kernel's backlog, then time out) until one closes. 0 sets no limit. The default, {@value
 *     #DEFAULT_MAX_CONNECTIONS}, is far above what normal use needs (a Mercurial client uses one
 *     or a few connections; the slots allow {@code 64 + 4} requests at once) and leaves room for
 *     hundreds of idle keep-alive connections and slow uploads, while their memory (a few
 *     megabytes) stays small beside a 256 MiB heap. Each connection is a file descriptor: the
 *     process's open-file limit ({@code ulimit -n}; the JVM raises its soft limit to the hard
 *     one) must stay above this, with room for the repository's files
 * @param maxConnectionsPerIp {@code hgrpc.max-connections-per-ip}: most connections open at once
 *     from one remote address; one more is closed as soon as it is accepted, before a byte of it
 *     is read. 0 sets no limit. The default, {@value #DEFAULT_MAX_CONNECTIONS_PER_IP}, is a
 *     quarter of the default total, so one peer alone cannot fill the server, while many users
 *     behind one NAT address, or a reverse proxy or load balancer (all its connections come from
 *     its address), still get several times the {@code 64 + 4} requests the server runs at once.
 *     Behind a proxy, raise it to {@code max-connections} or set it to 0 and let the proxy limit
 *     its clients
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerIp) {

  /** Default of {@code hgrpc.max-connections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  /** Default of {@code hgrpc.max-connections-per-ip}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

  /** The defaults: {@value #DEFAULT_MAX_CONNECTIONS} connections, {@value #DEFAULT_MAX_CONNECTIONS_PER_IP} per address. */
  public static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP);

  /** No limits at all. */
  public static final ConnectionLimits NONE = new ConnectionLimits(0, 0);

  /**
   * Checks the bounds.
   *
   * @param maxConnections most open connections, at least 0 (0: no limit)
   * @param maxConnectionsPerIp most open connections per remote address, at least 0 (0: no limit)
   * @throws ConfigException naming the setting when a value is negative
   */
  public ConnectionLimits {
    if (maxConnections < 0) {
      throw new ConfigException("hgrpc.max-connections is out of range ('" + maxConnections
          + "'): must be between 0 and " + Integer.MAX_VALUE);
    }
    if (maxConnectionsPerIp < 0) {
      throw new ConfigException("hgrpc.max-connections-per-ip is out of range ('" + maxConnectionsPerIp
          + "'): must be between 0 and " + Integer.MAX_VALUE);
    }
  }

  /**
   * The limits of {@code config}: {@code hgrpc.max-connections} and {@code
   * hgrpc.max-connections-per-ip}, integers from 0 (no limit) to 2147483647.
   *
   * @param config the server's configuration
   * @return the limits
   * @throws ConfigException naming the setting and its value, e.g. {@code
   *     hgrpc.max-connections-per-ip is not a valid integer ('many')}
   */
  public static ConnectionLimits from(HgrcConfig config) {
    Objects.requireNonNull(config, "config");
    return new ConnectionLimits(
        ServerSettings.integer(config, "max-connections", DEFAULT_MAX_CONNECTIONS, 0, Integer.MAX_VALUE),
        ServerSettings.integer(config, "max-connections-per-ip", DEFAULT_MAX_CONNECTIONS_PER_IP, 0, Integer.MAX_VALUE));
  }

  /** A line for the start-up report, e.g. {@code connections: at most 1024, 256 per client address}. */
  public String describe() {
    return "connections: " + (maxConnections == 0 ? "no limit" : "at most " + maxConnections)
        + (maxConnectionsPerIp == 0 ? ", no limit per client address" : ", " + maxConnectionsPerIp
            + " per client address")
        + " (hgrpc.max-connections, hgrpc.max-connections-per-ip)";
  }
}
