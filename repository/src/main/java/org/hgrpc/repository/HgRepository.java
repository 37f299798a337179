package org.hgrpc.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.hgrpc.repository.model.Bookmarks;
import org.hgrpc.repository.model.Changelog;
import org.hgrpc.repository.model.ObsStore;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.store.Requirements;
import org.hgrpc.repository.store.StorePaths;
import org.hgrpc.repository.view.RepoState;

/**
 * A Mercurial repository on disk. {@link #snapshot()} reads its current state; the state is
 * cached and read again only when one of the files it came from changes (a different file,
 * size or modification time: Mercurial replaces files by rename and appends to revlogs, so
 * either shows). Thread-safe.
 *
 * <pre>{@code
 * HgRepository repo = HgRepository.open(Path.of("/srv/hg/project"));
 * List<ByteString> heads = repo.snapshot().served().heads();
 * }</pre>
 */
public final class HgRepository {
  private final Path root;
  private Snapshot cached;

  private HgRepository(Path root) {
    this.root = root;
  }

  /**
   * Opens the repository whose working directory root (the directory holding {@code .hg}) is
   * {@code root}, checking its requirements.
   *
   * @throws RepositoryException if there is no repository there or it cannot be read
   */
  public static HgRepository open(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs.resolve(".hg"))) {
      throw new RepositoryException("repository " + root + " not found");
    }
    HgRepository repo = new HgRepository(abs);
    repo.snapshot();
    return repo;
  }

  /** Whether {@code dir} holds a repository ({@code dir/.hg} is a directory). */
  public static boolean isRepository(Path dir) {
    return Files.isDirectory(dir.resolve(".hg"));
  }

  /** The working directory root. */
  public Path root() {
    return root;
  }

  /**
   * The repository's current state.
   *
   * @throws RepositoryException if it cannot be read
   */
  public RepoState snapshot() {
    Path dotHg = root.resolve(".hg");
    List<FileSignature> sigRequires = signatures(dotHg.resolve("requires"), dotHg.resolve("store").resolve("requires"));
    Snapshot previous;
    synchronized (this) {
      previous = cached;
    }
    Requirements requirements;
    StorePaths paths;
    if (previous != null && previous.requiresSignature.equals(sigRequires)) {
      requirements = previous.state.requirements();
      paths = previous.state.paths();
    } else {
      requirements = Requirements.read(dotHg);
      paths = new StorePaths(root, requirements);
    }
    Path clIndex = paths.revlogIndex("00changelog");
    List<FileSignature> sigChangelog = signatures(clIndex);
    List<FileSignature> sigRest = signatures(paths.phaseroots(), paths.bookmarks(), paths.obsstore(),
        dotHg.resolve("dirstate"), dotHg.resolve("localtags"));
    if (previous != null && previous.requiresSignature.equals(sigRequires)
        && previous.changelogSignature.equals(sigChangelog) && previous.restSignature.equals(sigRest)) {
      return previous.state;
    }
    Changelog changelog;
    if (previous != null && previous.changelogSignature.equals(sigChangelog)
        && previous.requiresSignature.equals(sigRequires)) {
      changelog = previous.state.changelog();
    } else {
      changelog = new Changelog(Revlog.open(clIndex, paths.revlogData("00changelog")));
      if (previous != null) {
        changelog.inheritBranches(previous.state.changelog());
      }
    }
    Phases phases = Phases.read(paths.phaseroots(), changelog.index());
    Bookmarks bookmarks = Bookmarks.read(paths.bookmarks(), changelog.index());
    ObsStore obsstore = ObsStore.read(paths.obsstore());
    RepoState state = new RepoState(paths, requirements, changelog, phases, bookmarks, obsstore);
    synchronized (this) {
      cached = new Snapshot(sigRequires, sigChangelog, sigRest, state);
    }
    return state;
  }

  /** Forgets the cached state, so that the next {@link #snapshot()} reads everything again. */
  public synchronized void invalidate() {
    cached = null;
  }

  private record Snapshot(List<FileSignature> requiresSignature, List<FileSignature> changelogSignature,
      List<FileSignature> restSignature, RepoState state) {}

  /**
   * What shows that a file changed: its identity (device and inode: Mercurial replaces files
   * by rename), size (revlogs are appended to) and modification time in nanoseconds. Compared
   * as numbers: no text is made per request.
   */
  private record FileSignature(Object fileKey, long size, long modifiedNanos) {
    static final FileSignature ABSENT = new FileSignature(null, -1, Long.MIN_VALUE);
  }

  /** The signature of each file ({@link FileSignature#ABSENT} when missing): one stat each. */
  private static List<FileSignature> signatures(Path... files) {
    FileSignature[] out = new FileSignature[files.length];
    for (int i = 0; i < files.length; i++) {
      Path f = files[i];
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        out[i] = new FileSignature(a.fileKey(), a.size(),
            a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
      } catch (NoSuchFileException e) {
        out[i] = FileSignature.ABSENT;
      } catch (IOException e) {
        throw new RepositoryException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    return java.util.Arrays.asList(out);
  }
}
