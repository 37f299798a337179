package org.hgrpc.client;

import java.time.Duration;
import org.hgrpc.core.Limits;

/**
 * What an {@link HgrpcClient} was configured with, as its exchanges use it: plain values, no
 * machinery.
 *
 * @param requestTimeout longest wait for the response headers
 * @param idleTimeout longest pause in a response body, and longest wait of a consumer for data
 * @param authorization the {@code Authorization} header value, or {@code null}
 * @param progress told about body bytes received, or {@code null}
 * @param limits bounds on what the server may make us hold
 * @param bufferBytes how much received but unconsumed data an exchange holds before it stops
 *     reading the body
 */
record ClientSettings(Duration requestTimeout, Duration idleTimeout, String authorization, ProgressListener progress,
    Limits limits, long bufferBytes) {}
