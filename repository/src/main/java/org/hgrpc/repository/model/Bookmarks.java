package org.hgrpc.repository.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * Bookmarks ({@code .hg/bookmarks}: {@code <hex node> <name>} lines), as Mercurial's
 * {@code bmstore} loads them: lines are stripped of surrounding white space, malformed lines
 * and bookmarks on unknown nodes are skipped, and a later line wins over an earlier one.
 */
public final class Bookmarks {
  private final Map<ByteString, ByteString> marks;

  private Bookmarks(Map<ByteString, ByteString> marks) {
    this.marks = Collections.unmodifiableMap(marks);
  }

  /** Reads the bookmarks file (missing: no bookmarks), keeping those on nodes of {@code cl}. */
  public static Bookmarks read(Path file, RevlogIndex cl) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Bookmarks(new LinkedHashMap<>());
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<ByteString, ByteString> marks = new LinkedHashMap<>();
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i < data.length && data[i] != '\n') {
        continue;
      }
      int s = start;
      int e = i;
      start = i + 1;
      while (s < e && isSpace(data[s])) {
        s++;
      }
      while (e > s && isSpace(data[e - 1])) {
        e--;
      }
      int space = -1;
      for (int k = s; k < e; k++) {
        if (data[k] == ' ') {
          space = k;
          break;
        }
      }
      if (space < 0) {
        continue;
      }
      byte[] node = Nodes.unhex(new String(data, s, space - s, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (node == null || node.length != Nodes.LENGTH) {
        continue;
      }
      ByteString n = ByteString.wrap(node);
      if (cl.rev(n) != null) {
        marks.put(ByteString.copyOf(data, space + 1, e - space - 1), n);
      }
    }
    return new Bookmarks(marks);
  }

  /** Bookmarks from a map of name to node. */
  public static Bookmarks of(Map<ByteString, ByteString> marks) {
    return new Bookmarks(new LinkedHashMap<>(marks));
  }

  /** Name to node. */
  public Map<ByteString, ByteString> asMap() {
    return marks;
  }

  /** The node of bookmark {@code name}, or {@code null}. */
  public ByteString get(ByteString name) {
    return marks.get(name);
  }

  /** These bookmarks with {@code name} set to {@code node}, or removed when {@code node} is null. */
  public Bookmarks with(ByteString name, ByteString node) {
    Map<ByteString, ByteString> m = new LinkedHashMap<>(marks);
    if (node == null) {
      m.remove(name);
    } else {
      m.put(name, node);
    }
    return new Bookmarks(m);
  }

  /** The file content Mercurial writes: lines sorted by name. */
  public byte[] serialize() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Map.Entry<ByteString, ByteString> e : new TreeMap<>(marks).entrySet()) {
      out.writeBytes(e.getValue().hex().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.write(' ');
      out.writeBytes(e.getKey().toByteArray());
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Python's {@code bytes.strip()} white space. */
  static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
  }
}
