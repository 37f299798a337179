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

  @Option(names = "--accesslog", paramLabel = "FILE", description = "where to write the access log ('-' for standard output, the default)")
  String accessLog = "-";

  @Option(names = "--errorlog", paramLabel = "FILE", description = "where to write the error log ('-' for standard error, the default)")
  String errorLog = "-";

  @Option(names = "--certificate", paramLabel = "FILE", description = "serve HTTPS with this PEM file holding the private key (PKCS#8) and certificate chain")
  Path certificate;

  @Option(names = "--users", paramLabel = "FILE", description = "accept HTTP basic authentication for the users of this file ('user: password' lines)")
  Path users;

  @Option(names = "--demo", description = "serve a small bundled example repository, unpacked into a temporary directory (needs the repository commands on the class path)")
  boolean demo;

  private final PrintStream out;
  private final PrintStream err;
  private HgrpcServer started;

  ServeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    HgrpcServer server;
    try {
      server = build();
    } catch (Exception e) {
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
      err.println("abort: cannot start server at '" + (address.isEmpty() ? "*" : address) + ":" + port + "': "
          + e.getMessage());
      return 255;
    }
    started = server;
    String bound = (address.isEmpty() ? "*" : address) + ":" + server.port();
    out.println("listening at " + server.uri() + " (bound to " + bound + ")");
    out.flush();
    server.join();
    return 0;
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
    ServerSettings settings = ServerSettings.from(cfg);
    CommandRegistry registry = CommandRegistry.builder()
        .loadProviders(new ServerContext(repo, cfg), ServeCommand.class.getClassLoader()).build();
    HgrpcServer.Builder b = HgrpcServer.builder().address(address).port(port).settings(settings).registry(registry);
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

  private Optional<Path> findRepository() throws Exception {
    if (demo) {
      if (repository != null) {
        throw new ConfigException("--demo and -R cannot be combined");
      }
      Path dir = Files.createTempDirectory("hgrpc-demo-");
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
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isDirectory(cwd.resolve(".hg")) ? Optional.of(cwd) : Optional.empty();
  }

  /** The running server, once started. */
  HgrpcServer server() {
    return started;
  }
}
