package org.hgrpc.server;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.HashMap;
import java.util.Map;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.config.AccessControl;
import org.hgrpc.server.config.ConfigException;
import org.hgrpc.server.config.ConnectionLimits;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.ops.ErrorLog;
import org.hgrpc.server.ops.OpsSettings;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: the embedded server, with {@code hg serve}'s flags. Settings come, lowest
 * first, from the defaults of this command (the API server and the HTTP v2 API on), the
 * repository's {@code .hg/hgrc}, and {@code --config} options.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve a Mercurial repository (or just the registered commands) over hgrpc, like 'hg serve'.",
    footer = {"", "Exit codes: 143 (128 + 15) after a clean shutdown on SIGTERM, 130 on Ctrl-C (SIGINT),",
        "255 on configuration or start-up errors, 2 on usage errors."})
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-p", "--port"}, defaultValue = "8000", description = "port to listen on; 0 for any free port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = {"-a", "--address"}, defaultValue = "", description = "address to listen on (default: all interfaces)")
  String address;

  @Option(names = {"-R", "--repository"}, description = "repository root directory (default: the repository holding the current directory, found by walking up to the directory with .hg, as hg does)")
  Path repository;

  @Option(names = "--config", paramLabel = "SECTION.NAME=VALUE", description = "set a configuration option (repeatable)")
  List<String> config = new ArrayList<>();

  @Option(names = {"-A", "--accesslog"}, paramLabel = "FILE", description = "where to write the access log ('-' for standard output, the default)")
  String accessLog = "-";

  @Option(names = {"-E", "--errorlog"}, paramLabel = "FILE", description = "where to write the error log ('-' for standard error, the default)")
  String errorLog = "-";

  @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "name to show in web pages and the authentication realm (web.name; default: the repository's)")
  String name;

  @Option(names = "--prefix", paramLabel = "PREFIX", description = "prefix path to serve from (default: server root)")
  String prefix;

  @Option(names = "--pid-file", paramLabel = "FILE", description = "name of file to write process ID to")
  Path pidFile;

  @Option(names = {"-6", "--ipv6"}, description = "use IPv6 in addition to IPv4 (without -a: bind every IPv6 and IPv4 interface)")
  boolean ipv6;

  @Option(names = {"-d", "--daemon"}, description = "not supported: run the server under systemd or Docker instead (see docs/deployment.md)")
  boolean daemon;

  @Option(names = "--certificate", paramLabel = "FILE", description = "serve HTTPS with this PEM file holding the private key (PKCS#8) and certificate chain")
  Path certificate;

  @Option(names = "--users", paramLabel = "FILE", description = "accept HTTP basic authentication for the users of this file ('user: password' lines)")
  Path users;

  @Option(names = "--web-conf", paramLabel = "FILE", description = "serve the repositories of this hgweb configuration file ([paths], [collections]), each at its own path")
  Path webConf;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "serve Prometheus metrics at /metrics on this port (0: any free port), on 127.0.0.1 unless -a or hgrpc.metrics.address says otherwise; hgrpc.metrics=true serves them on the server's port instead")
  Integer metricsPort;

  @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (the default: combined access log with the user and duration) or json (one object per line) for the access and error logs (hgrpc.log-format)")
  String logFormat;

  @Option(names = "--demo", description = "serve a small bundled example repository, unpacked into a temporary directory (needs the repository commands on the class path)")
  boolean demo;

  private final PrintStream out;
  private final PrintStream err;
  private HgrpcServer started;
  private Path demoDir;
  private PrintStream errorStream;
  private OpsSettings ops;
  /** The signal that ended the server ({@code SIGTERM}, {@code SIGINT}), once one has. */
  private volatile String stopSignal;
  /** The repository of each site, by its path. */
  private final Map<String, Optional<Path>> repositories = new HashMap<>();

  ServeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (daemon) {
      err.println("abort: --daemon is not supported: run the server under a service manager (systemd, Docker;"
          + " see docs/deployment.md), with --pid-file if something needs the process id");
      return 255;
    }
    HgrpcServer server;
    try {
      server = build();
    } catch (Exception e) {
      deleteDemo();
      // Settings, certificate, users file or a provider refusing the repository: all the user's to fix.
      err.println("abort: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return 255;
    }
    try {
      server.start();
    } catch (Exception | LinkageError e) {
      // A LinkageError too: left uncaught, Jetty's threads would keep the process alive.
      try {
        server.close();
      } catch (Exception ignored) {
        // already failing; the abort message below says why
      }
      deleteDemo();
      err.println("abort: cannot start server at '" + (address.isEmpty() ? "*" : address) + ":" + port + "': "
          + causes(e));
      return 255;
    }
    started = server;
    if (pidFile != null) {
      try {
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
      } catch (java.io.IOException e) {
        server.close();
        deleteDemo();
        err.println("abort: cannot write the pid file " + pidFile + ": " + causes(e));
        return 255;
      }
    }
    ErrorLog stopLog = new ErrorLog(errorStream, ops.logFormat());
    watchSignals();
    server.whenStopped(() -> stopLog.event("stopped" + (stopSignal != null ? " (" + stopSignal + ")" : "")));
    for (String line : startupReport(server)) {
      out.println(line);
    }
    String bound = (address.isEmpty() ? "*" : address) + ":" + server.port();
    // Last: scripts and tests wait for this line.
    out.println("listening at " + server.uri() + " (bound to " + bound + ")");
    out.flush();
    server.join();
    deleteDemo();
    return 0;
  }

  /**
   * The message of {@code e} and of each cause it does not already contain: Jetty's "Failed to
   * bind to /127.0.0.1:8000" alone hides the "Address already in use" of its cause.
   */
  static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && sb.indexOf(c.getMessage()) < 0) {
        sb.append(": ").append(c.getMessage());
      }
    }
    return sb.toString();
  }

  /** Removes the demo repository's temporary copy: each run unpacks a fresh one. */
  private synchronized void deleteDemo() {
    if (demoDir == null) {
      return;
    }
    try (var paths = Files.walk(demoDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      err.println("warning: cannot remove the demo repository " + demoDir + ": " + e.getMessage());
    }
    demoDir = null;
  }

  /** The server this command would start. */
  HgrpcServer build() throws Exception {
    if (webConf != null && (repository != null || demo)) {
      throw new ConfigException("--web-conf cannot be combined with -R or --demo");
    }
    String bindTo = address.isEmpty() && ipv6 ? "::" : address;
    HgrpcServer.Builder b = HgrpcServer.builder().address(bindTo).port(port);
    HgrcConfig serverConfig;
    if (webConf != null) {
      WebConf conf = WebConf.load(webConf);
      for (Map.Entry<String, Path> e : conf.repositories().entrySet()) {
        // hgweb's layering: the web-conf file under each repository's own .hg/hgrc; the
        // repository's URL path names it unless its settings do.
        HgrcConfig cfg = repositoryConfig(defaults().withOverride("web.name=" + (e.getKey().isEmpty() ? "/" : e.getKey()))
            .overriddenBy(conf.config()), Optional.of(e.getValue()));
        b.site(e.getKey(), ServerSettings.from(cfg), registry(Optional.of(e.getValue()), cfg));
        repositories.put(e.getKey(), Optional.of(e.getValue()));
      }
      serverConfig = commandLine(defaults().overriddenBy(conf.config()));
    } else {
      Optional<Path> repo = findRepository();
      HgrcConfig cfg = repositoryConfig(defaults(), repo);
      b.settings(ServerSettings.from(cfg)).registry(registry(repo, cfg));
      repositories.put("", repo);
      serverConfig = cfg;
    }
    ops = opsSettings(serverConfig);
    b.ops(ops);
    b.connectionLimits(ConnectionLimits.from(serverConfig));
    if (prefix != null) {
      b.prefix(prefix);
    }
    errorStream = errorLog.equals("-") ? err : new PrintStream(new FileOutputStream(errorLog, true), true);
    b.accessLog(accessLog.equals("-") ? out : new PrintStream(new FileOutputStream(accessLog, true), true));
    b.errorLog(errorStream);
    if (certificate != null) {
      b.certificate(certificate);
    }
    if (users != null) {
      b.usersFile(users);
    }
    return b.build();
  }

  /** serve's defaults: the API server and the HTTP v2 API on. */
  private static HgrcConfig defaults() {
    return HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
  }

  /** {@code base}, then the repository's {@code .hg/hgrc}, then the command line. */
  private HgrcConfig repositoryConfig(HgrcConfig base, Optional<Path> repo) {
    HgrcConfig cfg = base;
    if (repo.isPresent()) {
      Path hgrc = repo.get().resolve(".hg").resolve("hgrc");
      if (Files.exists(hgrc)) {
        cfg = cfg.overriddenBy(HgrcConfig.load(hgrc));
      }
    }
    return commandLine(cfg);
  }

  /** {@code cfg} with the {@code --config}, {@code -n}, {@code --metrics-port} and {@code --log-format} options over it. */
  private HgrcConfig commandLine(HgrcConfig cfg) {
    for (String c : config) {
      cfg = cfg.withOverride(c);
    }
    if (name != null) {
      cfg = cfg.withOverride("web.name=" + name);
    }
    if (metricsPort != null) {
      cfg = cfg.withOverride("hgrpc.metrics=true").withOverride("hgrpc.metrics.port=" + metricsPort);
    }
    if (logFormat != null) {
      cfg = cfg.withOverride("hgrpc.log-format=" + logFormat);
    }
    return cfg;
  }

  /** The operating settings; the metrics port listens where -a does unless hgrpc.metrics.address says otherwise. */
  private OpsSettings opsSettings(HgrcConfig cfg) {
    OpsSettings o = OpsSettings.from(cfg);
    if (cfg.get("hgrpc", "metrics.address").isEmpty() && !address.isEmpty()) {
      o = new OpsSettings(o.metrics(), address, o.metricsPort(), o.logFormat(), o.http2());
    }
    return o;
  }

  private CommandRegistry registry(Optional<Path> repo, HgrcConfig cfg) throws Exception {
    CommandRegistry registry = CommandRegistry.builder()
        .loadProviders(new ServerContext(repo, cfg), ServeCommand.class.getClassLoader()).build();
    refuseNothingToServe(repo, registry);
    return registry;
  }

  /**
   * What the server serves, a line each, before the {@code listening at} line: the version, and
   * per repository its path, URL, APIs and who may push; the protocols; the connection limits; the metrics URL.
   */
  List<String> startupReport(HgrpcServer server) {
    List<String> lines = new ArrayList<>();
    lines.add(Main.version());
    for (HgrpcServer.Site site : server.sites()) {
      ServerSettings s = site.settings();
      Optional<Path> repo = repositoryOf(site);
      lines.add("repository: " + repo.map(Path::toString).orElse("none (the commands on the class path only)")
          + " at " + server.uri(site).getPath());
      lines.add("  apis: " + (!s.apiServer() ? "none (experimental.web.apiserver is off)"
          : s.httpV2() ? HgrpcServlet.enabledApis(s).stream().map(ExchangeApi::apiName)
              .collect(java.util.stream.Collectors.joining(", "))
          : "none (experimental.web.api.http-v2 is off)"));
      lines.add("  push: " + AccessControl.describePush(s.config(), certificate != null));
    }
    lines.add("protocols: HTTP/1.1" + (!ops.http2() ? "" : certificate != null ? ", HTTP/2 (h2 by ALPN)"
        : ", HTTP/2 (h2c by upgrade or prior knowledge)") + (certificate != null ? " over TLS" : ""));
    lines.add(server.connectionLimits().describe());
    if (server.metricsUri() != null) {
      lines.add("metrics: " + server.metricsUri());
    }
    return lines;
  }

  /**
   * Notes which signal ends the process, for the stop line, then lets the JVM's own handler
   * run the shutdown (exit status 128 + the signal's number, as before).
   */
  private void watchSignals() {
    for (String name : List.of("TERM", "INT", "HUP")) {
      try {
        sun.misc.Signal signal = new sun.misc.Signal(name);
        sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
        previous[0] = sun.misc.Signal.handle(signal, sig -> {
          stopSignal = "SIG" + sig.getName();
          previous[0].handle(sig);
        });
        if (previous[0] == sun.misc.SignalHandler.SIG_DFL || previous[0] == sun.misc.SignalHandler.SIG_IGN) {
          // The JVM runs without its handlers (-Xrs) or ignores the signal: leave it so.
          sun.misc.Signal.handle(signal, previous[0]);
        }
      } catch (IllegalArgumentException e) {
        // No such signal on this platform, or the JVM reserves it: the stop line names no signal.
      }
    }
  }

  private Optional<Path> repositoryOf(HgrpcServer.Site site) {
    return repositories.getOrDefault(site.path(), Optional.empty());
  }

  /**
   * A server with only the built-in commands answers every call with "unknown command": say
   * why at start-up instead (as {@code hg serve} refuses to start outside a repository).
   */
  private static void refuseNothingToServe(Optional<Path> repo, CommandRegistry registry) throws ConfigException {
    if (registry.commands().stream().anyMatch(c -> !c.name().equals(CapabilitiesCommand.NAME))) {
      return;
    }
    if (repo.isPresent()) {
      throw new ConfigException("no command serves the repository " + repo.get()
          + ": the repository commands (hgrpc-repository) are not on the class path; run the server"
          + " distribution, hgrpc-server.jar");
    }
    throw new ConfigException("no repository found in '" + Path.of("").toAbsolutePath()
        + "' (.hg not found)! (use -R DIR, or --demo for an example repository)");
  }

  private Optional<Path> findRepository() throws Exception {
    if (demo) {
      if (repository != null) {
        throw new ConfigException("--demo and -R cannot be combined");
      }
      Path dir = Files.createTempDirectory("hgrpc-demo-");
      demoDir = dir;
      // SIGTERM ends the JVM through its shutdown hooks, not through call()'s return.
      Runtime.getRuntime().addShutdownHook(new Thread(this::deleteDemo, "hgrpc-demo-cleanup"));
      for (CommandProvider p : ServiceLoader.load(CommandProvider.class, ServeCommand.class.getClassLoader())) {
        Optional<Path> root = p.unpackDemoRepository(dir);
        if (root.isPresent()) {
          return Optional.of(root.get().toAbsolutePath());
        }
      }
      throw new ConfigException("no demo repository: the repository commands (hgrpc-repository) are not on the class path");
    }
    if (repository != null) {
      if (!Files.isDirectory(repository.resolve(".hg"))) {
        throw new ConfigException("repository " + repository + " not found!");
      }
      return Optional.of(repository.toAbsolutePath());
    }
    // As hg: the repository holding the current directory, however deep inside it.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".hg"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /** The running server, once started. */
  HgrpcServer server() {
    return started;
  }
}
