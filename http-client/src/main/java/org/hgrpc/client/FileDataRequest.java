package org.hgrpc.client;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * The arguments of {@code filedata}: revisions of one file by node.
 *
 * @param path the file's path in the repository (bytes, as Mercurial stores it)
 * @param nodes the file revision nodes
 * @param haveParents whether the client has the parents of the first revision, so the server
 *     may send it as a delta against one
 * @param fields {@link RevisionField#PARENTS}, {@link RevisionField#LINKNODE},
 *     {@link RevisionField#REVISION}
 */
public record FileDataRequest(ByteString path, List<Node> nodes, boolean haveParents, Set<RevisionField> fields) {
  private static final Set<RevisionField> ALLOWED =
      EnumSet.of(RevisionField.PARENTS, RevisionField.REVISION, RevisionField.LINKNODE);

  /**
   * Copies the collections.
   *
   * @throws IllegalArgumentException for a field {@code filedata} does not take
   */
  public FileDataRequest {
    Objects.requireNonNull(path, "path");
    nodes = List.copyOf(nodes);
    fields = Set.copyOf(fields);
    RevisionField.wireNames("filedata", fields, ALLOWED);
  }

  /** The revisions {@code nodes} of {@code path} (sent as UTF-8), nodes only, without parents. */
  public static FileDataRequest of(String path, List<Node> nodes) {
    return new FileDataRequest(ByteString.utf8(path), nodes, false, Set.of());
  }

  /** This request asking for {@code fields} instead. */
  public FileDataRequest withFields(RevisionField... fields) {
    return new FileDataRequest(path, nodes, haveParents, fields.length == 0 ? Set.of() : EnumSet.of(fields[0], fields));
  }

  /** This request with {@code haveParents}. */
  public FileDataRequest withHaveParents(boolean haveParents) {
    return new FileDataRequest(path, nodes, haveParents, fields);
  }

  /** The call: {@code fields} and a false {@code haveparents} are left out, as Mercurial's client does. */
  CommandCall toCall() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("path", path);
    args.put("nodes", nodes);
    if (haveParents) {
      args.put("haveparents", true);
    }
    if (!fields.isEmpty()) {
      args.put("fields", RevisionField.wireNames("filedata", fields, ALLOWED));
    }
    return CommandCall.of("filedata", args);
  }
}
