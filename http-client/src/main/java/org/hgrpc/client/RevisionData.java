package org.hgrpc.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hgrpc.core.ByteString;

/**
 * One manifest or file revision of a {@code manifestdata}, {@code filedata} or
 * {@code filesdata} response, with the fields asked for.
 *
 * <p>With {@link RevisionField#REVISION} the data is either the full text ({@link #revision()})
 * or a delta ({@link #delta()}, in Mercurial's binary patch format: hunks of start, end and
 * length as 32-bit big-endian integers, then the replacement) against
 * {@link #deltaBaseNode()}, a revision sent earlier in the same response or one the client
 * has. Texts are raw, as stored: file revisions may begin with copy metadata
 * ({@code \1\n...\1\n}).
 *
 * @param path the file's path for {@code filesdata}, empty for the others
 * @param node the revision's node
 * @param parents its two parents ({@link Node#NULL} for none), or empty when not asked for
 * @param linkNode the changeset it belongs to, when asked for (file revisions only)
 * @param revision the full text, when sent as one
 * @param delta the delta against {@code deltaBaseNode}, when sent as one
 * @param deltaBaseNode the base of {@code delta}, present exactly when {@code delta} is
 */
public record RevisionData(Optional<ByteString> path, Node node, List<Node> parents, Optional<Node> linkNode,
    Optional<ByteString> revision, Optional<ByteString> delta, Optional<Node> deltaBaseNode) {

  /**
   * Checks the combination.
   *
   * @throws IllegalArgumentException if both a text and a delta are given, or a delta without
   *     its base (or a base without a delta)
   */
  public RevisionData {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(node, "node");
    parents = List.copyOf(parents);
    Objects.requireNonNull(linkNode, "linkNode");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(deltaBaseNode, "deltaBaseNode");
    if (revision.isPresent() && delta.isPresent()) {
      throw new IllegalArgumentException("a revision has a full text or a delta, not both");
    }
    if (delta.isPresent() != deltaBaseNode.isPresent()) {
      throw new IllegalArgumentException("a delta and its base node come together");
    }
  }

  /** Whether the data came as a delta. */
  public boolean isDelta() {
    return delta.isPresent();
  }
}
