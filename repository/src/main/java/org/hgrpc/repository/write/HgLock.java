package org.hgrpc.repository.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import org.hgrpc.repository.RepositoryException;

/**
 * A Mercurial lock ({@code lock.py}): a symbolic link (or, where links are not possible, a file
 * created exclusively) whose target is {@code host:pid}, the host part carrying the PID
 * namespace on Linux ({@code host/<ns inode hex>}) as Mercurial writes it. A lock held by a
 * dead process of this host is broken (under {@code <lock>.break}, as Mercurial does); a live
 * one is waited for until the timeout.
 */
public final class HgLock implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private static volatile String hostPrefix;

  private final Path file;
  private final String info;
  private boolean held = true;

  private HgLock(Path file, String info) {
    this.file = file;
    this.info = info;
  }

  /**
   * Takes the lock {@code file}, waiting up to {@code timeout} for another holder.
   *
   * @param description what the lock protects, for messages ({@code working directory of /repo})
   * @throws LockTimeoutException if it stays held by a live process
   */
  public static HgLock acquire(Path file, Duration timeout, String description) {
    String info = lockInfo();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (tryCreate(file, info)) {
        return new HgLock(file, info);
      }
      String locker = readLocker(file);
      if (locker == null) {
        continue;
      }
      if (isStale(locker) && breakStale(file, locker)) {
        continue;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new LockTimeoutException("timed out waiting for lock held by '" + locker + "' on " + description
            + " (" + file + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockTimeoutException("interrupted waiting for lock on " + description);
      }
    }
  }

  /** The content of a lock file this process writes: {@code host:pid}. */
  public static String lockInfo() {
    return hostPrefix() + ":" + ProcessHandle.current().pid();
  }

  /** Creates the lock, or returns false if it exists. */
  private static boolean tryCreate(Path file, String info) {
    try {
      Files.createSymbolicLink(file, Path.of(info));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      // No symbolic links here (Mercurial's fallback): a file created exclusively.
      try {
        Files.write(file, info.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e2) {
        return false;
      } catch (IOException e2) {
        throw new RepositoryException("cannot create lock " + file + ": " + e2.getMessage(), e2);
      }
    }
  }

  /** The holder written in the lock, or {@code null} if it has just gone. */
  static String readLocker(Path file) {
    try {
      if (Files.isSymbolicLink(file)) {
        return Files.readSymbolicLink(file).toString();
      }
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RepositoryException("cannot read lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code locker} names a process of this host (and PID namespace) that is gone. */
  static boolean isStale(String locker) {
    int colon = locker.indexOf(':');
    if (colon < 0 || !locker.substring(0, colon).equals(hostPrefix())) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(locker.substring(colon + 1).trim());
    } catch (NumberFormatException e) {
      return false;
    }
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  /**
   * Removes {@code file} if it still names the dead {@code locker}, under {@code <file>.break}
   * as Mercurial does, so that two breakers cannot both break it and one of them remove the
   * lock the other has just taken. A breaker killed while breaking leaves {@code .break}
   * behind; it is a lock like any other, broken in turn when its holder is dead.
   *
   * @return whether the lock was broken or is gone, so taking it is worth trying again now
   */
  private static boolean breakStale(Path file, String locker) {
    Path breaker = file.resolveSibling(file.getFileName() + ".break");
    if (!tryCreate(breaker, lockInfo())) {
      String breakerLocker = readLocker(breaker);
      if (breakerLocker == null) {
        return true;
      }
      if (isStale(breakerLocker)) {
        return breakStale(breaker, breakerLocker);
      }
      // A live process is breaking it: wait as for any held lock.
      return false;
    }
    try {
      if (locker.equals(readLocker(file))) {
        Files.deleteIfExists(file);
      }
      return true;
    } catch (IOException e) {
      throw new RepositoryException("cannot break stale lock " + file + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(breaker);
      } catch (IOException e) {
        // The next breaker will find it stale in turn.
      }
    }
  }

  /** Mercurial's lock host: the host name, plus {@code /<pid namespace inode in hex>} on Linux. */
  static String hostPrefix() {
    String p = hostPrefix;
    if (p == null) {
      String host = hostname();
      Path ns = Path.of("/proc/self/ns/pid");
      if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") && Files.exists(ns)) {
        try {
          Object ino = Files.getAttribute(ns, "unix:ino");
          host = host + "/" + Long.toHexString(((Number) ino).longValue());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
          // Without the namespace Mercurial writes the plain host name too.
        }
      }
      hostPrefix = p = host;
    }
    return p;
  }

  private static String hostname() {
    try {
      String h = new String(Files.readAllBytes(Path.of("/proc/sys/kernel/hostname")), StandardCharsets.UTF_8).trim();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException e) {
      // Not Linux: ask the JDK.
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock if this process still holds it. */
  @Override
  public void close() {
    if (!held) {
      return;
    }
    held = false;
    try {
      if (info.equals(readLocker(file))) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new RepositoryException("cannot release lock " + file + ": " + e.getMessage(), e);
    }
  }
}
