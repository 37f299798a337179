package org.hgrpc.client.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.ProgressListener;
import org.hgrpc.client.TransportException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of commands that talk to a server: credentials, timeouts, and the API
 * ({@link ApiOptions}); the server's URL; connect failures.
 */
final class ConnectionOptions {
  /** The environment variable of the password. */
  static final String PASSWORD_ENV = "HGRPC_PASSWORD";

  @Mixin
  ApiOptions apiOptions = new ApiOptions();

  @Option(names = "--user", paramLabel = "NAME", description = "User name for HTTP basic authentication.")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD",
      description = "Password for HTTP basic authentication (default: the " + PASSWORD_ENV + " environment variable; "
          + "else it is asked for on the terminal).")
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

  @Option(names = "--http1.1", description = "Speak HTTP/1.1 only (default: HTTP/2 where the server offers it).")
  boolean http11;

  /**
   * The server's URL as written on the command line.
   *
   * @throws IllegalArgumentException (a usage error) if it is not an http or https URL
   */
  static URI baseUrl(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("URL must start with http:// or https://: " + text);
    }
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid URL: " + e.getMessage());
    }
  }

  /** A client of {@code url} with these options. */
  HgrpcClient client(Io io, URI url, ProgressListener progress) {
    HgrpcClient.Builder b = HgrpcClient.builder(url).connectTimeout(connectTimeout).requestTimeout(timeout)
        .progressListener(progress);
    if (http11) {
      b.httpVersion(java.net.http.HttpClient.Version.HTTP_1_1);
    }
    apiOptions.applyTo(b);
    if (idleTimeout != null) {
      b.idleTimeout(idleTimeout);
    }
    if (user != null) {
      b.basicAuth(user, password(io));
    }
    return b.build();
  }

  /**
   * The password of {@code --user}: {@code --password}, else {@value #PASSWORD_ENV}, else asked
   * for on the terminal.
   *
   * @throws IllegalArgumentException (a usage error) when none of them gives one
   */
  String password(Io io) {
    if (password != null) {
      return password;
    }
    String fromEnv = io.env().get(PASSWORD_ENV);
    if (fromEnv != null) {
      return fromEnv;
    }
    if (io.prompt() != null) {
      char[] typed = io.prompt().readPassword("password for " + user + ": ");
      if (typed != null) {
        return new String(typed);
      }
    }
    throw new IllegalArgumentException("--user " + user + " needs a password: give --password, set " + PASSWORD_ENV
        + ", or run on a terminal to be asked for it");
  }

  /**
   * What to report for a failed exchange: for a failed connection {@code cannot connect to URL:
   * REASON}, else the exception's own message. The JDK's HTTP client does not keep the
   * operating system's reason ("Connection refused", "No route to host"), so when the failure
   * carries none, one plain socket connection to the same address asks again.
   */
  IOException failure(TransportException e, URI url) {
    boolean connect = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return new IOException("cannot connect to " + url + ": unknown host " + url.getHost(), e);
      }
      if (t instanceof ConnectException) {
        connect = true;
        if (t.getMessage() != null && !t.getMessage().startsWith("java.")) {
          return new IOException("cannot connect to " + url + ": " + t.getMessage(), e);
        }
      }
    }
    if (!connect) {
      return new IOException(e.getMessage(), e);
    }
    return new IOException("cannot connect to " + url + ": " + probe(url), e);
  }

  private String probe(URI url) {
    int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(url.getHost(), port), (int) Math.min(connectTimeout.toMillis(), 10_000));
      return "the connection failed, and a second attempt succeeded";
    } catch (UnknownHostException x) {
      return "unknown host " + url.getHost();
    } catch (IOException x) {
      return x.getMessage() != null ? x.getMessage() : x.toString();
    }
  }
}
