package org.hgrpc.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.view.LookupFailure;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.view.RepoView;
import org.hgrpc.repository.view.RevisionLookup;

/** Our answers in the line format of the {@code hgrpcoracle} extension, for comparison. */
final class Oracle {
  private Oracle() {}

  static List<String> ours(RepoState state, String viewName, List<String> symbols) {
    RepoView view = state.view(viewName);
    List<String> lines = new ArrayList<>();
    view.heads().forEach(h -> lines.add("head " + h.hex()));
    state.view(RepoView.IMMUTABLE).heads().forEach(h -> lines.add("publichead " + h.hex()));
    Map<ByteString, List<ByteString>> sorted = new TreeMap<>(view.branchMap());
    sorted.forEach((b, nodes) -> {
      StringBuilder sb = new StringBuilder("branch ").append(b.utf8()).append(' ');
      for (int i = 0; i < nodes.size(); i++) {
        sb.append(i == 0 ? "" : " ").append(nodes.get(i).hex());
      }
      lines.add(sb.toString());
    });
    sorted.keySet().forEach(b -> lines.add("branchtip " + b.utf8() + " " + view.branchTip(b).hex()));
    StringBuilder known = new StringBuilder("known ");
    for (int r = 0; r < state.changelog().count(); r++) {
      known.append(view.hasNode(state.changelog().index().node(r)) ? '1' : '0');
    }
    lines.add(known.toString());
    for (String s : symbols) {
      try {
        ByteString n = RevisionLookup.lookup(view, ByteString.utf8(s));
        lines.add("lookup " + s + " " + (n == null ? "None" : n.hex()));
      } catch (LookupFailure e) {
        lines.add("lookuperror " + s + " " + e.getMessage());
      }
    }
    return lines;
  }
}
