package org.hgrpc.repository.model;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * The changelog: the revlog of changesets, with each revision's branch and whether it closes
 * it (what Mercurial's {@code revbranchcache} holds). Branch information is read once for all
 * revisions, on first use, and carried over to the next changelog when the file only grew.
 */
public final class Changelog {
  private final Revlog revlog;
  private ByteString[] branches;
  private BitSet closes;

  /** A changelog over {@code revlog}. */
  public Changelog(Revlog revlog) {
    this.revlog = revlog;
  }

  /** The underlying revlog. */
  public Revlog revlog() {
    return revlog;
  }

  /** The index. */
  public RevlogIndex index() {
    return revlog.index();
  }

  /** Number of changesets. */
  public int count() {
    return revlog.index().count();
  }

  /** The parsed changeset {@code rev}. */
  public ChangelogEntry entry(int rev) {
    return ChangelogEntry.parse(revlog.revision(rev), "revision " + rev + " of 00changelog.i");
  }

  /** The branch of {@code rev}. */
  public ByteString branch(int rev) {
    loadBranches();
    return branches[rev];
  }

  /** Whether {@code rev} closes its branch. */
  public boolean closesBranch(int rev) {
    loadBranches();
    return closes.get(rev);
  }

  /**
   * Reuses the branch information of {@code previous} for the revisions both share (same node
   * at the last shared revision, which pins all earlier ones through the hashes).
   */
  public void inheritBranches(Changelog previous) {
    if (previous == null) {
      return;
    }
    synchronized (previous) {
      if (previous.branches == null) {
        return;
      }
      int shared = Math.min(previous.count(), count());
      if (shared == 0 || !previous.index().node(shared - 1).equals(index().node(shared - 1))) {
        return;
      }
      synchronized (this) {
        if (branches != null) {
          return;
        }
        ByteString[] b = new ByteString[count()];
        System.arraycopy(previous.branches, 0, b, 0, shared);
        BitSet c = previous.closes.get(0, shared);
        fill(b, c, shared);
        closes = c;
        branches = b;
      }
    }
  }

  private synchronized void loadBranches() {
    if (branches != null) {
      return;
    }
    ByteString[] b = new ByteString[count()];
    BitSet c = new BitSet();
    fill(b, c, 0);
    closes = c;
    branches = b;
  }

  private void fill(ByteString[] b, BitSet c, int from) {
    Map<ByteString, ByteString> interned = new HashMap<>();
    for (int r = 0; r < from; r++) {
      interned.putIfAbsent(b[r], b[r]);
    }
    try (Revlog.Reader reader = revlog.reader()) {
      for (int r = from; r < b.length; r++) {
        ChangelogEntry e = ChangelogEntry.parse(reader.revision(r), "revision " + r + " of 00changelog.i");
        b[r] = interned.computeIfAbsent(e.branch(), k -> k);
        if (e.closesBranch()) {
          c.set(r);
        }
      }
    }
  }
}
