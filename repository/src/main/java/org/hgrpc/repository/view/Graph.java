package org.hgrpc.repository.view;

import java.util.BitSet;
import org.hgrpc.repository.revlog.RevlogIndex;

/** Set operations over the revision graph of a changelog, on {@link BitSet}s of revisions. */
public final class Graph {
  private Graph() {}

  /** {@code revs} and all their descendants ({@code revs::}). */
  public static BitSet descendants(RevlogIndex cl, BitSet revs) {
    BitSet out = (BitSet) revs.clone();
    int min = revs.nextSetBit(0);
    if (min < 0) {
      return out;
    }
    for (int r = min + 1; r < cl.count(); r++) {
      int p1 = cl.p1(r);
      int p2 = cl.p2(r);
      if ((p1 >= 0 && out.get(p1)) || (p2 >= 0 && out.get(p2))) {
        out.set(r);
      }
    }
    return out;
  }

  /** {@code revs} and all their ancestors ({@code ::revs}). */
  public static BitSet ancestors(RevlogIndex cl, BitSet revs) {
    BitSet out = (BitSet) revs.clone();
    for (int r = out.length() - 1; r >= 0; r = out.previousSetBit(r - 1)) {
      int p1 = cl.p1(r);
      int p2 = cl.p2(r);
      if (p1 >= 0) {
        out.set(p1);
      }
      if (p2 >= 0) {
        out.set(p2);
      }
    }
    return out;
  }

  /** The members of {@code revs} none of whose parents is in {@code revs} ({@code roots(revs)}). */
  public static BitSet roots(RevlogIndex cl, BitSet revs) {
    BitSet out = new BitSet();
    for (int r = revs.nextSetBit(0); r >= 0; r = revs.nextSetBit(r + 1)) {
      int p1 = cl.p1(r);
      int p2 = cl.p2(r);
      if ((p1 < 0 || !revs.get(p1)) && (p2 < 0 || !revs.get(p2))) {
        out.set(r);
      }
    }
    return out;
  }
}
