package org.hgrpc.repository.write;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.hgrpc.repository.view.Graph;

/**
 * Moving phase boundaries as Mercurial's {@code phasecache.advanceboundary} (and the
 * {@code _retractboundary} it ends with): making revisions and their ancestors public (or
 * draft), and recomputing the roots of each higher phase.
 */
public final class PhaseMoves {
  private static final int[] MUTABLE_PHASES = {Phases.DRAFT, Phases.SECRET, Phases.ARCHIVED, Phases.INTERNAL};

  private PhaseMoves() {}

  /** The phases after setting {@code nodes} (and their ancestors) to at most {@code target}. */
  public static Phases advance(Phases phases, RevlogIndex cl, int target, List<ByteString> nodes) {
    Map<Integer, Set<ByteString>> roots = copy(phases.allRoots());
    Phases current = phases;
    List<ByteString> deleted = new ArrayList<>();
    List<ByteString> remaining = new ArrayList<>(nodes);
    for (int phase : MUTABLE_PHASES) {
      if (phase <= target) {
        continue;
      }
      Phases now = current;
      remaining.removeIf(n -> now.phase(cl.rev(n)) < phase);
      if (remaining.isEmpty()) {
        break;
      }
      Set<ByteString> olds = roots.getOrDefault(phase, Set.of());
      BitSet oldDescendants = Graph.descendants(cl, revs(cl, olds));
      BitSet affected = (BitSet) oldDescendants.clone();
      affected.and(Graph.ancestors(cl, revs(cl, remaining)));
      if (affected.isEmpty()) {
        continue;
      }
      BitSet rest = (BitSet) oldDescendants.clone();
      rest.andNot(affected);
      Set<ByteString> newRoots = nodes(cl, Graph.roots(cl, rest));
      if (!olds.equals(newRoots)) {
        roots.put(phase, newRoots);
        current = Phases.of(roots, cl);
        for (ByteString o : olds) {
          if (!newRoots.contains(o)) {
            deleted.add(o);
          }
        }
      }
    }
    if (target != Phases.PUBLIC) {
      current = retract(current, cl, target, deleted);
    }
    return current;
  }

  /** {@code _retractboundary}: makes {@code nodes} roots of {@code target} where they are below it. */
  static Phases retract(Phases phases, RevlogIndex cl, int target, List<ByteString> nodes) {
    Map<Integer, Set<ByteString>> roots = copy(phases.allRoots());
    Set<ByteString> oldRoots = roots.getOrDefault(target, Set.of());
    List<ByteString> newRoots = new ArrayList<>();
    for (ByteString n : nodes) {
      if (phases.phase(cl.rev(n)) < target) {
        newRoots.add(n);
      }
    }
    if (newRoots.isEmpty()) {
      return phases;
    }
    if (newRoots.contains(Nodes.NULL)) {
      throw new RepositoryException("cannot change null revision phase");
    }
    Set<ByteString> current = new TreeSet<>(oldRoots);
    current.addAll(newRoots);
    int minNew = Integer.MAX_VALUE;
    for (ByteString n : newRoots) {
      minNew = Math.min(minNew, cl.rev(n));
    }
    BitSet above = new BitSet();
    Set<ByteString> finalRoots = new TreeSet<>();
    for (ByteString n : current) {
      int r = cl.rev(n);
      if (r >= minNew) {
        above.set(r);
      } else {
        finalRoots.add(n);
      }
    }
    finalRoots.addAll(nodes(cl, Graph.roots(cl, Graph.descendants(cl, above))));
    if (finalRoots.equals(oldRoots)) {
      return phases;
    }
    roots.put(target, finalRoots);
    return Phases.of(roots, cl);
  }

  private static Map<Integer, Set<ByteString>> copy(Map<Integer, Set<ByteString>> roots) {
    Map<Integer, Set<ByteString>> out = new TreeMap<>();
    roots.forEach((p, s) -> out.put(p, new TreeSet<>(s)));
    return out;
  }

  private static BitSet revs(RevlogIndex cl, Iterable<ByteString> nodes) {
    BitSet b = new BitSet();
    for (ByteString n : nodes) {
      int r = cl.rev(n);
      if (r >= 0) {
        b.set(r);
      }
    }
    return b;
  }

  private static Set<ByteString> nodes(RevlogIndex cl, BitSet revs) {
    Set<ByteString> out = new TreeSet<>();
    for (int r = revs.nextSetBit(0); r >= 0; r = revs.nextSetBit(r + 1)) {
      out.add(cl.node(r));
    }
    return out;
  }
}
