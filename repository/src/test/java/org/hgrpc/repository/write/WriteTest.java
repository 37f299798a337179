package org.hgrpc.repository.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteTest {
  @TempDir
  Path dir;

  @Test
  void lockInfoIsHostAndPidAsMercurialWritesIt() {
    String info = HgLock.lockInfo();
    assertTrue(info.endsWith(":" + ProcessHandle.current().pid()), info);
    if (Files.exists(Path.of("/proc/self/ns/pid"))) {
      assertTrue(info.matches("[^:]+/[0-9a-f]+:\\d+"), "Linux adds the PID namespace: " + info);
    }
    assertFalse(HgLock.isStale(info), "our own lock is alive");
    assertFalse(HgLock.isStale("otherhost:1"), "another host's lock is never broken");
    assertFalse(HgLock.isStale("garbage"));
  }

  @Test
  void lockIsASymlinkReleasedOnClose() {
    Path lock = dir.resolve("lock");
    try (HgLock l = HgLock.acquire(lock, Duration.ofSeconds(1), "test")) {
      assertTrue(Files.isSymbolicLink(lock));
      assertEquals(HgLock.lockInfo(), HgLock.readLocker(lock));
      assertThrows(LockTimeoutException.class, () -> HgLock.acquire(lock, Duration.ofMillis(100), "test"));
      assertEquals(l.file(), lock);
    }
    assertFalse(Files.exists(lock, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void atomicWriteReplacesAndAvoidsAmbiguousTimes() throws Exception {
    Path f = dir.resolve("bookmarks");
    AtomicFiles.write(f, "one\n".getBytes(), true);
    assertEquals("one\n", Files.readString(f));
    long mtime = Files.getLastModifiedTime(f).to(TimeUnit.SECONDS);
    AtomicFiles.write(f, "two\n".getBytes(), true);
    assertEquals("two\n", Files.readString(f));
    // Both writes happened within a second or two; when the change time did not move, the
    // modification time must have been advanced past the old one.
    FileTime ctime = (FileTime) Files.getAttribute(f, "unix:ctime");
    long newMtime = Files.getLastModifiedTime(f).to(TimeUnit.SECONDS);
    assertTrue(newMtime > mtime || ctime.to(TimeUnit.SECONDS) != mtime, "times are unambiguous");
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void pythonText() {
    assertEquals("'abc'", PythonText.repr(ByteString.latin1("abc")));
    assertEquals("\"it's\"", PythonText.repr(ByteString.latin1("it's")));
    assertEquals("'a\\nb\\x00\\\\'", PythonText.repr(ByteString.wrap(new byte[] {'a', '\n', 'b', 0, '\\'})));
    assertEquals(2, PythonText.parseInt(ByteString.latin1(" -2 ")).abs().intValue());
    assertEquals(1, PythonText.parseInt(ByteString.latin1("+1")).intValue());
    assertEquals("invalid literal for int() with base 10: ''",
        assertThrows(IllegalArgumentException.class, () -> PythonText.parseInt(ByteString.EMPTY)).getMessage());
  }
}
