package org.hgrpc.server.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operating endpoints in front of the repositories:
 *
 * <ul>
 *   <li>{@code GET /healthz}: {@code 200 ok} while the server runs (Docker's HEALTHCHECK asks
 *       it); on every port, whatever the prefix and the permissions, and cheap: it touches no
 *       repository;
 *   <li>{@code GET /metrics}: Prometheus's text format, when metrics are on: on the metrics
 *       connector when there is one (which serves nothing else), else on the server's port.
 * </ul>
 */
public final class OpsHandler extends Handler.Wrapper {
  /** The health endpoint's path. */
  public static final String HEALTH_PATH = "/healthz";
  /** The metrics endpoint's path. */
  public static final String METRICS_PATH = "/metrics";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry prometheus;
  private final Connector metricsConnector;

  /**
   * @param next the repositories' handler
   * @param prometheus the metrics to serve, or null when metrics are off
   * @param metricsConnector the connector that serves only the metrics, or null to serve them
   *     on every connector
   */
  public OpsHandler(Handler next, PrometheusMeterRegistry prometheus, Connector metricsConnector) {
    super(next);
    this.prometheus = prometheus;
    this.metricsConnector = metricsConnector;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    boolean read = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
    boolean onMetricsPort = metricsConnector != null
        && request.getConnectionMetaData().getConnector() == metricsConnector;
    if (read && path.equals(HEALTH_PATH)) {
      answer(request, response, callback, 200, "text/plain; charset=utf-8", "ok\n");
      return true;
    }
    if (read && path.equals(METRICS_PATH) && prometheus != null && (metricsConnector == null || onMetricsPort)) {
      answer(request, response, callback, 200, PROMETHEUS_TEXT, prometheus.scrape());
      return true;
    }
    if (onMetricsPort) {
      answer(request, response, callback, 404, "text/plain; charset=utf-8",
          "this port serves " + METRICS_PATH + " and " + HEALTH_PATH + " only\n");
      return true;
    }
    return super.handle(request, response, callback);
  }

  private static void answer(Request request, Response response, Callback callback, int status, String type,
      String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes),
        callback);
  }
}
