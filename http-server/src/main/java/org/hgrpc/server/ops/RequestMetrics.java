package org.hgrpc.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.hgrpc.core.encoding.ContentEncodings;

/**
 * The request meters, as Prometheus shows them:
 *
 * <ul>
 *   <li>{@code hgrpc_requests_total{api,command,outcome,status}}: requests served;
 *   <li>{@code hgrpc_request_duration_seconds{api,command,outcome}}: latency, a histogram
 *       ({@code _bucket}, {@code _sum}, {@code _count});
 *   <li>{@code hgrpc_request_body_bytes{api,command}} and {@code hgrpc_response_body_bytes{api,command}}:
 *       bytes in and out, summaries;
 *   <li>{@code hgrpc_requests_in_flight}: requests being served now;
 *   <li>{@code hgrpc_zstd_contexts}: zstd contexts (native memory, megabytes each, outside the
 *       heap): those of the zstd exchanges in flight plus a few kept idle for reuse; a count
 *       that only grows is a leak;
 *   <li>{@code hgrpc_frames_total{api,direction}}: frames received ({@code in}) and sent
 *       ({@code out}).
 * </ul>
 *
 * <p>Label values come from a small fixed set (API names the server knows, commands of its
 * registry or {@code other}), so a client cannot grow the number of series.
 */
public final class RequestMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Registers the meters in {@code registry}. */
  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("hgrpc.requests.in.flight", inFlight);
    registry.gauge("hgrpc.zstd.contexts", this, m -> ContentEncodings.liveNativeContexts());
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(String api, String command, String outcome, int status, Duration duration, long bytesIn,
      long bytesOut, long framesIn, long framesOut) {
    inFlight.decrementAndGet();
    Counter.builder("hgrpc.requests").description("HTTP requests served")
        .tags("api", api, "command", command, "outcome", outcome, "status", Integer.toString(status))
        .register(registry).increment();
    Timer.builder("hgrpc.request.duration").description("time from the request's start to its last response byte")
        .tags("api", api, "command", command, "outcome", outcome)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry).record(duration);
    DistributionSummary.builder("hgrpc.request.body").baseUnit("bytes").description("request body bytes read")
        .tags("api", api, "command", command).register(registry).record(bytesIn);
    DistributionSummary.builder("hgrpc.response.body").baseUnit("bytes").description("response body bytes written")
        .tags("api", api, "command", command).register(registry).record(bytesOut);
    if (framesIn > 0) {
      Counter.builder("hgrpc.frames").description("frames received and sent").tags("api", api, "direction", "in")
          .register(registry).increment(framesIn);
    }
    if (framesOut > 0) {
      Counter.builder("hgrpc.frames").description("frames received and sent").tags("api", api, "direction", "out")
          .register(registry).increment(framesOut);
    }
  }
}
