package org.hgrpc.repository.server.data;

import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.data.EmittedRevision;

/**
 * The objects for one emitted manifest or file revision: a map with {@code node} and, as
 * asked, {@code parents}, extra keys, and {@code fieldsfollowing} announcing
 * {@code [revision, length]} (a full text) or {@code [delta, length]} (with
 * {@code deltabasenode}), then those bytes as their own object.
 */
final class RevisionMaps {
  static final ByteString DELTA = DataArgs.b("delta");
  static final ByteString DELTABASENODE = DataArgs.b("deltabasenode");

  private RevisionMaps() {}

  static void add(EmittedRevision r, Set<ByteString> fields, Map<ByteString, Object> extra, Deque<Object> out) {
    Map<ByteString, Object> d = new LinkedHashMap<>();
    d.put(ChangesetData.NODE, r.node());
    if (fields.contains(ChangesetData.PARENTS)) {
      d.put(ChangesetData.PARENTS, List.of(r.p1(), r.p2()));
    }
    d.putAll(extra);
    ByteString data = null;
    if (fields.contains(ChangesetData.REVISION)) {
      if (r.revision() != null) {
        data = ByteString.wrap(r.revision());
        d.put(ChangesetData.FIELDSFOLLOWING, List.of(List.of(ChangesetData.REVISION, (long) data.size())));
      } else {
        data = ByteString.wrap(r.delta());
        d.put(DELTABASENODE, r.baseNode());
        d.put(ChangesetData.FIELDSFOLLOWING, List.of(List.of(DELTA, (long) data.size())));
      }
    }
    out.add(d);
    if (data != null) {
      out.add(data);
    }
  }
}
