package org.hgrpc.repository.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;

/**
 * The obsolescence markers of {@code .hg/store/obsstore}: a version byte, then markers in
 * format 1 (what Mercurial writes) or format 0 (older repositories). Markers using SHA-256
 * node ids, which Mercurial itself never writes, are refused.
 */
public final class ObsStore {
  private static final int FM1_FIXED = 4 + 8 + 2 + 2 + 1 + 1 + 1 + 20;
  private static final int FM1_PARENT_NONE = 3;
  private static final int FLAG_SHA256 = 2;
  /** Largest pushkey value Mercurial sends in one key ({@code obsolete._maxpayload}). */
  private static final int MAX_PAYLOAD = 5300;

  private final List<ObsMarker> markers;
  private final Set<ByteString> predecessors;

  private ObsStore(List<ObsMarker> markers) {
    this.markers = Collections.unmodifiableList(markers);
    Set<ByteString> p = new HashSet<>();
    markers.forEach(m -> p.add(m.predecessor()));
    this.predecessors = Collections.unmodifiableSet(p);
  }

  /** An empty store. */
  public static ObsStore empty() {
    return new ObsStore(List.of());
  }

  /** Reads the store (missing or empty: no markers). */
  public static ObsStore read(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(data, file.toString());
  }

  /** Parses store bytes; {@code name} is for error messages. */
  public static ObsStore parse(byte[] data, String name) {
    if (data.length == 0) {
      return empty();
    }
    int version = data[0] & 0xff;
    List<ObsMarker> markers;
    if (version == 1) {
      markers = readV1(data, name);
    } else if (version == 0) {
      markers = readV0(data, name);
    } else {
      throw new RepositoryException(name + ": unknown obsolescence marker format " + version);
    }
    for (ObsMarker m : markers) {
      if (m.successors().contains(Nodes.NULL)) {
        throw new RepositoryException(name + ": bad obsolescence marker detected: invalid successors nullid");
      }
    }
    return new ObsStore(markers);
  }

  private static List<ObsMarker> readV1(byte[] data, String name) {
    ByteBuffer b = ByteBuffer.wrap(data);
    List<ObsMarker> out = new ArrayList<>();
    int off = 1;
    while (off < data.length) {
      if (data.length - off < FM1_FIXED) {
        throw new RepositoryException(name + ": truncated obsolescence marker at byte " + off);
      }
      long total = b.getInt(off) & 0xffffffffL;
      double secs = b.getDouble(off + 4);
      int tz = b.getShort(off + 12);
      int flags = b.getShort(off + 14) & 0xffff;
      int numSuc = data[off + 16] & 0xff;
      int numPar = data[off + 17] & 0xff;
      int numMeta = data[off + 18] & 0xff;
      if ((flags & FLAG_SHA256) != 0) {
        throw new RepositoryException(name + ": obsolescence markers with SHA-256 node ids are not supported");
      }
      if (total < FM1_FIXED || total > data.length - off) {
        throw new RepositoryException(name + ": obsolescence marker at byte " + off + " has a bad size " + total);
      }
      int end = (int) (off + total);
      ByteString prec = ByteString.copyOf(data, off + 19, 20);
      int p = off + FM1_FIXED;
      List<ByteString> sucs = new ArrayList<>();
      for (int i = 0; i < numSuc; i++) {
        sucs.add(slice(data, p, 20, end, name));
        p += 20;
      }
      List<ByteString> parents = null;
      if (numPar != FM1_PARENT_NONE) {
        if (numPar > 2) {
          throw new RepositoryException(name + ": obsolescence marker at byte " + off + " has " + numPar + " parents");
        }
        parents = new ArrayList<>();
        for (int i = 0; i < numPar; i++) {
          parents.add(slice(data, p, 20, end, name));
          p += 20;
        }
      }
      int[] sizes = new int[numMeta * 2];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = slice(data, p, 1, end, name).byteAt(0) & 0xff;
        p++;
      }
      List<Map.Entry<ByteString, ByteString>> meta = new ArrayList<>();
      for (int i = 0; i < numMeta; i++) {
        ByteString k = slice(data, p, sizes[2 * i], end, name);
        p += sizes[2 * i];
        ByteString v = slice(data, p, sizes[2 * i + 1], end, name);
        p += sizes[2 * i + 1];
        meta.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
      }
      if (p != end) {
        throw new RepositoryException(name + ": obsolescence marker at byte " + off + " has " + (end - p)
            + " unexplained bytes");
      }
      out.add(new ObsMarker(prec, sucs, flags, meta, secs, tz * 60, parents));
      off = end;
    }
    return out;
  }

  private static List<ObsMarker> readV0(byte[] data, String name) {
    ByteBuffer b = ByteBuffer.wrap(data);
    List<ObsMarker> out = new ArrayList<>();
    int off = 1;
    while (off < data.length) {
      if (data.length - off < 26) {
        throw new RepositoryException(name + ": truncated obsolescence marker at byte " + off);
      }
      int numSuc = data[off] & 0xff;
      long mdSize = b.getInt(off + 1) & 0xffffffffL;
      int flags = data[off + 5] & 0xff;
      ByteString prec = ByteString.copyOf(data, off + 6, 20);
      int p = off + 26;
      List<ByteString> sucs = new ArrayList<>();
      for (int i = 0; i < numSuc; i++) {
        sucs.add(slice(data, p, 20, data.length, name));
        p += 20;
      }
      if (mdSize > data.length - p) {
        throw new RepositoryException(name + ": parsing obsolete marker: metadata is too short, " + mdSize
            + " bytes expected, got " + (data.length - p));
      }
      Map<ByteString, ByteString> meta = decodeV0Meta(data, p, (int) mdSize);
      p += (int) mdSize;
      ByteString date = meta.remove(ByteString.latin1("date"));
      double secs = 0;
      int tz = 0;
      if (date != null) {
        String[] f = date.toString(StandardCharsets.ISO_8859_1).split(" ", -1);
        try {
          if (f.length != 2) {
            throw new NumberFormatException();
          }
          secs = Double.parseDouble(f[0]);
          tz = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
          secs = 0;
          tz = 0;
        }
      }
      List<ByteString> parents = v0Parents(meta);
      List<Map.Entry<ByteString, ByteString>> sorted = new ArrayList<>();
      new TreeMap<>(meta).forEach((k, v) -> sorted.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
      out.add(new ObsMarker(prec, sucs, flags, sorted, secs, tz, parents));
      off = p;
    }
    return out;
  }

  private static List<ByteString> v0Parents(Map<ByteString, ByteString> meta) {
    ByteString p0 = ByteString.latin1("p0");
    ByteString p1 = ByteString.latin1("p1");
    ByteString p2 = ByteString.latin1("p2");
    List<ByteString> hexes;
    if (meta.containsKey(p2)) {
      hexes = new ArrayList<>();
      hexes.add(meta.remove(p1));
      hexes.add(meta.remove(p2));
    } else if (meta.containsKey(p1)) {
      hexes = new ArrayList<>();
      hexes.add(meta.remove(p1));
    } else if (meta.containsKey(p0)) {
      // Mercurial leaves p0 in the metadata; only its presence matters.
      return List.of();
    } else {
      return null;
    }
    List<ByteString> parents = new ArrayList<>();
    for (ByteString h : hexes) {
      byte[] n = h == null ? null : Nodes.unhex(h.toString(StandardCharsets.ISO_8859_1));
      if (n == null || n.length != Nodes.LENGTH) {
        return null;
      }
      parents.add(ByteString.wrap(n));
    }
    return parents;
  }

  private static Map<ByteString, ByteString> decodeV0Meta(byte[] data, int off, int len) {
    Map<ByteString, ByteString> d = new LinkedHashMap<>();
    int start = off;
    int end = off + len;
    for (int i = off; i <= end; i++) {
      if (i < end && data[i] != 0) {
        continue;
      }
      if (i > start) {
        int colon = -1;
        for (int k = start; k < i; k++) {
          if (data[k] == ':') {
            colon = k;
            break;
          }
        }
        if (colon >= 0) {
          d.put(ByteString.copyOf(data, start, colon - start), ByteString.copyOf(data, colon + 1, i - colon - 1));
        }
      }
      start = i + 1;
    }
    return d;
  }

  private static ByteString slice(byte[] data, int p, int len, int end, String name) {
    if (p + len > end) {
      throw new RepositoryException(name + ": truncated obsolescence marker field at byte " + p);
    }
    return ByteString.copyOf(data, p, len);
  }

  /** The markers in file order. */
  public List<ObsMarker> markers() {
    return markers;
  }

  /** Whether some marker obsoletes {@code node}. */
  public boolean isPredecessor(ByteString node) {
    return predecessors.contains(node);
  }

  /** Whether there are no markers. */
  public boolean isEmpty() {
    return markers.isEmpty();
  }

  /**
   * The markers as the {@code obsolete} pushkey namespace lists them ({@code _pushkeyescape}):
   * sorted as Python sorts marker tuples, encoded in format 0, split into parts of at most
   * 5300 bytes, each base85-encoded under {@code dump<N>} (the last part is {@code dump0}).
   */
  public Map<ByteString, ByteString> pushkeyDump() {
    Map<ByteString, ByteString> keys = new LinkedHashMap<>();
    if (markers.isEmpty()) {
      return keys;
    }
    List<ObsMarker> sorted = new ArrayList<>(markers);
    sorted.sort(PYTHON_ORDER);
    List<ByteArrayOutputStream> parts = new ArrayList<>();
    long currentLen = MAX_PAYLOAD * 2L;
    ByteArrayOutputStream current = null;
    for (ObsMarker m : sorted) {
      byte[] next = encodeV0(m);
      if (next.length + currentLen > MAX_PAYLOAD) {
        currentLen = 0;
        current = new ByteArrayOutputStream();
        parts.add(current);
      }
      current.writeBytes(next);
      currentLen += next.length;
    }
    for (int idx = 0; idx < parts.size(); idx++) {
      ByteArrayOutputStream part = parts.get(parts.size() - 1 - idx);
      byte[] body = part.toByteArray();
      byte[] data = new byte[body.length + 1];
      System.arraycopy(body, 0, data, 1, body.length);
      keys.put(ByteString.latin1("dump" + idx), ByteString.latin1(Base85.encode(data)));
    }
    return keys;
  }

  /** {@code _fm0encodeonemarker}. */
  static byte[] encodeV0(ObsMarker m) {
    if ((m.flags() & FLAG_SHA256) != 0) {
      throw new RepositoryException("cannot handle sha256 with old obsstore format");
    }
    Map<ByteString, ByteString> meta = new TreeMap<>();
    for (Map.Entry<ByteString, ByteString> e : m.metadata()) {
      meta.put(e.getKey(), e.getValue());
    }
    meta.put(ByteString.latin1("date"), ByteString.latin1(PyRepr.floatRepr(m.date()) + " " + m.timezone()));
    if (m.parents() != null) {
      if (m.parents().isEmpty()) {
        meta.put(ByteString.latin1("p0"), ByteString.EMPTY);
      }
      for (int i = 0; i < m.parents().size(); i++) {
        meta.put(ByteString.latin1("p" + (i + 1)), ByteString.latin1(m.parents().get(i).hex()));
      }
    }
    ByteArrayOutputStream md = new ByteArrayOutputStream();
    boolean first = true;
    for (Map.Entry<ByteString, ByteString> e : meta.entrySet()) {
      if (!first) {
        md.write(0);
      }
      first = false;
      md.writeBytes(e.getKey().toByteArray());
      md.write(':');
      md.writeBytes(e.getValue().toByteArray());
    }
    byte[] metadata = md.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(1 + 4 + 1 + 20 + 20 * m.successors().size() + metadata.length);
    out.put((byte) m.successors().size());
    out.putInt(metadata.length);
    out.put((byte) m.flags());
    out.put(m.predecessor().toByteArray());
    m.successors().forEach(s -> out.put(s.toByteArray()));
    out.put(metadata);
    return out.array();
  }

  /**
   * Python's ordering of marker tuples {@code (prec, succs, flags, metadata, (date, tz), parents)}:
   * element by element, sequences lexicographically, {@code None} parents first.
   */
  static final Comparator<ObsMarker> PYTHON_ORDER = (a, b) -> {
    int c = a.predecessor().compareTo(b.predecessor());
    if (c == 0) {
      c = compareLists(a.successors(), b.successors(), ByteString::compareTo);
    }
    if (c == 0) {
      c = Integer.compare(a.flags(), b.flags());
    }
    if (c == 0) {
      c = compareLists(a.metadata(), b.metadata(), (x, y) -> {
        int k = x.getKey().compareTo(y.getKey());
        return k != 0 ? k : x.getValue().compareTo(y.getValue());
      });
    }
    if (c == 0) {
      c = Double.compare(a.date(), b.date());
    }
    if (c == 0) {
      c = Integer.compare(a.timezone(), b.timezone());
    }
    if (c == 0) {
      if (a.parents() == null || b.parents() == null) {
        c = a.parents() == null ? (b.parents() == null ? 0 : -1) : 1;
      } else {
        c = compareLists(a.parents(), b.parents(), ByteString::compareTo);
      }
    }
    return c;
  };

  private static <T> int compareLists(List<T> a, List<T> b, Comparator<T> cmp) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = cmp.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
