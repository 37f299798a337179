package org.hgrpc.repository.view;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.model.TagsFile;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.Revlog;

/**
 * The tags of a view ({@code localrepo._findtags}): the {@code .hgtags} files of the view's
 * heads, merged from the oldest head to the newest, then {@code .hg/localtags} (entries on
 * nodes the view does not show are dropped), less tags removed (set to the null node), plus
 * {@code tip}.
 */
final class Tags {
  private static final byte[] HGTAGS_ENTRY = ".hgtags\0".getBytes(StandardCharsets.ISO_8859_1);
  private final Map<ByteString, ByteString> nodes;

  private Tags(Map<ByteString, ByteString> nodes) {
    this.nodes = nodes;
  }

  Map<ByteString, ByteString> nodes() {
    return nodes;
  }

  static Tags compute(RepoView view) {
    Map<ByteString, TagsFile.Entry> all = new LinkedHashMap<>();
    List<ByteString> heads = view.heads();
    if (!(heads.size() == 1 && heads.get(0).equals(Nodes.NULL))) {
      LinkedHashSet<ByteString> fnodes = new LinkedHashSet<>();
      for (int i = heads.size() - 1; i >= 0; i--) {
        ByteString fnode = hgtagsFilenode(view, heads.get(i));
        if (fnode != null) {
          fnodes.add(fnode);
        }
      }
      Revlog filelog = fnodes.isEmpty() ? null : view.state().tagsFilelog();
      for (ByteString fnode : fnodes) {
        Integer rev = filelog.index().rev(fnode);
        if (rev == null || rev < 0) {
          throw new RepositoryException("data/.hgtags.i: no revision " + fnode.hex() + " named by a manifest");
        }
        TagsFile.merge(TagsFile.parse(stripFileMetadata(filelog.revision(rev))), all);
      }
    }
    Map<ByteString, TagsFile.Entry> local = TagsFile.parse(view.state().localTags());
    local.values().removeIf(e -> !view.hasNode(e.node()));
    TagsFile.merge(local, all);
    Map<ByteString, ByteString> tags = new LinkedHashMap<>();
    all.forEach((name, e) -> {
      if (!e.node().equals(Nodes.NULL)) {
        tags.put(name, e.node());
      }
    });
    tags.put(ByteString.latin1("tip"), view.node(view.tipRev()));
    return new Tags(Collections.unmodifiableMap(tags));
  }

  /** The node of {@code .hgtags} in the manifest of changeset {@code head}, or {@code null}. */
  private static ByteString hgtagsFilenode(RepoView view, ByteString head) {
    int rev = view.unfilteredRev(head);
    ByteString manifestNode = view.changelog().entry(rev).manifest();
    if (manifestNode.equals(Nodes.NULL)) {
      return null;
    }
    Revlog manifest = view.state().manifest();
    Integer mrev = manifest.index().rev(manifestNode);
    if (mrev == null) {
      throw new RepositoryException("00manifest.i: no revision " + manifestNode.hex() + " named by changeset " + rev);
    }
    byte[] text = manifest.revision(mrev);
    int at = find(text, HGTAGS_ENTRY);
    if (at < 0) {
      return null;
    }
    int hexStart = at + HGTAGS_ENTRY.length;
    byte[] node = hexStart + 40 <= text.length
        ? Nodes.unhex(new String(text, hexStart, 40, StandardCharsets.ISO_8859_1)) : null;
    if (node == null) {
      throw new RepositoryException("00manifest.i: malformed .hgtags entry in revision " + mrev);
    }
    return ByteString.wrap(node);
  }

  /** Where a line starting with {@code entry} begins in {@code text}, or -1. */
  private static int find(byte[] text, byte[] entry) {
    int lineStart = 0;
    while (lineStart < text.length) {
      if (startsWith(text, lineStart, entry)) {
        return lineStart;
      }
      int nl = lineStart;
      while (nl < text.length && text[nl] != '\n') {
        nl++;
      }
      lineStart = nl + 1;
    }
    return -1;
  }

  private static boolean startsWith(byte[] text, int at, byte[] prefix) {
    if (text.length - at < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (text[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** A file revision's content without its copy metadata ({@code \1\n...\1\n}). */
  static byte[] stripFileMetadata(byte[] text) {
    if (text.length >= 2 && text[0] == 1 && text[1] == '\n') {
      for (int i = 2; i + 1 < text.length; i++) {
        if (text[i] == 1 && text[i + 1] == '\n') {
          return java.util.Arrays.copyOfRange(text, i + 2, text.length);
        }
      }
    }
    return text;
  }

}
