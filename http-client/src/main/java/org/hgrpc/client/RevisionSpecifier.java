package org.hgrpc.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the {@code revisions} argument of {@code changesetdata} and {@code filesdata}
 * ({@code wireprotocolv2.txt}, "Revision Specifiers"): which changesets to send. The server
 * concatenates the changesets of all entries, dropping repeats.
 */
public sealed interface RevisionSpecifier {

  /** The specifier as the map sent: {@code type} and its own keys. */
  Map<String, Object> toArgument();

  /**
   * {@code changesetexplicit}: exactly {@code nodes}, in this order. The server sends a node it
   * does not know as it is (with no fields), or fails when a field needs the changeset.
   */
  record ChangesetExplicit(List<Node> nodes) implements RevisionSpecifier {
    /** Copies the list. */
    public ChangesetExplicit {
      nodes = List.copyOf(nodes);
    }

    @Override
    public Map<String, Object> toArgument() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "changesetexplicit");
      m.put("nodes", nodes);
      return m;
    }
  }

  /**
   * {@code changesetexplicitdepth}: {@code nodes} and their ancestors up to {@code depth - 1}
   * generations back ({@code depth} 1 is the nodes alone), by ascending revision.
   */
  record ChangesetExplicitDepth(List<Node> nodes, int depth) implements RevisionSpecifier {
    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if {@code depth} is below 1
     */
    public ChangesetExplicitDepth {
      nodes = List.copyOf(nodes);
      if (depth < 1) {
        throw new IllegalArgumentException("a changesetexplicitdepth depth is at least 1, not " + depth);
      }
    }

    @Override
    public Map<String, Object> toArgument() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "changesetexplicitdepth");
      m.put("nodes", nodes);
      m.put("depth", depth);
      return m;
    }
  }

  /**
   * {@code changesetdagrange}: the ancestors of {@code heads} (included) that are not ancestors
   * of {@code roots} (included), by ascending revision: what a pull asks for, {@code roots}
   * being the changesets the client already has (none for a clone).
   */
  record ChangesetDagRange(List<Node> roots, List<Node> heads) implements RevisionSpecifier {
    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException if {@code heads} is empty (the server refuses it)
     */
    public ChangesetDagRange {
      roots = List.copyOf(roots);
      heads = List.copyOf(heads);
      if (heads.isEmpty()) {
        throw new IllegalArgumentException("a changesetdagrange needs at least one head");
      }
    }

    @Override
    public Map<String, Object> toArgument() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "changesetdagrange");
      m.put("roots", roots);
      m.put("heads", heads);
      return m;
    }
  }

  /** {@link ChangesetExplicit} of {@code nodes}. */
  static RevisionSpecifier explicit(List<Node> nodes) {
    return new ChangesetExplicit(nodes);
  }

  /** {@link ChangesetExplicit} of {@code nodes}. */
  static RevisionSpecifier explicit(Node... nodes) {
    return new ChangesetExplicit(List.of(nodes));
  }

  /** {@link ChangesetExplicitDepth} of {@code nodes} and {@code depth}. */
  static RevisionSpecifier explicitDepth(List<Node> nodes, int depth) {
    return new ChangesetExplicitDepth(nodes, depth);
  }

  /** {@link ChangesetDagRange}: what {@code heads} have that {@code roots} lack. */
  static RevisionSpecifier dagRange(List<Node> roots, List<Node> heads) {
    return new ChangesetDagRange(roots, heads);
  }
}
