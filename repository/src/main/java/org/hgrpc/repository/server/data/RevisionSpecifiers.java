package org.hgrpc.repository.server.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * The {@code revisions} argument of {@code changesetdata} and {@code filesdata}
 * ({@code resolvenodes}): a list of specifiers, each a map with a {@code type}:
 *
 * <ul>
 *   <li>{@code changesetexplicit}: {@code nodes}, taken as they are (even unknown ones);
 *   <li>{@code changesetexplicitdepth}: {@code nodes} and their ancestors up to
 *       {@code depth - 1} generations back, by ascending revision;
 *   <li>{@code changesetdagrange}: ancestors of {@code heads} that are not ancestors of the
 *       known {@code roots}, by ascending revision.
 * </ul>
 *
 * The nodes of all specifiers are concatenated without duplicates, first occurrence first.
 */
final class RevisionSpecifiers {
  private static final ByteString TYPE = DataArgs.b("type");
  private static final ByteString NODES = DataArgs.b("nodes");
  private static final ByteString DEPTH = DataArgs.b("depth");
  private static final ByteString ROOTS = DataArgs.b("roots");
  private static final ByteString HEADS = DataArgs.b("heads");

  private RevisionSpecifiers() {}

  /**
   * The nodes {@code revisions} names in the served changelog.
   *
   * @throws CommandError for a malformed specifier (the reference's messages)
   * @throws org.hgrpc.repository.RepositoryException for a head or depth node the served
   *     changelog lacks (a server error in the reference)
   */
  static List<ByteString> resolve(ServedChangelog cl, Object revisions) {
    if (!(revisions instanceof List)) {
      throw new CommandError("revisions must be defined as an array");
    }
    Set<ByteString> nodes = new LinkedHashSet<>();
    for (Object s : (List<?>) revisions) {
      Map<?, ?> spec = s instanceof Map ? (Map<?, ?>) s : Map.of();
      if (!spec.containsKey(TYPE)) {
        throw new CommandError("type key not present in revision specifier");
      }
      Object type = spec.get(TYPE);
      if (DataArgs.b("changesetexplicit").equals(type)) {
        if (!spec.containsKey(NODES)) {
          throw new CommandError("nodes key not present in changesetexplicit revision specifier");
        }
        nodes.addAll(nodeList(spec.get(NODES), "nodes"));
      } else if (DataArgs.b("changesetexplicitdepth").equals(type)) {
        requireKeys(spec, "changesetexplicitdepth", NODES, DEPTH);
        Object depth = spec.get(DEPTH);
        if (!(depth instanceof Long)) {
          throw new CommandError(DataArgs.b("depth in changesetexplicitdepth revision specifier must be an integer, "
              + "not %s"), List.of(DataArgs.describe(depth)));
        }
        if ((Long) depth < 1) {
          throw new CommandError(DataArgs.b("depth in changesetexplicitdepth revision specifier must be at least 1, "
              + "not %s"), List.of(DataArgs.b(depth.toString())));
        }
        List<Integer> start = new ArrayList<>();
        for (ByteString n : nodeList(spec.get(NODES), "nodes")) {
          start.add(cl.rev(n));
        }
        RevlogIndex index = cl.view().changelog().index();
        BitSet found = ancestorsWithin(index, start, (Long) depth - 1);
        for (int r = found.nextSetBit(0); r >= 0; r = found.nextSetBit(r + 1)) {
          nodes.add(index.node(r));
        }
      } else if (DataArgs.b("changesetdagrange").equals(type)) {
        requireKeys(spec, "changesetdagrange", ROOTS, HEADS);
        List<ByteString> heads = nodeList(spec.get(HEADS), "heads");
        if (heads.isEmpty()) {
          throw new CommandError("heads key in changesetdagrange cannot be empty");
        }
        List<Integer> common = new ArrayList<>();
        for (ByteString n : nodeList(spec.get(ROOTS), "roots")) {
          if (cl.has(n)) {
            common.add(cl.rev(n));
          }
        }
        List<Integer> headRevs = new ArrayList<>();
        for (ByteString n : heads) {
          headRevs.add(cl.rev(n));
        }
        RevlogIndex index = cl.view().changelog().index();
        BitSet missing = ancestorsWithin(index, headRevs, Long.MAX_VALUE);
        missing.andNot(ancestorsWithin(index, common, Long.MAX_VALUE));
        for (int r = missing.nextSetBit(0); r >= 0; r = missing.nextSetBit(r + 1)) {
          nodes.add(index.node(r));
        }
      } else {
        throw new CommandError(DataArgs.b("unknown revision specifier type: %s"),
            List.of(type instanceof ByteString ? (ByteString) type : DataArgs.b(String.valueOf(type))));
      }
    }
    return new ArrayList<>(nodes);
  }

  private static void requireKeys(Map<?, ?> spec, String type, ByteString... keys) {
    for (ByteString k : keys) {
      if (!spec.containsKey(k)) {
        throw new CommandError(DataArgs.b("%s key not present in " + type + " revision specifier"), List.of(k));
      }
    }
  }

  private static List<ByteString> nodeList(Object v, String key) {
    if (!(v instanceof Collection)) {
      throw new CommandError(DataArgs.b("%s in a revision specifier must be an array of nodes, not %s"),
          List.of(DataArgs.b(key), DataArgs.describe(v)));
    }
    List<ByteString> out = new ArrayList<>();
    for (Object o : (Collection<?>) v) {
      if (!(o instanceof ByteString)) {
        throw new CommandError(DataArgs.b("%s in a revision specifier must be byte strings, not %s"),
            List.of(DataArgs.b(key), DataArgs.describe(o)));
      }
      out.add((ByteString) o);
    }
    return out;
  }

  /**
   * Revisions at most {@code depth} generations above {@code start} (start included), the
   * null revision left out. Filtering hides descendants with a revision, so ancestors of
   * served revisions are served.
   */
  static BitSet ancestorsWithin(RevlogIndex index, List<Integer> start, long depth) {
    BitSet seen = new BitSet();
    Deque<int[]> queue = new ArrayDeque<>();
    for (int r : start) {
      if (r != Nodes.NULL_REV && !seen.get(r)) {
        seen.set(r);
        queue.add(new int[] {r, 0});
      }
    }
    // Breadth first, so each revision is first reached by its shortest path.
    while (!queue.isEmpty()) {
      int[] e = queue.poll();
      if (e[1] >= depth) {
        continue;
      }
      for (int p : new int[] {index.p1(e[0]), index.p2(e[0])}) {
        if (p != Nodes.NULL_REV && !seen.get(p)) {
          seen.set(p);
          queue.add(new int[] {p, e[1] + 1});
        }
      }
    }
    return seen;
  }
}
