package org.hgrpc.repository.data;

import java.util.BitSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * Emits revisions of one store as Mercurial's {@code storageutil.emitrevisions} does, one at a
 * time, reading each text only when it is asked for.
 *
 * <p>Revisions come in ascending revision order, whatever order they were asked in (a
 * revision asked twice comes twice). With revision data, each revision's base is chosen so:
 *
 * <ul>
 *   <li>if its stored chunk is a delta (it has a delta parent) and that parent was already
 *       emitted with data in this run, or {@code haveParents} is true and the delta parent is
 *       one of its parents, the base is the delta parent and the stored delta is sent as is;
 *   <li>otherwise the base is the previously emitted revision (for the first one, its first
 *       parent when {@code haveParents} is true) and a delta is computed, unless that base is
 *       the delta parent anyway, in which case the stored delta serves;
 *   <li>when the base would be null (the first revision without {@code haveParents}, or a
 *       first parent that is null) the full text is sent.
 * </ul>
 *
 * <p>Memory: at most the texts of the previous and the current revision are held.
 */
public final class RevisionEmitter implements Iterator<EmittedRevision>, AutoCloseable {
  private static final int NONE = -2;

  private final RevlogIndex index;
  private final Revlog.Reader reader;
  private final int[] revs;
  private final boolean revisionData;
  private final boolean haveParents;
  private final BitSet available = new BitSet();
  private int position;
  private int prevRev = NONE;
  private int cachedRev = NONE;
  private byte[] cachedText;

  /**
   * Emits {@code revs} (revision numbers of {@code revlog}; -1 entries are skipped, as in
   * Mercurial).
   *
   * @param revisionData whether to send texts or deltas
   * @param haveParents whether the receiver has the parents of the revisions asked for
   */
  public RevisionEmitter(Revlog revlog, Collection<Integer> revs, boolean revisionData, boolean haveParents) {
    this.index = revlog.index();
    this.reader = revlog.reader();
    this.revs = revs.stream().mapToInt(Integer::intValue).sorted().toArray();
    this.revisionData = revisionData;
    this.haveParents = haveParents;
    if (haveParents && this.revs.length > 0 && this.revs[0] >= 0) {
      prevRev = index.p1(this.revs[0]);
    }
    skipNull();
  }

  private void skipNull() {
    while (position < revs.length && revs[position] == Nodes.NULL_REV) {
      position++;
    }
  }

  /** Whether another revision follows; after the last, the data file is closed. */
  @Override
  public boolean hasNext() {
    if (position < revs.length) {
      return true;
    }
    close();
    return false;
  }

  @Override
  public EmittedRevision next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int rev = revs[position++];
    skipNull();
    int p1 = index.p1(rev);
    int p2 = index.p2(rev);
    int deltaParent = index.deltaParent(rev);
    int base;
    if (deltaParent != Nodes.NULL_REV && (available.get(deltaParent)
        || (haveParents && (deltaParent == p1 || deltaParent == p2)))) {
      base = deltaParent;
    } else if (prevRev != NONE) {
      base = prevRev;
    } else {
      base = Nodes.NULL_REV;
    }
    byte[] revision = null;
    byte[] delta = null;
    if (revisionData) {
      if (base == Nodes.NULL_REV) {
        revision = text(rev);
      } else if (base == deltaParent) {
        delta = reader.storedChunk(rev);
      } else {
        byte[] baseText = text(base);
        delta = BinaryDelta.diff(baseText, text(rev));
      }
      available.set(rev);
    }
    prevRev = rev;
    return new EmittedRevision(rev, index.node(rev), index.nodeOrNull(p1), index.nodeOrNull(p2), index.linkRev(rev),
        index.nodeOrNull(base), revision, delta);
  }

  /** The full text of {@code rev}, keeping the last one read for the next computed delta. */
  private byte[] text(int rev) {
    if (rev == cachedRev) {
      return cachedText;
    }
    byte[] t = reader.revision(rev);
    cachedRev = rev;
    cachedText = t;
    return t;
  }

  /** Closes the data file (it is opened again if more is read). */
  @Override
  public void close() {
    cachedText = null;
    cachedRev = NONE;
    reader.close();
  }
}
