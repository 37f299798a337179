/**
 * Operating the embedded server: the access log ({@link org.hgrpc.server.ops.AccessLog}), the
 * error log ({@link org.hgrpc.server.ops.ErrorLog}), request metrics in Prometheus's text format
 * ({@link org.hgrpc.server.ops.RequestMetrics}) and the health endpoint
 * ({@link org.hgrpc.server.ops.OpsHandler}), with their settings ({@link org.hgrpc.server.ops.OpsSettings}).
 *
 * <p>None of it touches the protocol: {@link org.hgrpc.server.ops.RequestObserver} is a servlet
 * filter around the hgrpc servlet that sees each request's URL, status and body bytes; the
 * servlet may say more through the request attributes of {@link org.hgrpc.server.ops.RequestAttributes}.
 */
package org.hgrpc.server.ops;
