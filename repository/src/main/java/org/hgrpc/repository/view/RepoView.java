package org.hgrpc.repository.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.model.Changelog;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * A filtered view of a repository ({@code repoview}): the changelog less a set of filtered
 * revisions. Heads, branch heads, the tip and node lookups see only unfiltered revisions.
 * Every filter Mercurial defines hides descendants along with a revision, so the view is a
 * graph of its own.
 */
public final class RepoView {
  /** No filtering. */
  public static final String ALL = "all";
  /** Hidden (obsolete) changesets filtered. */
  public static final String VISIBLE = "visible";
  /** Same set as {@code visible}. */
  public static final String VISIBLE_HIDDEN = "visible-hidden";
  /** Hidden and secret changesets filtered: what servers serve. */
  public static final String SERVED = "served";
  /** Every non-public changeset filtered. */
  public static final String IMMUTABLE = "immutable";
  /** Everything from the first mutable changeset on filtered. */
  public static final String BASE = "base";

  private final RepoState state;
  private final String name;
  private final BitSet filtered;
  private final RepoState.Lazy<BranchHeads> branchHeads;
  private final RepoState.Lazy<Tags> tags;

  RepoView(RepoState state, String name, BitSet filtered) {
    this.state = state;
    this.name = name;
    this.filtered = filtered;
    this.branchHeads = new RepoState.Lazy<>(() -> BranchHeads.compute(this));
    this.tags = new RepoState.Lazy<>(() -> Tags.compute(this));
  }

  static String canonicalName(String name) {
    if (name == null) {
      return SERVED;
    }
    switch (name) {
      case ALL:
      case VISIBLE:
      case VISIBLE_HIDDEN:
      case SERVED:
      case IMMUTABLE:
      case BASE:
        return name;
      default:
        return SERVED;
    }
  }

  /** The filter's name, as in Mercurial's error messages ({@code served}, ...). */
  public String name() {
    return name;
  }

  /** The snapshot this view filters. */
  public RepoState state() {
    return state;
  }

  /** The changelog (unfiltered; check {@link #isFiltered}). */
  public Changelog changelog() {
    return state.changelog();
  }

  RevlogIndex index() {
    return state.changelog().index();
  }

  /** Whether {@code rev} is hidden by this view (the null revision never is). */
  public boolean isFiltered(int rev) {
    return rev >= 0 && filtered.get(rev);
  }

  /** Number of revisions filtered. */
  public int filteredCount() {
    return filtered.cardinality();
  }

  /** The node of {@code rev} (any revision, filtered or not; -1 is the null node). */
  public ByteString node(int rev) {
    return index().nodeOrNull(rev);
  }

  /** The revision of {@code node} in the unfiltered changelog, -1 for the null node, or {@code null}. */
  public Integer unfilteredRev(ByteString node) {
    return index().rev(node);
  }

  /** Whether {@code node} is a revision this view shows ({@code changelog.hasnode}); the null node is. */
  public boolean hasNode(ByteString node) {
    Integer r = index().rev(node);
    return r != null && !isFiltered(r);
  }

  /** The highest unfiltered revision, or -1. */
  public int tipRev() {
    for (int r = index().count() - 1; r >= 0; r--) {
      if (!filtered.get(r)) {
        return r;
      }
    }
    return Nodes.NULL_REV;
  }

  /**
   * The heads, highest revision first ({@code repo.heads()}): unfiltered revisions with no
   * unfiltered child. An empty repository has the null node as its only head; a non-empty one
   * whose every revision is filtered has none.
   */
  public List<ByteString> heads() {
    RevlogIndex cl = index();
    int n = cl.count();
    if (n == 0) {
      return List.of(Nodes.NULL);
    }
    boolean[] notHead = new boolean[n];
    List<ByteString> heads = new ArrayList<>();
    for (int r = n - 1; r >= 0; r--) {
      if (filtered.get(r)) {
        continue;
      }
      if (!notHead[r]) {
        heads.add(cl.node(r));
      }
      int p1 = cl.p1(r);
      int p2 = cl.p2(r);
      if (p1 >= 0) {
        notHead[p1] = true;
      }
      if (p2 >= 0) {
        notHead[p2] = true;
      }
    }
    return heads;
  }

  /** Branch name to its heads (closed ones included), each list by increasing revision. */
  public Map<ByteString, List<ByteString>> branchMap() {
    return branchHeads.get().nodes();
  }

  /**
   * The tip of {@code branch} ({@code branchtip}): its highest open head, else its highest
   * closed head; {@code null} for an unknown branch.
   */
  public ByteString branchTip(ByteString branch) {
    return branchHeads.get().tip(branch);
  }

  /** Tag name to node, as {@code repo._tagscache.tags} of this view (with {@code tip}). */
  public Map<ByteString, ByteString> tags() {
    return tags.get().nodes();
  }

  /** Branch heads of a view. */
  static final class BranchHeads {
    private final Map<ByteString, List<ByteString>> nodes;
    private final Map<ByteString, ByteString> tips;

    private BranchHeads(Map<ByteString, List<ByteString>> nodes, Map<ByteString, ByteString> tips) {
      this.nodes = nodes;
      this.tips = tips;
    }

    Map<ByteString, List<ByteString>> nodes() {
      return nodes;
    }

    ByteString tip(ByteString branch) {
      return tips.get(branch);
    }

    /**
     * A revision is a head of its branch when no unfiltered descendant is on that branch.
     * Walking from the highest revision down, each revision learns the set of branches found
     * among its descendants from its children; the sets are shared (interned), so a history
     * with few branches costs little.
     */
    static BranchHeads compute(RepoView view) {
      RevlogIndex cl = view.index();
      Changelog changelog = view.changelog();
      int n = cl.count();
      Map<ByteString, Integer> ids = new HashMap<>();
      List<ByteString> names = new ArrayList<>();
      int[] branchOf = new int[n];
      for (int r = 0; r < n; r++) {
        if (view.filtered.get(r)) {
          continue;
        }
        ByteString b = changelog.branch(r);
        Integer id = ids.get(b);
        if (id == null) {
          id = names.size();
          ids.put(b, id);
          names.add(b);
        }
        branchOf[r] = id;
      }
      SetInterner sets = new SetInterner();
      int[][] below = new int[n][];
      int[] empty = sets.intern(new int[0]);
      boolean[] isHead = new boolean[n];
      for (int r = n - 1; r >= 0; r--) {
        if (view.filtered.get(r)) {
          continue;
        }
        int[] desc = below[r] == null ? empty : below[r];
        isHead[r] = Arrays.binarySearch(desc, branchOf[r]) < 0;
        int[] mine = sets.with(desc, branchOf[r]);
        for (int p : new int[] {cl.p1(r), cl.p2(r)}) {
          if (p >= 0) {
            below[p] = below[p] == null ? mine : sets.union(below[p], mine);
          }
        }
        below[r] = null;
      }
      Map<ByteString, List<ByteString>> heads = new LinkedHashMap<>();
      Map<ByteString, ByteString> tips = new HashMap<>();
      Map<ByteString, ByteString> closedTips = new HashMap<>();
      for (int r = 0; r < n; r++) {
        if (!isHead[r] || view.filtered.get(r)) {
          continue;
        }
        ByteString b = names.get(branchOf[r]);
        heads.computeIfAbsent(b, k -> new ArrayList<>()).add(cl.node(r));
        if (changelog.closesBranch(r)) {
          closedTips.put(b, cl.node(r));
        } else {
          tips.put(b, cl.node(r));
        }
      }
      closedTips.forEach(tips::putIfAbsent);
      heads.replaceAll((k, v) -> Collections.unmodifiableList(v));
      return new BranchHeads(Collections.unmodifiableMap(heads), tips);
    }
  }

  /** Interns sorted int sets so that equal sets are one array. */
  private static final class SetInterner {
    private final Map<IntKey, int[]> pool = new HashMap<>();

    int[] intern(int[] s) {
      return pool.computeIfAbsent(new IntKey(s), k -> s);
    }

    int[] with(int[] s, int v) {
      int i = Arrays.binarySearch(s, v);
      if (i >= 0) {
        return s;
      }
      int at = -i - 1;
      int[] out = new int[s.length + 1];
      System.arraycopy(s, 0, out, 0, at);
      out[at] = v;
      System.arraycopy(s, at, out, at + 1, s.length - at);
      return intern(out);
    }

    int[] union(int[] a, int[] b) {
      if (a == b) {
        return a;
      }
      int[] out = new int[a.length + b.length];
      int i = 0;
      int j = 0;
      int k = 0;
      while (i < a.length || j < b.length) {
        if (j >= b.length || (i < a.length && a[i] < b[j])) {
          out[k++] = a[i++];
        } else if (i >= a.length || b[j] < a[i]) {
          out[k++] = b[j++];
        } else {
          out[k++] = a[i++];
          j++;
        }
      }
      return intern(Arrays.copyOf(out, k));
    }
  }

  private record IntKey(int[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof IntKey && Arrays.equals(values, ((IntKey) o).values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
