package org.hgrpc.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.repository.server.RepositoryCommandProvider;
import org.hgrpc.server.AbstractHttpReplaySuite;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.Replay0006;
import org.hgrpc.server.TestCommands;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ServerContext;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link AbstractHttpReplaySuite} against the embedded server with the repository commands:
 * every exchange of group {@code repo} on the reference fixture (in file order: the pushkey rows
 * change it), and the rows of the other groups that need an empty repository's commands
 * ({@link AbstractHttpReplaySuite#NEEDS_REPOSITORY}) on an empty repository with the two
 * {@link TestCommands}, as the vectors were recorded; and every row of the 0006 vectors (API
 * {@code exp-http-v2-0003}, hg 4.8), each group on a fresh copy of the 4.8 fixture.
 */
class RepoExchangeReplayTest extends AbstractHttpReplaySuite {
  private static final Map<String, HgrpcServer> SERVERS = new LinkedHashMap<>();
  private static final Map<String, Path> REPOSITORIES = new LinkedHashMap<>();
  private static Path tmp;

  @Override
  protected boolean replays(String group, String name) {
    return group.equals(REPO_GROUP) || NEEDS_REPOSITORY.contains(name);
  }

  /** Every row of the 0006 vectors: each group on its own copy of the hg 4.8 fixture. */
  @Override
  protected boolean replays0006(String group, String name) {
    return true;
  }

  @Override
  protected Replay0006.StoreTexts storeTexts(String group) {
    synchronized (SERVERS) {
      return StoreTextsOf.repository(REPOSITORIES.get(group));
    }
  }

  @Override
  protected URI baseUri(String group, String hgrc) throws Exception {
    synchronized (SERVERS) {
      HgrpcServer s = SERVERS.get(group);
      if (s == null) {
        boolean repo48 = group.endsWith("48");
        boolean repo = repo48 || group.equals(REPO_GROUP);
        Path dir = repo48 ? Fixtures.repo48Fixture(tmp().resolve("fixture-" + group))
            : repo ? Fixtures.referenceFixture(tmp().resolve("fixture"))
            : Fixtures.emptyRepository(tmp().resolve("empty-" + group));
        REPOSITORIES.put(group, dir);
        HgrcConfig config = HgrcConfig.parse(hgrc, group + ".hgrc", null);
        CommandRegistry.Builder registry = CommandRegistry.builder()
            .addProvider(new RepositoryCommandProvider(), new ServerContext(Optional.of(dir), config));
        if (!repo) {
          registry.addAll(TestCommands.all());
        }
        // The error log goes nowhere: the replay compares answers, and its refusals would each be a build output line.
        s = HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(config))
            .errorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .registry(registry.build()).build().start();
        SERVERS.put(group, s);
      }
      return s.uri();
    }
  }

  private static Path tmp() {
    if (tmp == null) {
      try {
        tmp = Files.createTempDirectory("hgrpc-replay");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tmp;
  }

  @AfterAll
  static void stopServers() throws Exception {
    synchronized (SERVERS) {
      for (HgrpcServer s : SERVERS.values()) {
        s.close();
      }
      SERVERS.clear();
    }
    if (tmp != null) {
      TestRepos.deleteTree(tmp);
    }
  }
}
