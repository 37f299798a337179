package org.hgrpc.repository.write;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.model.Bookmarks;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.hgrpc.repository.view.LookupFailure;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.view.RepoView;

/**
 * {@code pushkey} for the {@code bookmarks} and {@code phases} namespaces, as Mercurial's
 * {@code bookmarks.pushbookmark} and {@code phases.pushphase}: under Mercurial's locks
 * ({@code wlock} then the store {@code lock} for bookmarks, the store lock for phases), the
 * current value is read afresh, checked against the expected old value, and the file is
 * replaced atomically.
 *
 * <p>Crash consistency: a server killed mid-write ({@code kill -9}, a lost container) leaves
 * at worst a lock naming a dead process and a temporary {@code .bookmarks-<random>~} or
 * {@code .phaseroots-<random>~}; the bookmarks and phase roots themselves are the old or the
 * new file, never a torn one. The dead process's lock is broken by the next taker, as
 * Mercurial's {@code lock.py} does; the temporary files are removed under the lock that guards
 * them, at the next write of that file and by {@link #cleanUpAfterCrash()} at server start.
 */
public final class PushKeys {
  private final HgRepository repo;
  private final Duration lockTimeout;
  private final String viewName;

  /**
   * Pushkey for {@code repo}.
   *
   * @param lockTimeout how long to wait for a lock held by another process
   * @param viewName the view whose changesets a bookmark may point to ({@code served})
   */
  public PushKeys(HgRepository repo, Duration lockTimeout, String viewName) {
    this.repo = repo;
    this.lockTimeout = lockTimeout;
    this.viewName = viewName;
  }

  /**
   * Moves, creates or deletes (empty {@code newValue}) bookmark {@code key}, if its current
   * value (hex, empty when absent) is {@code old} or already {@code newValue}.
   *
   * @return whether the bookmark now has the new value; false when it had another value or
   *     the new value names no changeset of the view
   */
  @SuppressWarnings("try") // the locks are held for the block, not used in it
  public boolean pushBookmark(ByteString key, ByteString old, ByteString newValue) {
    String where = "working directory of " + repo.root();
    try (HgLock wlock = HgLock.acquire(repo.root().resolve(".hg").resolve("wlock"), lockTimeout, where);
        HgLock lock = HgLock.acquire(storeLock(), lockTimeout, "repository " + repo.root())) {
      RepoState state = repo.snapshot();
      // Safe now: whoever else writes the bookmarks (Mercurial included) holds the wlock.
      AtomicFiles.removeLeftovers(state.paths().bookmarks());
      Bookmarks marks = state.bookmarks();
      ByteString current = marks.get(key);
      ByteString existing = current == null ? ByteString.EMPTY : ByteString.latin1(current.hex());
      if (!existing.equals(old) && !existing.equals(newValue)) {
        return false;
      }
      Bookmarks updated;
      if (newValue.isEmpty()) {
        if (current == null) {
          // Mercurial deletes with 'del marks[key]', so a missing bookmark is a KeyError.
          throw new IllegalStateException(PythonText.repr(key));
        }
        updated = marks.with(key, null);
      } else {
        ByteString node = resolveForBookmark(state.view(viewName), newValue);
        if (node == null) {
          return false;
        }
        updated = marks.with(key, node);
      }
      AtomicFiles.write(state.paths().bookmarks(), updated.serialize(), true);
      return true;
    }
  }

  /**
   * Moves changeset {@code nodeHex} (and its ancestors) from phase {@code old} to the lower
   * phase {@code newValue}; a changeset already in the new phase counts as success.
   *
   * @throws LookupFailure if {@code nodeHex} names no changeset
   * @throws IllegalArgumentException if a phase is not an integer (Python's message)
   */
  @SuppressWarnings("try") // the lock is held for the block, not used in it
  public boolean pushPhase(ByteString nodeHex, ByteString old, ByteString newValue) {
    try (HgLock lock = HgLock.acquire(storeLock(), lockTimeout, "repository " + repo.root())) {
      RepoState state = repo.snapshot();
      // Safe now: the phase roots are written under the store lock (Mercurial's transactions too).
      AtomicFiles.removeLeftovers(state.paths().phaseroots());
      RevlogIndex cl = state.changelog().index();
      int rev = resolveUnfiltered(state, nodeHex);
      int currentPhase = state.phases().phase(rev);
      BigInteger newPhase = PythonText.parseInt(newValue).abs();
      BigInteger oldPhase = PythonText.parseInt(old).abs();
      BigInteger current = BigInteger.valueOf(currentPhase);
      if (current.equals(oldPhase) && newPhase.compareTo(oldPhase) < 0) {
        Phases moved = PhaseMoves.advance(state.phases(), cl, newPhase.intValueExact(), List.of(cl.nodeOrNull(rev)));
        if (!moved.allRoots().equals(state.phases().allRoots())) {
          AtomicFiles.write(state.paths().phaseroots(), moved.serialize(), true);
        }
        return true;
      }
      return current.equals(newPhase);
    }
  }

  /**
   * At server start: breaks the locks of dead processes of this host and removes the
   * temporary files of writes that never finished, if no live process holds the locks. It
   * does not wait: a lock held by a live process (another replica, a running {@code hg})
   * means writes may be under way, and their temporary files must stay; the next write under
   * that lock removes any leftovers instead.
   *
   * @return the files removed, or empty when a live process holds {@code wlock} or the store
   *     {@code lock}
   */
  @SuppressWarnings("try") // the locks are held for the block, not used in it
  public Optional<List<java.nio.file.Path>> cleanUpAfterCrash() {
    String where = "working directory of " + repo.root();
    try (HgLock wlock = HgLock.acquire(repo.root().resolve(".hg").resolve("wlock"), Duration.ZERO, where);
        HgLock lock = HgLock.acquire(storeLock(), Duration.ZERO, "repository " + repo.root())) {
      RepoState state = repo.snapshot();
      List<java.nio.file.Path> removed = new java.util.ArrayList<>(AtomicFiles.removeLeftovers(state.paths().bookmarks()));
      removed.addAll(AtomicFiles.removeLeftovers(state.paths().phaseroots()));
      return Optional.of(removed);
    } catch (LockTimeoutException e) {
      return Optional.empty();
    }
  }

  private java.nio.file.Path storeLock() {
    return repo.snapshot().paths().storeLock();
  }

  /**
   * What {@code new in repo} and {@code repo[new]} accept in the reference: {@code null},
   * {@code tip}, {@code .}, a 40-digit hex node or a 20-byte binary node of the view.
   */
  private static ByteString resolveForBookmark(RepoView view, ByteString value) {
    String s = value.toString(StandardCharsets.ISO_8859_1);
    switch (s) {
      case "null":
        return Nodes.NULL;
      case "tip":
        return view.node(view.tipRev());
      case ".":
        return view.state().dirstate().p1();
      default:
        break;
    }
    ByteString node = null;
    if (value.size() == Nodes.LENGTH) {
      node = value;
    } else if (value.size() == 40) {
      byte[] b = Nodes.unhex(s);
      node = b == null ? null : ByteString.wrap(b);
    }
    if (node == null || s.equalsIgnoreCase(Nodes.WDIR_HEX)) {
      return null;
    }
    return view.hasNode(node) ? node : null;
  }

  /** {@code repo.unfiltered()[nhex].rev()}: a full hex (or binary) node, {@code null}, {@code tip}. */
  private static int resolveUnfiltered(RepoState state, ByteString value) {
    RevlogIndex cl = state.changelog().index();
    String s = value.toString(StandardCharsets.ISO_8859_1);
    Integer rev = null;
    if (s.equals("null")) {
      rev = Nodes.NULL_REV;
    } else if (s.equals("tip")) {
      rev = cl.count() - 1;
    } else if (value.size() == Nodes.LENGTH) {
      rev = cl.rev(value);
    } else if (value.size() == 40) {
      byte[] b = Nodes.unhex(s);
      rev = b == null ? null : cl.rev(ByteString.wrap(b));
    }
    if (rev == null) {
      throw new LookupFailure("unknown revision '" + value.utf8() + "'");
    }
    return rev;
  }

  /** Thrown for a pushkey namespace that cannot be written here. */
  public static RepositoryException unsupported(String namespace) {
    return new RepositoryException("pushkey to the '" + namespace + "' namespace is not supported by this server");
  }
}
