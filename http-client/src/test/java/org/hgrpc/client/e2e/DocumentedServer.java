package org.hgrpc.client.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.server.TarArchive;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * The server a {@code <!-- serve ... -->} block of the docs starts, started as that block says:
 * its {@code mkdir -p} and {@code tar -xzf} commands are carried out, and its
 * {@code java -jar server/target/hgrpc-server.jar serve ...} becomes the embedded server built
 * as {@code ServeCommand} builds it (the repository commands come from the hgrpc-repository
 * test dependency, as the server distribution has them), on a free loopback port instead of
 * {@code -p} and {@code -a}.
 *
 * <p>Absolute paths of the block ({@code /tmp/hgrpc-fixture}) are taken below a sandbox
 * directory, relative ones from the checkout's root, so nothing is written outside the sandbox.
 */
final class DocumentedServer implements AutoCloseable {
  private final HgrpcServer server;
  private final ByteArrayOutputStream errors;

  private DocumentedServer(HgrpcServer server, ByteArrayOutputStream errors) {
    this.server = server;
    this.errors = errors;
  }

  /** Carries out the block's {@code commands} (each a command line) in {@code sandbox}. */
  static DocumentedServer start(List<String> commands, Path root, Path sandbox) throws Exception {
    DocumentedServer started = null;
    for (String command : commands) {
      List<String> words = ShellWords.split(command);
      assertTrue(started == null, "the serve command comes last: " + command);
      if (words.get(0).equals("mkdir")) {
        assertEquals("-p", words.get(1), command);
        for (String dir : words.subList(2, words.size())) {
          Files.createDirectories(path(dir, root, sandbox));
        }
      } else if (words.get(0).equals("tar")) {
        assertEquals(List.of("tar", "-xzf"), words.subList(0, 2), command);
        assertEquals("-C", words.get(3), command);
        assertEquals(5, words.size(), command);
        try (InputStream in = Files.newInputStream(path(words.get(2), root, sandbox))) {
          TarArchive.extractTarGz(in, path(words.get(4), root, sandbox));
        }
      } else {
        assertEquals(List.of("java", "-jar", "server/target/hgrpc-server.jar", "serve"), words.subList(0, 4),
            command);
        started = serve(words.subList(4, words.size()), root, sandbox);
      }
    }
    assertTrue(started != null, "the block starts no server: " + commands);
    return started;
  }

  /** {@code serve OPTIONS}, as ServeCommand builds its server. */
  private static DocumentedServer serve(List<String> options, Path root, Path sandbox) throws Exception {
    HgrcConfig config = HgrcConfig.empty().withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    List<String> overrides = new ArrayList<>();
    Optional<Path> repo = Optional.empty();
    boolean demo = false;
    for (int i = 0; i < options.size(); i++) {
      switch (options.get(i)) {
        case "--config" -> overrides.add(options.get(++i));
        case "-p", "-a" -> i++; // a free port on the loopback instead
        case "--demo" -> demo = true;
        case "-R" -> repo = Optional.of(path(options.get(++i), root, sandbox));
        default -> throw new AssertionError("serve option not emulated: " + options.get(i));
      }
    }
    if (demo) {
      assertTrue(repo.isEmpty(), "--demo and -R cannot be combined");
      repo = Optional.of(unpackDemo(Files.createDirectories(sandbox.resolve("hgrpc-demo"))));
    }
    assertTrue(repo.isPresent(), "serve starts only with a repository (-R or --demo): " + options);
    assertTrue(Files.isDirectory(repo.get().resolve(".hg")), "repository " + repo.get() + " not found");
    Path hgrc = repo.get().resolve(".hg").resolve("hgrc");
    if (Files.exists(hgrc)) {
      config = config.overriddenBy(HgrcConfig.load(hgrc));
    }
    for (String o : overrides) {
      config = config.withOverride(o);
    }
    CommandRegistry registry = CommandRegistry.builder()
        .loadProviders(new ServerContext(repo, config), DocumentedServer.class.getClassLoader()).build();
    assertTrue(registry.commands().stream().anyMatch(c -> c.name().equals(ByteString.latin1("heads"))),
        "no repository commands for " + repo.get());
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(config))
        .registry(registry).errorLog(new PrintStream(errors, true, StandardCharsets.UTF_8)).build().start();
    return new DocumentedServer(server, errors);
  }

  /** As {@code serve --demo}: the first command provider that has a demo repository unpacks it. */
  private static Path unpackDemo(Path dir) throws Exception {
    for (CommandProvider p : ServiceLoader.load(CommandProvider.class, DocumentedServer.class.getClassLoader())) {
      Optional<Path> root = p.unpackDemoRepository(dir);
      if (root.isPresent()) {
        return root.get();
      }
    }
    throw new AssertionError("no command provider has a demo repository");
  }

  private static Path path(String word, Path root, Path sandbox) {
    return word.startsWith("/") ? sandbox.resolve(word.substring(1)) : root.resolve(word);
  }

  /** The base URI. */
  URI uri() {
    return server.uri();
  }

  /** What the server logged as unexpected errors. */
  String errorLog() {
    return errors.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
