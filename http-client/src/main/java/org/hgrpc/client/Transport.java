package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.hgrpc.core.Limits;

/**
 * The settings and shared machinery of one {@link HgrpcClient}, handed to each exchange.
 *
 * @param http the JDK client sending the requests
 * @param requestTimeout longest wait for the response headers
 * @param idleTimeout longest pause in a response body, and longest wait of a consumer for data
 * @param authorization the {@code Authorization} header value, or {@code null}
 * @param timer runs the idle timeouts
 * @param executor completes futures and drives publishers, so callers' code never runs on
 *     the HTTP client's threads or under our locks
 * @param progress told about body bytes received, or {@code null}
 * @param limits bounds on what the server may make us hold
 * @param bufferBytes how much decoded but unconsumed data an exchange holds before it stops
 *     reading the body
 */
record Transport(HttpClient http, Duration requestTimeout, Duration idleTimeout, String authorization,
    ScheduledExecutorService timer, ExecutorService executor, ProgressListener progress, Limits limits,
    long bufferBytes) {

  /**
   * Runs {@code completion} on the executor; once the client is closed (the executor shut
   * down), on the calling thread, so that a late outcome is still delivered.
   */
  void complete(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      completion.run();
    }
  }

  /** A request to {@code uri} with the request timeout and credentials set. */
  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }
}
