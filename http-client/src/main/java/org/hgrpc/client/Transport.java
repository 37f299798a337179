package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery one {@link HgrpcClient} shares among its exchanges: the JDK client that sends
 * the requests, the timer of the idle timeouts, and the executor that runs callers' code (so
 * that it never runs on the HTTP client's threads or under our locks); and the settings they
 * work with.
 */
final class Transport {
  private final HttpClient http;
  private final ClientSettings settings;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService executor;

  /** Starts the timer and executor threads (daemons), for {@code http}. */
  Transport(HttpClient http, ClientSettings settings) {
    this.http = http;
    this.settings = settings;
    this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("hgrpc-client-timer"));
    // Timers are armed and cancelled for every batch of body bytes: drop cancelled ones at once.
    timer.setRemoveOnCancelPolicy(true);
    this.executor = java.util.concurrent.Executors.newCachedThreadPool(daemonThreads("hgrpc-client"));
  }

  HttpClient http() {
    return http;
  }

  ClientSettings settings() {
    return settings;
  }

  /** Runs the idle timeouts; refuses new tasks once the client is closed. */
  ScheduledExecutorService timer() {
    return timer;
  }

  /** Completes futures and drives publishers. */
  ExecutorService executor() {
    return executor;
  }

  /**
   * Runs {@code completion} on the executor; once the client is closed (the executor shut
   * down), on the calling thread, so that a late outcome is still delivered.
   */
  void complete(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  /** A request to {@code uri} with the request timeout and credentials set. */
  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout());
    if (settings.authorization() != null) {
      b.header("Authorization", settings.authorization());
    }
    return b;
  }

  /** Stops the threads: running exchanges see their timer refused and end as cancelled. */
  void shutdown() {
    timer.shutdownNow();
    executor.shutdown();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
