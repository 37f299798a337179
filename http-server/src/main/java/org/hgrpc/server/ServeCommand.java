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
import org.hgrpc.server.config.ConfigException;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
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

  @Option(names = {"-R", "--repository"}, description = "repository root directory (default: the current directory if it holds .hg)")
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

  @Option(names = "--demo", description = "serve a small bundled example repository, unpacked into a temporary directory (needs the repository commands on the class path)")
  boolean demo;

  private final PrintStream out;
  private final PrintStream err;
  private HgrpcServer started;
  private Path demoDir;

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
    String bound = (address.isEmpty() ? "*" : address) + ":" + server.port();
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
    Optional<Path> repo = findRepository();
    HgrcConfig cfg = HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    if (repo.isPresent()) {
      Path hgrc = repo.get().resolve(".hg").resolve("hgrc");
      if (Files.exists(hgrc)) {
        cfg = cfg.overriddenBy(HgrcConfig.load(hgrc));
      }
    }
    for (String c : config) {
      cfg = cfg.withOverride(c);
    }
    if (name != null) {
      cfg = cfg.withOverride("web.name=" + name);
    }
    ServerSettings settings = ServerSettings.from(cfg);
    CommandRegistry registry = CommandRegistry.builder()
        .loadProviders(new ServerContext(repo, cfg), ServeCommand.class.getClassLoader()).build();
    refuseNothingToServe(repo, registry);
    String bindTo = address.isEmpty() && ipv6 ? "::" : address;
    HgrpcServer.Builder b = HgrpcServer.builder().address(bindTo).port(port).settings(settings).registry(registry);
    if (prefix != null) {
      b.prefix(prefix);
    }
    b.accessLog(accessLog.equals("-") ? out : new PrintStream(new FileOutputStream(accessLog, true), true));
    b.errorLog(errorLog.equals("-") ? err : new PrintStream(new FileOutputStream(errorLog, true), true));
    if (certificate != null) {
      b.certificate(certificate);
    }
    if (users != null) {
      b.usersFile(users);
    }
    return b.build();
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
