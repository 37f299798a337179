package org.hgrpc.repository.server.data;

import java.nio.charset.StandardCharsets;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.view.RepoView;

/**
 * Node lookups in the served changelog with the reference's failures: the changelog's own
 * ({@code 00changelog.i@<node>: no node} / {@code filtered node}) and those of
 * {@code repo[node]} ({@code unknown revision '<hex>'} / {@code filtered revision '<hex>'}).
 * Both are server errors, not command errors, in the reference.
 */
final class ServedChangelog {
  private final RepoView view;

  ServedChangelog(RepoView view) {
    this.view = view;
  }

  RepoView view() {
    return view;
  }

  /** {@code changelog.rev(node)} of the served changelog. */
  int rev(ByteString node) {
    Integer r = view.unfilteredRev(node);
    if (r == null) {
      throw new RepositoryException("00changelog.i@" + lookupName(node) + ": no node");
    }
    if (view.isFiltered(r)) {
      throw new RepositoryException("00changelog.i@" + node.hex() + ": filtered node");
    }
    return r;
  }

  /** {@code repo[node].rev()} of the served repository. */
  int changeset(ByteString node) {
    Integer r = view.unfilteredRev(node);
    if (r != null && view.isFiltered(r)) {
      throw new RepositoryException("filtered revision '" + node.hex() + "'");
    }
    if (r == null) {
      throw new RepositoryException("unknown revision '" + (node.size() == Nodes.LENGTH ? node.hex()
          : node.toString(StandardCharsets.ISO_8859_1)) + "'");
    }
    return r;
  }

  /** Whether the served changelog has {@code node} ({@code changelog.hasnode}). */
  boolean has(ByteString node) {
    return view.hasNode(node);
  }

  /** How a lookup error names a node: short hex for a node id, else the bytes as given. */
  private static String lookupName(ByteString node) {
    return node.size() == Nodes.LENGTH ? Nodes.shortHex(node) : node.toString(StandardCharsets.ISO_8859_1);
  }
}
