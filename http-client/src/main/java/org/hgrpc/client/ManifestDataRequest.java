package org.hgrpc.client;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * The arguments of {@code manifestdata}: manifest revisions by node.
 *
 * @param nodes the manifest nodes
 * @param tree the directory of a tree manifest; empty (the default) for the flat manifest,
 *     the only one Mercurial 4.8 and this project's server serve
 * @param haveParents whether the client has the parents of the first revision, so the server
 *     may send it as a delta against one
 * @param fields {@link RevisionField#PARENTS} and/or {@link RevisionField#REVISION}
 */
public record ManifestDataRequest(List<Node> nodes, ByteString tree, boolean haveParents, Set<RevisionField> fields) {
  private static final Set<RevisionField> ALLOWED = EnumSet.of(RevisionField.PARENTS, RevisionField.REVISION);

  /**
   * Copies the collections.
   *
   * @throws IllegalArgumentException for a field {@code manifestdata} does not take
   */
  public ManifestDataRequest {
    nodes = List.copyOf(nodes);
    java.util.Objects.requireNonNull(tree, "tree");
    fields = Set.copyOf(fields);
    RevisionField.wireNames("manifestdata", fields, ALLOWED);
  }

  /** The flat manifest's revisions {@code nodes}, nodes only, without parents. */
  public static ManifestDataRequest of(List<Node> nodes) {
    return new ManifestDataRequest(nodes, ByteString.EMPTY, false, Set.of());
  }

  /** This request asking for {@code fields} instead. */
  public ManifestDataRequest withFields(RevisionField... fields) {
    return new ManifestDataRequest(nodes, tree, haveParents, fields.length == 0 ? Set.of() : EnumSet.of(fields[0], fields));
  }

  /** This request with {@code haveParents}. */
  public ManifestDataRequest withHaveParents(boolean haveParents) {
    return new ManifestDataRequest(nodes, tree, haveParents, fields);
  }

  /** This request for the tree manifest of directory {@code tree} (e.g. {@code dir/}). */
  public ManifestDataRequest withTree(String tree) {
    return new ManifestDataRequest(nodes, ByteString.utf8(tree), haveParents, fields);
  }

  /** The call: {@code fields} and a false {@code haveparents} are left out, as Mercurial's client does. */
  CommandCall toCall() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("nodes", nodes);
    args.put("tree", tree);
    if (haveParents) {
      args.put("haveparents", true);
    }
    if (!fields.isEmpty()) {
      args.put("fields", RevisionField.wireNames("manifestdata", fields, ALLOWED));
    }
    return CommandCall.of("manifestdata", args);
  }
}
