package org.hgrpc.client.cli;

import java.net.URI;
import java.time.Duration;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.ProgressListener;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of commands that talk to a server: credentials, timeouts, and the API ({@link ApiOptions}). */
final class ConnectionOptions {
  @Mixin
  ApiOptions apiOptions = new ApiOptions();

  @Option(names = "--user", paramLabel = "NAME", description = "User name for HTTP basic authentication.")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD",
      description = "Password for HTTP basic authentication (default: the HGRPC_PASSWORD environment variable).")
  String password;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class, description = "Longest wait for a connection (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Longest wait for the response headers (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest pause while a response arrives (default: the --timeout).")
  Duration idleTimeout;

  /** A client of {@code url} with these options. */
  HgrpcClient client(URI url, ProgressListener progress) {
    HgrpcClient.Builder b = HgrpcClient.builder(url).connectTimeout(connectTimeout).requestTimeout(timeout)
        .progressListener(progress);
    apiOptions.applyTo(b);
    if (idleTimeout != null) {
      b.idleTimeout(idleTimeout);
    }
    if (user != null) {
      String p = password != null ? password : System.getenv().getOrDefault("HGRPC_PASSWORD", "");
      b.basicAuth(user, p);
    }
    return b.build();
  }
}
