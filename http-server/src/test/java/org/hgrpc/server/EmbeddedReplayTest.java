package org.hgrpc.server;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link AbstractHttpReplaySuite} against the embedded server on loopback: one {@link HgrpcServer}
 * per group, configured by the group's hgrc, serving the two {@link TestCommands}. The rows that
 * need Mercurial's repository commands are replayed by the repository module and by the WAR.
 */
class EmbeddedReplayTest extends AbstractHttpReplaySuite {
  private static final Map<String, HgrpcServer> SERVERS = new LinkedHashMap<>();

  @Override
  protected boolean replays(String group, String name) {
    return TEST_COMMAND_GROUPS.contains(group) && !NEEDS_REPOSITORY.contains(name);
  }

  @Override
  protected URI baseUri(String group, String hgrc) throws Exception {
    synchronized (SERVERS) {
      HgrpcServer s = SERVERS.get(group);
      if (s == null) {
        ServerSettings settings = ServerSettings.from(HgrcConfig.parse(hgrc, group + ".hgrc", null));
        // The error log goes nowhere: the replay compares answers, and its refusals would each be a build output line.
        s = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings)
            .errorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .registry(TestCommands.registry()).build().start();
        SERVERS.put(group, s);
      }
      return s.uri();
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    synchronized (SERVERS) {
      for (HgrpcServer s : SERVERS.values()) {
        s.close();
      }
      SERVERS.clear();
    }
  }
}
