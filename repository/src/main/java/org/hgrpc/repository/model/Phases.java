package org.hgrpc.repository.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * Phases: {@code .hg/store/phaseroots} ({@code <phase> <hex node>} lines) and the phase of
 * every revision, which is the highest phase of a root among its ancestors (itself included);
 * revisions with no such root are public. Roots naming unknown nodes are ignored, as
 * Mercurial's {@code filterunknown} does.
 */
public final class Phases {
  /** Public: immutable, shared. */
  public static final int PUBLIC = 0;
  /** Draft: mutable, exchanged. */
  public static final int DRAFT = 1;
  /** Secret: never exchanged. */
  public static final int SECRET = 2;
  /** Archived (Mercurial 5.x and later): hidden. */
  public static final int ARCHIVED = 32;
  /** Internal (Mercurial 4.8 and later): hidden. */
  public static final int INTERNAL = 96;
  private static final Set<Integer> KNOWN = Set.of(PUBLIC, DRAFT, SECRET, ARCHIVED, INTERNAL);

  private final Map<Integer, Set<ByteString>> roots;
  private final byte[] phase;

  private Phases(Map<Integer, Set<ByteString>> roots, byte[] phase) {
    this.roots = roots;
    this.phase = phase;
  }

  /** Reads the phase roots file (missing: everything public) against the changelog {@code cl}. */
  public static Phases read(Path file, RevlogIndex cl) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      data = new byte[0];
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<Integer, Set<ByteString>> roots = new TreeMap<>();
    for (String line : new String(data, StandardCharsets.ISO_8859_1).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (line.trim().isEmpty()) {
        continue;
      }
      byte[] node = f.length == 2 ? Nodes.unhex(f[1]) : null;
      int p;
      try {
        p = f.length == 2 ? Integer.parseInt(f[0]) : -1;
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (node == null || node.length != Nodes.LENGTH || !KNOWN.contains(p)) {
        throw new RepositoryException("malformed line in " + file + ": '" + line + "'");
      }
      ByteString n = ByteString.wrap(node);
      Integer rev = cl.rev(n);
      if (rev != null && rev >= 0) {
        roots.computeIfAbsent(p, k -> new TreeSet<>()).add(n);
      }
    }
    return of(roots, cl);
  }

  /** Phases from explicit roots (unknown nodes must already be left out). */
  public static Phases of(Map<Integer, ? extends Set<ByteString>> roots, RevlogIndex cl) {
    Map<Integer, Set<ByteString>> copy = new TreeMap<>();
    roots.forEach((p, s) -> {
      if (!s.isEmpty()) {
        copy.put(p, Collections.unmodifiableSet(new TreeSet<>(s)));
      }
    });
    int n = cl.count();
    byte[] phase = new byte[n];
    int min = n;
    for (Map.Entry<Integer, Set<ByteString>> e : copy.entrySet()) {
      for (ByteString node : e.getValue()) {
        int r = cl.rev(node);
        phase[r] = (byte) Math.max(phase[r] & 0xff, e.getKey());
        min = Math.min(min, r);
      }
    }
    for (int r = min; r < n; r++) {
      int p1 = cl.p1(r);
      int p2 = cl.p2(r);
      int v = phase[r] & 0xff;
      if (p1 >= 0) {
        v = Math.max(v, phase[p1] & 0xff);
      }
      if (p2 >= 0) {
        v = Math.max(v, phase[p2] & 0xff);
      }
      phase[r] = (byte) v;
    }
    return new Phases(Collections.unmodifiableMap(copy), phase);
  }

  /** The phase of {@code rev}; the null revision is public. */
  public int phase(int rev) {
    return rev < 0 ? PUBLIC : phase[rev] & 0xff;
  }

  /** The roots of {@code phase} (empty when none). */
  public Set<ByteString> roots(int phase) {
    return roots.getOrDefault(phase, Set.of());
  }

  /** Every phase with roots, to its roots. */
  public Map<Integer, Set<ByteString>> allRoots() {
    return roots;
  }

  /** Whether any secret root exists ({@code phases.hassecret}). */
  public boolean hasSecret() {
    return !roots(SECRET).isEmpty();
  }

  /** Whether any revision is not public (a fast path for the immutable view). */
  public boolean anyMutable() {
    for (Map.Entry<Integer, Set<ByteString>> e : roots.entrySet()) {
      if (e.getKey() > PUBLIC && !e.getValue().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The file content Mercurial writes: {@code <phase> <hex>} lines, by phase then node. */
  public byte[] serialize() {
    StringBuilder sb = new StringBuilder();
    roots.forEach((p, nodes) -> {
      for (ByteString n : nodes) {
        sb.append(p).append(' ').append(n.hex()).append('\n');
      }
    });
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
