package org.hgrpc.repository.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hgrpc.repository.RepositoryException;

/**
 * Replaces small files atomically, as Mercurial's {@code atomictemp} files: the content goes
 * to a temporary file beside the target, is flushed to disk, then renamed over it, so a reader
 * sees the old file or the new one, never a torn one. With {@code checkambig}, as Mercurial, a
 * replacement that keeps the old change time (same second) gets its modification time advanced
 * by a second, so that caches keyed on file times notice it.
 *
 * <p>The temporary file is named as Mercurial names its own ({@code util.mktempcopy}):
 * {@code .<name>-<random>~} beside the target, e.g. {@code .hg/.bookmarks-8412764~}. A process
 * killed between creating and renaming it leaves it behind; Mercurial's commands ignore such
 * files, and {@link #removeLeftovers} deletes them once it is safe to.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to {@code target} atomically. */
  public static void write(Path target, byte[] content, boolean checkAmbig) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Stat old = Stat.of(target);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", "~");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      copyPermissions(target, tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new RepositoryException("cannot replace " + target + " atomically on this file system", e);
      }
      tmp = null;
      if (checkAmbig && old != null) {
        Stat now = Stat.of(target);
        if (now != null && now.ctimeSeconds == old.ctimeSeconds) {
          long advanced = (old.mtimeSeconds + 1) & 0x7fffffffL;
          Files.setLastModifiedTime(target, FileTime.from(advanced, TimeUnit.SECONDS));
        }
      }
    } catch (IOException e) {
      throw new RepositoryException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // Left behind; Mercurial ignores such temporary files.
        }
      }
    }
  }

  /**
   * The temporary files of replacements of {@code target} that never finished: every
   * {@code .<name>-<random>~} beside it, ours or Mercurial's.
   */
  public static List<Path> leftovers(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName() + "-";
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> isTemporaryName(p.getFileName().toString(), prefix))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new RepositoryException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the {@link #leftovers} of {@code target}. Call it only while holding the lock that
   * guards writes of {@code target} (Mercurial's {@code wlock} for {@code .hg/bookmarks}, the
   * store {@code lock} for {@code .hg/store/phaseroots}): a live writer's temporary file has
   * the same name shape, and only the lock says that no live writer exists.
   *
   * @return the files deleted
   */
  public static List<Path> removeLeftovers(Path target) {
    List<Path> removed = new ArrayList<>();
    for (Path p : leftovers(target)) {
      try {
        if (Files.deleteIfExists(p)) {
          removed.add(p);
        }
      } catch (IOException e) {
        throw new RepositoryException("cannot remove leftover temporary file " + p + ": " + e.getMessage(), e);
      }
    }
    return removed;
  }

  /** {@code .<name>-<random>~}: Files.createTempFile's digits or Python's mkstemp letters. */
  private static boolean isTemporaryName(String name, String prefix) {
    if (!name.startsWith(prefix) || !name.endsWith("~") || name.length() <= prefix.length() + 1) {
      return false;
    }
    for (int i = prefix.length(); i < name.length() - 1; i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static void copyPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
    PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (src == null || dst == null) {
      return;
    }
    Set<PosixFilePermission> perms;
    try {
      perms = src.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      // A new file: the permissions of a plain new file (umask), as Mercurial's.
      perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    }
    dst.setPermissions(perms);
  }

  /** The times Mercurial's {@code filestat} compares, in whole seconds. */
  private record Stat(long ctimeSeconds, long mtimeSeconds) {
    static Stat of(Path p) throws IOException {
      try {
        FileTime ctime;
        try {
          ctime = (FileTime) Files.getAttribute(p, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
          ctime = Files.getLastModifiedTime(p);
        }
        return new Stat(ctime.to(TimeUnit.SECONDS), Files.getLastModifiedTime(p).to(TimeUnit.SECONDS));
      } catch (NoSuchFileException e) {
        return null;
      }
    }
  }
}
