package org.hgrpc.repository.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.revlog.Nodes;

/**
 * Tag files ({@code .hgtags}, {@code .hg/localtags}): {@code <hex node> <name>} lines, parsed
 * and merged as Mercurial's {@code tags._readtags} and {@code tags._updatetags} do. Each name
 * maps to its last node and the history of earlier nodes; merging keeps the value that
 * supersedes the other.
 */
public final class TagsFile {
  private TagsFile() {}

  /**
   * A tag's current node and earlier nodes, oldest first.
   *
   * @param node the node (the null node means the tag was removed)
   * @param history earlier nodes
   */
  public record Entry(ByteString node, List<ByteString> history) {}

  /**
   * Parses tag lines: lines split on {@code \n}, {@code \r\n} or {@code \r}; empty lines,
   * lines without a space and nodes that are not hex are skipped; the name is stripped.
   */
  public static Map<ByteString, Entry> parse(byte[] data) {
    Map<ByteString, List<ByteString>> hist = new LinkedHashMap<>();
    for (byte[] line : splitLines(data)) {
      if (line.length == 0) {
        continue;
      }
      int space = -1;
      for (int i = 0; i < line.length; i++) {
        if (line[i] == ' ') {
          space = i;
          break;
        }
      }
      if (space < 0) {
        continue;
      }
      byte[] node = Nodes.unhex(new String(line, 0, space, StandardCharsets.ISO_8859_1));
      if (node == null) {
        continue;
      }
      int s = space + 1;
      int e = line.length;
      while (s < e && Bookmarks.isSpace(line[s])) {
        s++;
      }
      while (e > s && Bookmarks.isSpace(line[e - 1])) {
        e--;
      }
      hist.computeIfAbsent(ByteString.copyOf(line, s, e - s), k -> new ArrayList<>()).add(ByteString.wrap(node));
    }
    Map<ByteString, Entry> out = new LinkedHashMap<>();
    hist.forEach((name, nodes) -> out.put(name,
        new Entry(nodes.get(nodes.size() - 1), new ArrayList<>(nodes.subList(0, nodes.size() - 1)))));
    return out;
  }

  /**
   * Merges {@code file}'s tags into {@code all} ({@code _updatetags}): a tag already known
   * keeps its node if that node supersedes the new one (the new node is in its history, and
   * the known node is not in the new history or has the longer history); histories are joined.
   */
  public static void merge(Map<ByteString, Entry> file, Map<ByteString, Entry> all) {
    for (Map.Entry<ByteString, Entry> e : file.entrySet()) {
      Entry b = all.get(e.getKey());
      if (b == null) {
        all.put(e.getKey(), new Entry(e.getValue().node(), new ArrayList<>(e.getValue().history())));
        continue;
      }
      ByteString anode = e.getValue().node();
      List<ByteString> ahist = new ArrayList<>(e.getValue().history());
      if (!b.node().equals(anode) && b.history().contains(anode)
          && (!ahist.contains(b.node()) || b.history().size() > ahist.size())) {
        anode = b.node();
      }
      for (ByteString n : b.history()) {
        if (!ahist.contains(n)) {
          ahist.add(n);
        }
      }
      all.put(e.getKey(), new Entry(anode, ahist));
    }
  }

  /** Python's {@code bytes.splitlines()}: breaks on {@code \n}, {@code \r\n} and {@code \r}. */
  static List<byte[]> splitLines(byte[] data) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < data.length) {
      byte c = data[i];
      if (c == '\n' || c == '\r') {
        lines.add(java.util.Arrays.copyOfRange(data, start, i));
        if (c == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
          i++;
        }
        start = i + 1;
      }
      i++;
    }
    if (start < data.length) {
      lines.add(java.util.Arrays.copyOfRange(data, start, data.length));
    }
    return lines;
  }
}
