package org.hgrpc.server;

import jakarta.servlet.DispatcherType;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.security.Credential;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.config.ConnectionLimits;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.ops.AccessLog;
import org.hgrpc.server.ops.ErrorLog;
import org.hgrpc.server.ops.LogFormat;
import org.hgrpc.server.ops.Metrics;
import org.hgrpc.server.ops.OpsHandler;
import org.hgrpc.server.ops.OpsSettings;
import org.hgrpc.server.ops.RequestObserver;

/**
 * The embedded server: Jetty serving an {@link HgrpcServlet} per repository ("site"), over
 * HTTP/1.1 and HTTP/2 (cleartext h2c by upgrade or prior knowledge; h2 by ALPN over TLS),
 * optionally over TLS and with basic authentication, with the operating endpoints of
 * {@link OpsHandler} ({@code /healthz}, {@code /metrics}) in front. {@code serve} is built on
 * it; tests start it on port 0.
 *
 * <pre>{@code
 * try (HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0)
 *     .settings(settings).registry(registry).build().start()) {
 *   URI uri = server.uri();
 * }
 * }</pre>
 *
 * <p>Several repositories ({@code --web-conf}): {@link Builder#site} once per repository, each
 * at its own path under the {@link Builder#prefix prefix}; the prefix itself then lists them.
 *
 * <p>The server's port keeps at most {@link Builder#connectionLimits} connections open, in all
 * (Jetty's {@link org.eclipse.jetty.server.NetworkConnectionLimit}: it stops accepting) and per
 * remote address ({@link AddressConnectionLimit}: one more is closed at once), so that one peer
 * cannot hold every connection with idle or slow ones.
 */
public final class HgrpcServer implements AutoCloseable {
  /** The API names a metric may be labelled with. */
  static final Set<String> KNOWN_APIS = java.util.Arrays.stream(org.hgrpc.server.exchange.ExchangeApi.values())
      .map(org.hgrpc.server.exchange.ExchangeApi::apiName).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final Server jetty;
  private final ServerConnector connector;
  private final ServerConnector metricsConnector;
  private final Metrics metrics;
  private final boolean tls;
  private final String address;
  private final String prefix;
  private final String metricsAddress;
  private final List<Site> sites;
  private final ConnectionLimits connectionLimits;
  /** The per-address connection count, or null when there is no such limit. */
  private final AddressConnectionLimit perAddress;

  /**
   * One repository served: its path below the server's prefix ({@code ""} for the prefix
   * itself), its settings and its commands.
   */
  public record Site(String path, ServerSettings settings, CommandRegistry registry) {
    /** Normalizes the path (no slashes around it). */
    public Site {
      path = trimSlashes(path);
    }
  }

  private HgrpcServer(Builder b) throws Exception {
    sites = List.copyOf(b.sites);
    // Commands run on the pool's threads once a body is complete: room for every read and push
    // slot of every repository, plus the threads Jetty itself needs (acceptors, selectors).
    int slots = sites.stream().mapToInt(s -> s.settings().maxConcurrentRequests() + s.settings().maxConcurrentPushes())
        .sum();
    QueuedThreadPool threads = new QueuedThreadPool(Math.max(32, slots + 16));
    threads.setName("hgrpc");
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    tls = b.certificate != null;
    if (tls) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      KeyStore ks = PemKeyStore.load(b.certificate);
      ssl.setKeyStore(ks);
      ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      if (b.ops.http2()) {
        // ALPN picks h2 when the client offers it, else HTTP/1.1; HTTP/2 forbids some ciphers.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http1.getProtocol());
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
            new HTTP2ServerConnectionFactory(http), http1);
      } else {
        connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, http1.getProtocol()), http1);
      }
    } else if (b.ops.http2()) {
      // h2c: HTTP/1.1 connections upgrade ("Upgrade: h2c") or start with the HTTP/2 preface.
      connector = new ServerConnector(jetty, http1, new HTTP2CServerConnectionFactory(http));
    } else {
      connector = new ServerConnector(jetty, http1);
    }
    address = b.address;
    // Jetty reads an empty host as loopback; hg serve's default (no -a) is every interface.
    connector.setHost(b.address == null || b.address.isEmpty() ? null : b.address);
    connector.setPort(b.port);
    connector.setIdleTimeout(sites.stream().mapToLong(s -> s.settings().idleTimeoutMillis()).max().orElse(30_000));
    jetty.addConnector(connector);
    ErrorLog errorLog = new ErrorLog(b.errorLog, b.ops.logFormat());
    connectionLimits = b.connectionLimits;
    // Only the server's port: the metrics port stays reachable when the server is full.
    if (connectionLimits.maxConnections() > 0) {
      jetty.addBean(new ServerConnectionLimit(connectionLimits.maxConnections(), errorLog, connector));
    }
    if (connectionLimits.maxConnectionsPerIp() > 0) {
      perAddress = new AddressConnectionLimit(connectionLimits.maxConnectionsPerIp(), errorLog);
      connector.addBean(perAddress);
    } else {
      perAddress = null;
    }

    metrics = b.ops.metrics() ? new Metrics() : null;
    metricsAddress = b.ops.metricsAddress();
    if (metrics != null && b.ops.metricsPort() >= 0) {
      HttpConfiguration plain = new HttpConfiguration();
      plain.setSendServerVersion(false);
      metricsConnector = new ServerConnector(jetty, new HttpConnectionFactory(plain));
      metricsConnector.setName("metrics");
      metricsConnector.setHost(b.ops.metricsAddress());
      metricsConnector.setPort(b.ops.metricsPort());
      jetty.addConnector(metricsConnector);
    } else {
      metricsConnector = null;
    }

    prefix = b.prefix;
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    boolean rootServed = false;
    for (Site site : sites) {
      String path = join(prefix, site.path());
      rootServed |= site.path().isEmpty();
      ServletContextHandler context = new ServletContextHandler(path.isEmpty() ? "/" : "/" + path);
      CommandRegistry registry = site.registry();
      // Both filters allow asynchronous processing: the servlet may read bodies asynchronously.
      FilterHolder observer = new FilterHolder(new RequestObserver(errorLog, metrics == null ? null : metrics.requests(),
          KNOWN_APIS, c -> registry.get(ByteString.utf8(c)).isPresent()));
      observer.setAsyncSupported(true);
      context.addFilter(observer, "/*", EnumSet.of(DispatcherType.REQUEST));
      if (b.users != null) {
        FilterHolder auth = new FilterHolder(new BasicAuthFilter(b.users, HgrpcServlet.realm(site.settings())));
        auth.setAsyncSupported(true);
        context.addFilter(auth, "/*", EnumSet.of(DispatcherType.REQUEST));
      }
      ServletHolder servlet = new ServletHolder(new HgrpcServlet(site.settings(), registry, errorLog.stream()));
      servlet.setAsyncSupported(true); // request bodies are read without a thread waiting for slow peers
      context.addServlet(servlet, "/*");
      contexts.addHandler(context);
    }
    if (!rootServed) {
      ContextHandler index = new ContextHandler(prefix.isEmpty() ? "/" : "/" + prefix);
      index.setHandler(new RepositoryIndex(sites.stream().map(s -> "/" + join(prefix, s.path()) + "/").toList()));
      contexts.addHandler(index);
    }
    Handler handler = contexts;
    if (metrics != null) {
      handler = metrics.bindJetty(jetty, handler);
    }
    jetty.setHandler(new OpsHandler(handler, metrics == null ? null : metrics.registry(), metricsConnector));
    jetty.setErrorHandler(new PlainErrorHandler(errorLog));
    if (b.accessLog != null) {
      jetty.setRequestLog(new AccessLog(b.accessLog, b.ops.logFormat()));
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

  /** Runs {@code action} once the server has stopped (e.g. to log it), whoever stopped it. */
  public void whenStopped(Runnable action) {
    jetty.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStopped(LifeCycle event) {
        action.run();
      }
    });
  }

  /** The port listened on (the real one when 0 was asked for). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URI of the server, e.g. {@code http://127.0.0.1:8000/}: the prefix (a single repository's URL). */
  public URI uri() {
    String p = sites.size() == 1 ? join(prefix, sites.get(0).path()) : prefix;
    return URI.create((tls ? "https" : "http") + "://" + host(address) + ":" + port() + "/" + (p.isEmpty() ? "" : p + "/"));
  }

  /** The URI of {@code site}. */
  public URI uri(Site site) {
    String p = join(prefix, site.path());
    return URI.create((tls ? "https" : "http") + "://" + host(address) + ":" + port() + "/" + (p.isEmpty() ? "" : p + "/"));
  }

  /** The connection limits of the server's port. */
  public ConnectionLimits connectionLimits() {
    return connectionLimits;
  }

  /** Connections open from {@code address}, as the per-address limit counts them (0 when there is no such limit). */
  int connectionsFrom(java.net.InetAddress address) {
    return perAddress == null ? 0 : perAddress.connections(address);
  }

  /** How many remote addresses the per-address limit tracks (each has connections open). */
  int trackedAddresses() {
    return perAddress == null ? 0 : perAddress.addresses();
  }

  /** The repositories served. */
  public List<Site> sites() {
    return sites;
  }

  /** The metrics URI ({@code /metrics} on the metrics port, or on the server's), or null when metrics are off. */
  public URI metricsUri() {
    if (metrics == null) {
      return null;
    }
    if (metricsConnector == null) {
      return URI.create((tls ? "https" : "http") + "://" + host(address) + ":" + port() + OpsHandler.METRICS_PATH);
    }
    return URI.create("http://" + host(metricsAddress) + ":" + metricsConnector.getLocalPort() + OpsHandler.METRICS_PATH);
  }

  private static String host(String address) {
    return address == null || address.isEmpty() || address.equals("0.0.0.0") || address.equals("::")
        ? "localhost" : address.contains(":") ? "[" + address + "]" : address;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops the server, letting requests in progress finish for a few seconds. */
  @Override
  public void close() throws Exception {
    jetty.stop();
    if (metrics != null) {
      metrics.close();
    }
  }

  static String trimSlashes(String value) {
    String p = value.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
  }

  /** The page at the prefix when it serves no repository itself: the repositories' paths, one a line. */
  private static final class RepositoryIndex extends Handler.Abstract {
    private final byte[] body;

    RepositoryIndex(List<String> paths) {
      body = (String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (!path.isEmpty() && !path.equals("/")) {
        return false; // Jetty's 404, logged by PlainErrorHandler
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
  }

  /** Builds an {@link HgrpcServer}. */
  public static final class Builder {
    private String address = "127.0.0.1";
    private int port = 8000;
    private ServerSettings settings;
    private CommandRegistry registry;
    private final List<Site> sites = new ArrayList<>();
    private Path certificate;
    private Map<String, Credential> users;
    private PrintStream accessLog;
    private PrintStream errorLog = System.err;
    private String prefix = "";
    private OpsSettings ops = OpsSettings.DEFAULTS;
    private ConnectionLimits connectionLimits = ConnectionLimits.DEFAULTS;

    private Builder() {}

    /**
     * Most open connections on the server's port, in all and per remote address (default
     * {@link ConnectionLimits#DEFAULTS}; {@link ConnectionLimits#NONE} for none).
     */
    public Builder connectionLimits(ConnectionLimits value) {
      connectionLimits = java.util.Objects.requireNonNull(value, "connectionLimits");
      return this;
    }

    /**
     * The path prefix to serve under, as {@code hg serve --prefix}: {@code repos/one} serves
     * {@code /repos/one/api/...}; slashes around it are ignored. Default: the server root.
     */
    public Builder prefix(String value) {
      prefix = trimSlashes(value);
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

    /** The settings of the one repository served at the prefix (with {@link #registry}). */
    public Builder settings(ServerSettings value) {
      settings = value;
      return this;
    }

    /** The commands of the one repository served at the prefix (with {@link #settings}). */
    public Builder registry(CommandRegistry value) {
      registry = value;
      return this;
    }

    /** Adds a repository at {@code path} below the prefix (instead of {@link #settings}/{@link #registry}). */
    public Builder site(String path, ServerSettings siteSettings, CommandRegistry siteRegistry) {
      sites.add(new Site(path, siteSettings, siteRegistry));
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

    /** Write an access line per request here (see {@link AccessLog}). */
    public Builder accessLog(PrintStream value) {
      accessLog = value;
      return this;
    }

    /** Write refusals, unexpected errors and the stop here (standard error by default; see {@link ErrorLog}). */
    public Builder errorLog(PrintStream value) {
      errorLog = value;
      return this;
    }

    /** Metrics, log format and HTTP/2 (default {@link OpsSettings#DEFAULTS}: no metrics, text logs, HTTP/2 on). */
    public Builder ops(OpsSettings value) {
      ops = value;
      return this;
    }

    /** The log format (a shorthand for {@link #ops}). */
    public Builder logFormat(LogFormat value) {
      ops = new OpsSettings(ops.metrics(), ops.metricsAddress(), ops.metricsPort(), value, ops.http2());
      return this;
    }

    /** The server, not yet started. */
    public HgrpcServer build() throws Exception {
      if ((settings == null) != (registry == null)) {
        throw new IllegalStateException("settings and registry go together");
      }
      if (settings != null) {
        if (!sites.isEmpty()) {
          throw new IllegalStateException("settings/registry serve one repository: use site() for each of several");
        }
        sites.add(new Site("", settings, registry));
      }
      if (sites.isEmpty()) {
        throw new IllegalStateException("settings and registry (or sites) are required");
      }
      return new HgrpcServer(this);
    }
  }
}
