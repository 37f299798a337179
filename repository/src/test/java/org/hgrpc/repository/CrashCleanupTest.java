package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.write.AtomicFiles;
import org.hgrpc.repository.write.HgLock;
import org.hgrpc.repository.write.PushKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer killed mid-write leaves (a lock naming a dead process, a lock breaker, a
 * temporary {@code .<file>-<random>~}) is removed when that is safe: under the lock that
 * guards it, at the next write or at start, and never while a live process holds that lock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrashCleanupTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void requireHg() {
    Hg.require();
  }

  private Path copy(String name) throws IOException {
    return TestRepos.richCopy(tmp.resolve(name), List.of());
  }

  private static PushKeys pushKeys(Path repo) {
    return new PushKeys(HgRepository.open(repo), Duration.ofSeconds(5), "served");
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static String nodeOf(Path repo, String rev) {
    return TestRepos.hg(repo, List.of(), "log", "--hidden", "-r", rev, "-T", "{node}").trim();
  }

  /** A lock as a process of this host that has exited left it. */
  private static void deadLock(Path file) throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Files.createSymbolicLink(file, Path.of(HgLock.lockInfo().replaceAll(":\\d+$", ":" + dead.pid())));
  }

  private static Path touch(Path file) throws IOException {
    Files.write(file, "torn".getBytes());
    return file;
  }

  @Test
  void temporaryFilesAreNamedAsMercurialNamesItsOwnAndOnlyThoseAreLeftovers() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("names"));
    Path target = dir.resolve("bookmarks");
    touch(dir.resolve(".bookmarks-1234567~"));     // ours (Files.createTempFile)
    touch(dir.resolve(".bookmarks-k2_xQz9a~"));    // Mercurial's (mkstemp)
    touch(dir.resolve(".bookmarks-1.2~"));         // not a temporary name
    touch(dir.resolve(".bookmarks.current-123~")); // another file's
    touch(dir.resolve("bookmarks-123~"));          // not hidden
    AtomicFiles.write(target, "new".getBytes(), false);
    assertEquals(List.of(dir.resolve(".bookmarks-1234567~"), dir.resolve(".bookmarks-k2_xQz9a~")),
        AtomicFiles.leftovers(target), "a finished write leaves nothing of its own");
  }

  @Test
  void theNextWriteRemovesLeftoversOfTheFileItsLockGuards() throws Exception {
    Path repo = copy("next-write");
    Path bookmarksTemp = touch(repo.resolve(".hg/.bookmarks-8412764~"));
    Path phaserootsTemp = touch(repo.resolve(".hg/store/.phaseroots-a1b2c3~"));
    PushKeys pk = pushKeys(repo);
    assertTrue(pk.pushBookmark(b("after-crash"), ByteString.EMPTY, b(nodeOf(repo, "0"))));
    assertFalse(Files.exists(bookmarksTemp), "removed under wlock and lock");
    assertTrue(Files.exists(phaserootsTemp), "a bookmark write does not touch the store's files");
    assertTrue(pk.pushPhase(b(nodeOf(repo, "9")), b("1"), b("0")));
    assertFalse(Files.exists(phaserootsTemp), "removed under the store lock");
    Hg.run(repo, "verify");
  }

  @Test
  void atStartDeadLocksAreBrokenAndLeftoversRemoved() throws Exception {
    Path repo = copy("start");
    deadLock(repo.resolve(".hg/wlock"));
    deadLock(repo.resolve(".hg/store/lock"));
    Path bookmarksTemp = touch(repo.resolve(".hg/.bookmarks-1~"));
    Path phaserootsTemp = touch(repo.resolve(".hg/store/.phaseroots-2~"));
    Optional<List<Path>> removed = pushKeys(repo).cleanUpAfterCrash();
    assertEquals(Optional.of(List.of(bookmarksTemp.toAbsolutePath(), phaserootsTemp.toAbsolutePath())),
        removed.map(l -> l.stream().map(Path::toAbsolutePath).toList()));
    for (String lock : List.of(".hg/wlock", ".hg/store/lock")) {
      assertFalse(Files.exists(repo.resolve(lock), LinkOption.NOFOLLOW_LINKS), lock + " left");
    }
  }

  @Test
  void atStartALiveHoldersFilesAreLeftAlone() throws Exception {
    Path repo = copy("live");
    // PID 1 is alive on this host: a writer that may be writing its temporary file right now.
    Files.createSymbolicLink(repo.resolve(".hg/wlock"), Path.of(HgLock.lockInfo().replaceAll(":\\d+$", ":1")));
    Path bookmarksTemp = touch(repo.resolve(".hg/.bookmarks-77~"));
    assertEquals(Optional.empty(), pushKeys(repo).cleanUpAfterCrash());
    assertTrue(Files.exists(bookmarksTemp));
    assertTrue(Files.isSymbolicLink(repo.resolve(".hg/wlock")));
    assertFalse(Files.exists(repo.resolve(".hg/store/lock"), LinkOption.NOFOLLOW_LINKS), "nothing else taken");
  }

  /** Before, a dead breaker made every taker spin forever without reaching its timeout. */
  @Test
  void aBreakerKilledWhileBreakingIsBrokenInTurn() throws Exception {
    Path repo = copy("breaker");
    deadLock(repo.resolve(".hg/store/lock"));
    deadLock(repo.resolve(".hg/store/lock.break"));
    assertTrue(pushKeys(repo).pushPhase(b(nodeOf(repo, "9")), b("1"), b("0")));
    for (String left : List.of("lock", "lock.break", "lock.break.break")) {
      assertFalse(Files.exists(repo.resolve(".hg/store").resolve(left), LinkOption.NOFOLLOW_LINKS), left);
    }
  }
}
