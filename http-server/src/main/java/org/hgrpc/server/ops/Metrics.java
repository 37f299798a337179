package org.hgrpc.server.ops;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.jetty12.server.TimedHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;

/**
 * The metrics of one server: a Prometheus registry with the {@link RequestMetrics}, the JVM's
 * (memory, garbage collection, threads, classes, processor, uptime) and Jetty's (thread pool,
 * connections and bytes per connector, and {@code jetty_server_requests} through Micrometer's
 * Jetty 12 {@link TimedHandler}).
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestMetrics requests = new RequestMetrics(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /** A registry with the JVM's meters bound. */
  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The Prometheus registry (its {@code scrape()} is the {@code /metrics} body). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The request meters, for {@link RequestObserver}. */
  public RequestMetrics requests() {
    return requests;
  }

  /**
   * Binds Jetty's meters: call once the server's connectors are added. Returns {@code handler}
   * wrapped in the handler that times every request Jetty serves.
   */
  public Handler bindJetty(Server server, Handler handler) {
    new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
    JettyConnectionMetrics.addToAllConnectors(server, registry);
    TimedHandler timed = new TimedHandler(registry, Tags.empty());
    timed.setHandler(handler);
    return timed;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
