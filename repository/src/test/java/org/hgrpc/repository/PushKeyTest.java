package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.view.LookupFailure;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.write.HgLock;
import org.hgrpc.repository.write.LockTimeoutException;
import org.hgrpc.repository.write.PushKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pushkey for bookmarks and phases on repositories made by Mercurial: the answers, what
 * {@code hg bookmarks} and {@code hg log} see afterwards, {@code hg verify}, and the locks.
 */
class PushKeyTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void requireHg() {
    Hg.require();
  }

  private Path copy(String name) throws IOException {
    return TestRepos.richCopy(tmp.resolve(name), List.of());
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static PushKeys pushKeys(Path repo) {
    return new PushKeys(HgRepository.open(repo), Duration.ofSeconds(5), "served");
  }

  private static String nodeOf(Path repo, String rev) {
    return TestRepos.hg(repo, List.of(), "log", "--hidden", "-r", rev, "-T", "{node}").trim();
  }

  @Test
  void bookmarkCreateMoveDeleteAsMercurialSeesIt() throws IOException {
    Path repo = copy("bm");
    PushKeys pk = pushKeys(repo);
    String n2 = nodeOf(repo, "2");
    String n3 = nodeOf(repo, "3");
    assertTrue(pk.pushBookmark(b("new"), ByteString.EMPTY, b(n2)));
    assertTrue(TestRepos.hg(repo, List.of(), "bookmarks", "-T", "{bookmark} {node}\\n").contains("new " + n2 + "\n"));
    assertFalse(pk.pushBookmark(b("new"), b(n3), b(n3)), "wrong old value");
    assertTrue(pk.pushBookmark(b("new"), b(n2), b(n3)));
    assertTrue(pk.pushBookmark(b("new"), b(n2), b(n3)), "already at the new value counts as done");
    assertEquals(n3, nodeOf(repo, "new"));
    assertTrue(pk.pushBookmark(b("new"), b(n3), ByteString.EMPTY));
    assertFalse(TestRepos.hg(repo, List.of(), "bookmarks", "-T", "{bookmark}\\n").contains("new\n"));
    Hg.run(repo, "verify", "-q");
  }

  @Test
  void bookmarkRefusesChangesetsTheServedViewHides() throws IOException {
    Path repo = copy("secret");
    String secret = nodeOf(repo, "secret()");
    String unknown = "1234567890123456789012345678901234567890";
    PushKeys pk = pushKeys(repo);
    assertFalse(pk.pushBookmark(b("s"), ByteString.EMPTY, b(secret.split("\n")[0])));
    assertFalse(pk.pushBookmark(b("s"), ByteString.EMPTY, b(unknown)));
    assertFalse(pk.pushBookmark(b("s"), ByteString.EMPTY, b("not a node")));
    assertTrue(pk.pushBookmark(b("null"), ByteString.EMPTY, b("0".repeat(40))), "the null node is in every view");
  }

  @Test
  void deletingAMissingBookmarkFailsAsTheReference() throws IOException {
    Path repo = copy("missing");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> pushKeys(repo).pushBookmark(b("nope"), ByteString.EMPTY, ByteString.EMPTY));
    assertEquals("'nope'", e.getMessage());
  }

  @Test
  void phasesMoveAsHgPhaseDoes() throws IOException {
    for (String[] move : new String[][] {{"public", "0", "1", "9"}, {"draft", "1", "2", "15"},
        {"public", "0", "2", "15"}}) {
      Path ours = copy("ours-" + move[0] + move[3]);
      Path theirs = copy("theirs-" + move[0] + move[3]);
      String node = nodeOf(ours, move[3]);
      assertTrue(pushKeys(ours).pushPhase(b(node), b(move[2]), b(move[1])), String.join(" ", move));
      TestRepos.hg(theirs, List.of(), "phase", "--hidden", "--force", "--" + move[0], "-r", move[3]);
      String expected = TestRepos.hg(theirs, List.of(), "log", "--hidden", "-T", "{rev} {phase}\\n");
      assertEquals(expected, TestRepos.hg(ours, List.of(), "log", "--hidden", "-T", "{rev} {phase}\\n"),
          String.join(" ", move));
      Hg.run(ours, "verify", "-q");
    }
  }

  @Test
  void phaseAnswersForStaleOrRacedValues() throws IOException {
    Path repo = copy("phase-answers");
    PushKeys pk = pushKeys(repo);
    String draft = nodeOf(repo, "9");
    String pub = nodeOf(repo, "0");
    assertFalse(pk.pushPhase(b(draft), b("2"), b("0")), "the old phase is not the current one");
    assertTrue(pk.pushPhase(b(pub), b("1"), b("0")), "already public: raced, but the result is right");
    assertFalse(pk.pushPhase(b(pub), b("0"), b("1")), "phases only move down");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pk.pushPhase(b(draft), b("1"), b("x")));
    assertEquals("invalid literal for int() with base 10: 'x'", e.getMessage());
    LookupFailure l = assertThrows(LookupFailure.class, () -> pk.pushPhase(b("f".repeat(39) + "e"), b("1"), b("0")));
    assertEquals("unknown revision '" + "f".repeat(39) + "e'", l.getMessage());
  }

  @Test
  void aLiveLockHolderMakesPushWaitThenTimeOut() throws IOException {
    Path repo = copy("locked");
    Path wlock = repo.resolve(".hg/wlock");
    // PID 1 is alive on this host, so the lock is not stale.
    Files.createSymbolicLink(wlock, Path.of(HgLock.lockInfo().replaceAll(":\\d+$", ":1")));
    PushKeys pk = new PushKeys(HgRepository.open(repo), Duration.ofMillis(300), "served");
    long t0 = System.nanoTime();
    LockTimeoutException e = assertThrows(LockTimeoutException.class,
        () -> pk.pushBookmark(b("x"), ByteString.EMPTY, b(nodeOf(repo, "0"))));
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos());
    assertTrue(e.getMessage().contains("timed out waiting for lock held by"), e.getMessage());
    assertTrue(Files.isSymbolicLink(wlock), "someone else's lock is left alone");
  }

  @Test
  void aLockOfADeadProcessIsBroken() throws Exception {
    Path repo = copy("stale");
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path lock = repo.resolve(".hg/store/lock");
    Files.createSymbolicLink(lock, Path.of(HgLock.lockInfo().replaceAll(":\\d+$", ":" + dead.pid())));
    assertTrue(pushKeys(repo).pushPhase(b(nodeOf(repo, "9")), b("1"), b("0")));
    assertFalse(Files.exists(lock, java.nio.file.LinkOption.NOFOLLOW_LINKS), "released after use");
    assertEquals("public", TestRepos.hg(repo, List.of(), "log", "-r", "9", "-T", "{phase}"));
  }

  @Test
  void concurrentPushesLoseNothing() throws Exception {
    Path repo = copy("concurrent");
    PushKeys pk = pushKeys(repo);
    String n = nodeOf(repo, "0");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String name = "c" + i;
        results.add(pool.submit(() -> pk.pushBookmark(b(name), ByteString.EMPTY, b(n))));
      }
      for (Future<Boolean> f : results) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    RepoState state = HgRepository.open(repo).snapshot();
    for (int i = 0; i < 24; i++) {
      assertEquals(n, state.bookmarks().get(b("c" + i)).hex());
    }
    String listed = TestRepos.hg(repo, List.of(), "bookmarks", "-T", "{bookmark}\\n");
    for (int i = 0; i < 24; i++) {
      assertTrue(listed.contains("c" + i + "\n"));
    }
  }

  @Test
  void waitsForMercurialHoldingTheLock() throws Exception {
    Path repo = copy("hg-holds");
    // 'hg debuglocks --set-wlock' takes the lock and, not interactive, holds it until SIGINT.
    ProcessBuilder pb = new ProcessBuilder("hg", "debuglocks", "--set-wlock").directory(repo.toFile());
    pb.environment().put("HGRCPATH", "");
    pb.redirectErrorStream(true);
    Process hg = pb.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.exists(repo.resolve(".hg/wlock"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        assertTrue(System.nanoTime() < deadline, "hg did not take the lock");
        Thread.sleep(20);
      }
      Thread releaser = new Thread(() -> {
        try {
          Thread.sleep(500);
          new ProcessBuilder("kill", "-INT", Long.toString(hg.pid())).start().waitFor();
          // On a loaded machine hg may take a while to act on SIGINT; SIGTERM also makes it release.
          if (!hg.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            hg.destroy();
          }
        } catch (Exception e) {
          hg.destroy();
        }
      });
      releaser.start();
      long t0 = System.nanoTime();
      assertTrue(new PushKeys(HgRepository.open(repo), Duration.ofSeconds(30), "served")
          .pushBookmark(b("after"), ByteString.EMPTY, b(nodeOf(repo, "0"))));
      assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(400).toNanos(), "waited for hg");
      releaser.join();
    } finally {
      hg.destroy();
      hg.waitFor();
    }
    assertTrue(TestRepos.hg(repo, List.of(), "bookmarks", "-T", "{bookmark}\\n").contains("after\n"));
  }
}
