package org.hgrpc.repository.server.data;

import java.util.Deque;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.data.EmittedRevision;
import org.hgrpc.repository.data.RevisionEmitter;
import org.hgrpc.repository.view.RepoView;

/**
 * The objects of file revisions ({@code emitfilerevisions}): those of {@link RevisionMaps}
 * plus {@code linknode}, the changeset the filelog links each revision to.
 */
final class FileRevisions {
  static final ByteString LINKNODE = DataArgs.b("linknode");

  private FileRevisions() {}

  /** Adds the next revision of {@code emitter}; closes it on failure. */
  static void addNext(RevisionEmitter emitter, ByteString path, Set<ByteString> fields, RepoView view,
      Deque<Object> out) {
    try {
      EmittedRevision r = emitter.next();
      Map<ByteString, Object> extra = Map.of();
      if (fields.contains(LINKNODE)) {
        int link = r.linkRev();
        if (link < 0 || link >= view.changelog().count() || view.isFiltered(link)) {
          throw new RepositoryException("revision " + r.node().hex() + " of file '"
              + path.toString(java.nio.charset.StandardCharsets.ISO_8859_1) + "' is linked to changeset " + link
              + ", which is not served");
        }
        extra = Map.of(LINKNODE, view.node(link));
      }
      RevisionMaps.add(r, fields, extra, out);
    } catch (RuntimeException e) {
      emitter.close();
      throw e;
    }
  }
}
