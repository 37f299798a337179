package org.hgrpc.server.ops;

import org.hgrpc.server.config.ConfigException;
import org.hgrpc.server.config.HgrcConfig;

/**
 * The operating settings of the embedded server, from the {@code [hgrpc]} section:
 *
 * <pre>
 * [hgrpc]
 * metrics = false           # serve Prometheus metrics at /metrics
 * metrics.port =            # on a port of their own (0: any free port); empty: on the server's port
 * metrics.address = 127.0.0.1   # the address of that port
 * log-format = text         # or json: the access and error logs as one JSON object per line
 * http2 = true              # HTTP/2 beside HTTP/1.1 (h2c, and h2 by ALPN over TLS)
 * </pre>
 *
 * @param metrics whether metrics are collected and served
 * @param metricsAddress the address of the metrics port
 * @param metricsPort the metrics port (0: any free one), or -1 to serve {@code /metrics} on the
 *     server's own port
 * @param logFormat the format of the access and error logs
 * @param http2 whether the server speaks HTTP/2 too
 */
public record OpsSettings(boolean metrics, String metricsAddress, int metricsPort, LogFormat logFormat, boolean http2) {

  /** Metrics off, text logs, HTTP/2 on. */
  public static final OpsSettings DEFAULTS = new OpsSettings(false, "127.0.0.1", -1, LogFormat.TEXT, true);

  /** Checks the port range. */
  public OpsSettings {
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("metrics port out of range: " + metricsPort);
    }
  }

  /**
   * The settings of {@code config}.
   *
   * @throws ConfigException naming the setting when a value is malformed
   */
  public static OpsSettings from(HgrcConfig config) {
    boolean metrics = config.getBool("hgrpc", "metrics", false);
    String address = config.get("hgrpc", "metrics.address").map(String::strip).orElse(DEFAULTS.metricsAddress());
    int port = -1;
    String portText = config.get("hgrpc", "metrics.port").map(String::strip).orElse("");
    if (!portText.isEmpty()) {
      port = config.getInt("hgrpc", "metrics.port", -1);
      if (port < 0 || port > 65535) {
        throw new ConfigException("hgrpc.metrics.port is out of range ('" + portText + "'): must be between 0 and 65535");
      }
    }
    String formatText = config.get("hgrpc", "log-format").orElse("text");
    LogFormat format;
    try {
      format = LogFormat.parse(formatText);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("hgrpc.log-format is not text or json ('" + formatText + "')");
    }
    return new OpsSettings(metrics, address, port, format, config.getBool("hgrpc", "http2", true));
  }
}
