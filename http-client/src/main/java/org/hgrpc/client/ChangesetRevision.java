package org.hgrpc.client;

import java.util.List;
import java.util.Optional;
import org.hgrpc.core.ByteString;

/**
 * One changeset of a {@code changesetdata} response, with the fields asked for.
 *
 * <p>With {@link ChangesetField#BOOKMARKS}, the response ends with one entry per other node
 * that carries bookmarks: those have {@link #bookmarks()} and nothing else besides the node
 * (Mercurial applies them the same way: each entry's bookmarks point at its node).
 *
 * @param node the changeset's node
 * @param parents its two parents ({@link Node#NULL} for none), or empty when not asked for
 * @param phase its phase ({@code public}, {@code draft}, ...) when asked for
 * @param bookmarks the bookmarks on it (empty when none or not asked for)
 * @param revision the raw changeset text when asked for
 */
public record ChangesetRevision(Node node, List<Node> parents, Optional<String> phase, List<String> bookmarks,
    Optional<ByteString> revision) {

  /** Copies the lists. */
  public ChangesetRevision {
    java.util.Objects.requireNonNull(node, "node");
    parents = List.copyOf(parents);
    bookmarks = List.copyOf(bookmarks);
    java.util.Objects.requireNonNull(phase, "phase");
    java.util.Objects.requireNonNull(revision, "revision");
  }
}
