package org.hgrpc.repository.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.Hg;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.TestRepos;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands reuse the repository's snapshot, and the answers derived from it, while no file
 * changed, and see a change made from outside (Mercurial's own {@code hg bookmark}, a commit)
 * or through {@code pushkey} at the very next request.
 */
class SnapshotReuseTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void requireHg() {
    Hg.require();
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static Object run(Map<String, Command> commands, String name, Object... keyValues) throws Exception {
    Map<ByteString, Object> args = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      args.put(b((String) keyValues[i]), keyValues[i + 1]);
    }
    CommandResponse r = commands.get(name).execute(new CommandInvocation(1, args, null, null, false));
    return ((CommandResponse.Objects) r).objects().next();
  }

  private static Map<String, Command> commands(HgRepository repo) {
    Map<String, Command> commands = new LinkedHashMap<>();
    RepositoryOptions o = new RepositoryOptions("served", true, true, false, true, Duration.ofSeconds(5));
    new RepositoryCommands(repo, o).all().forEach(c -> commands.put(c.name().utf8(), c));
    return commands;
  }

  @Test
  void anUnchangedRepositoryIsAnsweredFromTheSameSnapshot() throws Exception {
    Path dir = TestRepos.richCopy(tmp.resolve("same"), List.of());
    HgRepository repo = HgRepository.open(dir);
    Map<String, Command> commands = commands(repo);
    assertSame(repo.snapshot(), repo.snapshot());
    Object first = run(commands, "listkeys", "namespace", b("bookmarks"));
    assertSame(first, run(commands, "listkeys", "namespace", b("bookmarks")), "the answer is kept with the snapshot");
    assertSame(run(commands, "heads"), run(commands, "heads"));
    assertSame(run(commands, "branchmap"), run(commands, "branchmap"));
  }

  @Test
  void aBookmarkMadeByMercurialIsSeenByTheNextRequest() throws Exception {
    Path dir = TestRepos.richCopy(tmp.resolve("outside"), List.of());
    HgRepository repo = HgRepository.open(dir);
    Map<String, Command> commands = commands(repo);
    Map<?, ?> before = (Map<?, ?>) run(commands, "listkeys", "namespace", b("bookmarks"));
    assertFalse(before.containsKey(b("from-outside")));
    for (int i = 0; i < 3; i++) {
      // At once, several times in a row: no time window hides a change.
      String name = "from-outside-" + i;
      Hg.run(dir, "bookmark", "-f", "-r", "first(public())", name);
      String node = Hg.run(dir, "log", "-r", "first(public())", "-T", "{node}").trim();
      Map<?, ?> after = (Map<?, ?>) run(commands, "listkeys", "namespace", b("bookmarks"));
      assertEquals(b(node), after.get(b(name)), name);
      assertEquals(b("1"), run(commands, "known", "nodes", List.of(ByteString.fromHex(node))));
    }
    // Moving one (same file size, new content) is seen too.
    String tip = Hg.run(dir, "log", "-r", "last(public())", "-T", "{node}").trim();
    Hg.run(dir, "bookmark", "-f", "-r", "last(public())", "from-outside-0");
    Map<?, ?> moved = (Map<?, ?>) run(commands, "listkeys", "namespace", b("bookmarks"));
    assertEquals(b(tip), moved.get(b("from-outside-0")));
  }

  @Test
  void aCommitMadeByMercurialChangesTheHeadsAtOnce() throws Exception {
    Path dir = TestRepos.richCopy(tmp.resolve("commit"), List.of());
    HgRepository repo = HgRepository.open(dir);
    Map<String, Command> commands = commands(repo);
    Object headsBefore = run(commands, "heads");
    Hg.run(dir, "update", "-q", "-r", "0");
    java.nio.file.Files.writeString(dir.resolve("new-file"), "x");
    Hg.run(dir, "commit", "-q", "-A", "-m", "new head", "-u", "test");
    String newHead = Hg.run(dir, "log", "-r", ".", "-T", "{node}").trim();
    Object headsAfter = run(commands, "heads");
    assertNotSame(headsBefore, headsAfter);
    assertTrue(((List<?>) headsAfter).contains(ByteString.fromHex(newHead)), headsAfter.toString());
  }

  @Test
  void aPushkeyIsSeenByTheNextRequest() throws Exception {
    Path dir = TestRepos.richCopy(tmp.resolve("pushkey"), List.of());
    HgRepository repo = HgRepository.open(dir);
    Map<String, Command> commands = commands(repo);
    run(commands, "listkeys", "namespace", b("bookmarks"));
    String node = Hg.run(dir, "log", "-r", "first(public())", "-T", "{node}").trim();
    assertEquals(true, run(commands, "pushkey", "namespace", b("bookmarks"), "key", b("pushed"), "old", b(""),
        "new", b(node)));
    Map<?, ?> after = (Map<?, ?>) run(commands, "listkeys", "namespace", b("bookmarks"));
    assertEquals(b(node), after.get(b("pushed")));
  }
}
