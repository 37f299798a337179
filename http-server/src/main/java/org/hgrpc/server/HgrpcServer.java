package org.hgrpc.server;

import jakarta.servlet.DispatcherType;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.security.Credential;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hgrpc.server.config.ServerSettings;

/**
 * The embedded server: Jetty serving one {@link HgrpcServlet} at the root, optionally over TLS
 * and with basic authentication. {@code serve} is built on it; tests start it on port 0.
 *
 * <pre>{@code
 * try (HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0)
 *     .settings(settings).registry(registry).build().start()) {
 *   URI uri = server.uri();
 * }
 * }</pre>
 */
public final class HgrpcServer implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;
  private final boolean tls;
  private final String address;
  private final String prefix;

  private HgrpcServer(Builder b) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, b.settings.maxConcurrentRequests() + 8));
    threads.setName("hgrpc");
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    tls = b.certificate != null;
    if (tls) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      KeyStore ks = PemKeyStore.load(b.certificate);
      ssl.setKeyStore(ks);
      ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    }
    address = b.address;
    // Jetty reads an empty host as loopback; hg serve's default (no -a) is every interface.
    connector.setHost(b.address == null || b.address.isEmpty() ? null : b.address);
    connector.setPort(b.port);
    connector.setIdleTimeout(b.settings.idleTimeoutMillis());
    jetty.addConnector(connector);

    prefix = b.prefix;
    ServletContextHandler context = new ServletContextHandler(prefix.isEmpty() ? "/" : "/" + prefix);
    if (b.users != null) {
      FilterHolder auth = new FilterHolder(new BasicAuthFilter(b.users, HgrpcServlet.realm(b.settings)));
      auth.setAsyncSupported(true); // the servlet reads bodies asynchronously
      context.addFilter(auth, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    ServletHolder servlet = new ServletHolder(new HgrpcServlet(b.settings, b.registry, b.errorLog));
    servlet.setAsyncSupported(true); // request bodies are read without a thread waiting for slow peers
    context.addServlet(servlet, "/*");
    jetty.setHandler(context);
    jetty.setErrorHandler(new PlainErrorHandler());
    if (b.accessLog != null) {
      PrintStream log = b.accessLog;
      jetty.setRequestLog(new CustomRequestLog(line -> {
        log.println(line);
        log.flush();
      }, CustomRequestLog.NCSA_FORMAT));
    }
    jetty.setStopAtShutdown(true);
    jetty.setStopTimeout(5000);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening. */
  public HgrpcServer start() throws Exception {
    jetty.start();
    return this;
  }

  /** The port listened on (the real one when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URI of the server, e.g. {@code http://127.0.0.1:8000/}. */
  public URI uri() {
    String host = address == null || address.isEmpty() || address.equals("0.0.0.0") || address.equals("::")
        ? "localhost" : address.contains(":") ? "[" + address + "]" : address;
    return URI.create((tls ? "https" : "http") + "://" + host + ":" + port() + "/" + (prefix.isEmpty() ? "" : prefix + "/"));
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops the server, letting requests in progress finish for a few seconds. */
  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  /** Builds an {@link HgrpcServer}. */
  public static final class Builder {
    private String address = "127.0.0.1";
    private int port = 8000;
    private ServerSettings settings;
    private CommandRegistry registry;
    private Path certificate;
    private Map<String, Credential> users;
    private PrintStream accessLog;
    private PrintStream errorLog = System.err;
    private String prefix = "";

    private Builder() {}

    /**
     * The path prefix to serve under, as {@code hg serve --prefix}: {@code repos/one} serves
     * {@code /repos/one/api/...}; slashes around it are ignored. Default: the server root.
     */
    public Builder prefix(String value) {
      String p = value.strip();
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      prefix = p;
      return this;
    }

    /** The address to bind; {@code 0.0.0.0} or an empty string for all interfaces. */
    public Builder address(String value) {
      address = value;
      return this;
    }

    /** The port; 0 for any free port. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** The settings. */
    public Builder settings(ServerSettings value) {
      settings = value;
      return this;
    }

    /** The commands. */
    public Builder registry(CommandRegistry value) {
      registry = value;
      return this;
    }

    /** Serve TLS with the key and certificate chain of this PEM file. */
    public Builder certificate(Path value) {
      certificate = value;
      return this;
    }

    /** Accept basic authentication for the users of this file (see {@link BasicAuthFilter}). */
    public Builder usersFile(Path value) throws java.io.IOException {
      users = BasicAuthFilter.load(value);
      return this;
    }

    /** Write an access line (NCSA format) per request here. */
    public Builder accessLog(PrintStream value) {
      accessLog = value;
      return this;
    }

    /** Write unexpected errors here (standard error by default). */
    public Builder errorLog(PrintStream value) {
      errorLog = value;
      return this;
    }

    /** The server, not yet started. */
    public HgrpcServer build() throws Exception {
      if (settings == null || registry == null) {
        throw new IllegalStateException("settings and registry are required");
      }
      return new HgrpcServer(this);
    }
  }
}
