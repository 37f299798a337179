package org.hgrpc.client;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;

/**
 * Pulls the values of one data command's response and checks their shapes, for
 * {@link DataItems}: every value of the wrong shape becomes a {@link ProtocolErrorException}
 * that names the command and what was wrong, never a {@link ClassCastException}.
 */
final class DataReader {
  /** One entry of {@code fieldsfollowing}: a field whose bytes follow the item's map. */
  record FollowingField(String name, long size) {}

  private static final ByteString FIELDSFOLLOWING = Values.key("fieldsfollowing");

  private final String command;
  private final Iterator<Object> values;
  private long items;

  DataReader(String command, Iterator<Object> values) {
    this.command = command;
    this.values = values;
  }

  /** The next value, or {@code null} at the end of the response. */
  Object next() {
    return values.hasNext() ? values.next() : null;
  }

  /** Counts an item and returns its number (from 1), for messages. */
  long countItem() {
    return ++items;
  }

  ProtocolErrorException error(String message) {
    return new ProtocolErrorException(command + ": " + message);
  }

  /** The header: a map whose {@code required} keys are non-negative integers. */
  DataHeader header(Set<String> required) {
    Object v = next();
    if (v == null) {
      throw error("the response ended before its header map");
    }
    Map<?, ?> m = map(v, "the header");
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() instanceof ByteString k && e.getValue() instanceof Long n) {
        out.put(k.utf8(), n);
      }
    }
    for (String key : required) {
      Object n = m.get(Values.key(key));
      if (!(n instanceof Long) || (Long) n < 0) {
        throw error("the header: " + key + ": expected a non-negative integer, got " + describe(n));
      }
    }
    return new DataHeader(out);
  }

  Map<?, ?> map(Object v, String what) {
    if (v instanceof Map<?, ?> m) {
      return m;
    }
    throw error(what + ": expected a map, got " + describe(v));
  }

  /** A byte-string value of {@code m}, if present. */
  Optional<ByteString> bytes(Map<?, ?> m, String key, String what) {
    Object v = m.get(Values.key(key));
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof ByteString b) {
      return Optional.of(b);
    }
    throw error(what + ": " + key + ": expected a byte string, got " + describe(v));
  }

  /** An integer value of {@code m} that must be there and be non-negative. */
  long count(Map<?, ?> m, String key, String what) {
    Object v = m.get(Values.key(key));
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    throw error(what + ": " + key + ": expected a non-negative integer, got " + describe(v));
  }

  /** A node value of {@code m}, if present. */
  Optional<Node> node(Map<?, ?> m, String key, String what) {
    Optional<ByteString> b = bytes(m, key, what);
    if (b.isPresent() && b.get().size() != Node.LENGTH) {
      throw error(what + ": " + key + ": expected a node of " + Node.LENGTH + " bytes, got " + b.get().size()
          + " bytes: " + b.get());
    }
    return b.map(Node::of);
  }

  /** The node of an item, which every item has. */
  Node requiredNode(Map<?, ?> m, String what) {
    return node(m, "node", what).orElseThrow(() -> error(what + ": the map has no node: " + describe(m)));
  }

  /** {@code parents}: absent (empty) or two nodes. */
  List<Node> parents(Map<?, ?> m, String what) {
    Object v = m.get(Values.key("parents"));
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l) || l.size() != 2) {
      throw error(what + ": parents: expected a list of 2 nodes, got " + describe(v));
    }
    List<Node> out = new ArrayList<>(2);
    for (Object o : l) {
      if (!(o instanceof ByteString b) || b.size() != Node.LENGTH) {
        throw error(what + ": parents: expected a list of 2 nodes, got " + describe(v));
      }
      out.add(Node.of(b));
    }
    return out;
  }

  /** A list of byte strings of {@code m}, empty if absent. */
  List<ByteString> byteStrings(Map<?, ?> m, String key, String what) {
    Object v = m.get(Values.key(key));
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw error(what + ": " + key + ": expected a list of byte strings, got " + describe(v));
    }
    List<ByteString> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (!(o instanceof ByteString b)) {
        throw error(what + ": " + key + ": expected a list of byte strings, got " + describe(v));
      }
      out.add(b);
    }
    return out;
  }

  /** {@code fieldsfollowing}: {@code [[name, size], ...]}, empty if absent. */
  List<FollowingField> fieldsFollowing(Map<?, ?> m, String what) {
    Object v = m.get(FIELDSFOLLOWING);
    if (v == null) {
      return List.of();
    }
    String expected = what + ": fieldsfollowing: expected a list of [field name, size] pairs, got ";
    if (!(v instanceof List<?> l)) {
      throw error(expected + describe(v));
    }
    List<FollowingField> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof ByteString name)
          || !(pair.get(1) instanceof Long size) || size < 0) {
        throw error(expected + describe(v));
      }
      out.add(new FollowingField(name.utf8(), size));
    }
    return out;
  }

  /**
   * The bytes of a following field: the next value, a byte string of the announced size (or
   * the chunks of an indefinite-length one, joined).
   */
  ByteString field(FollowingField field, String what) {
    String expected = what + ": expected the " + field.name() + " data (a byte string of " + field.size()
        + " bytes), got ";
    Object v = next();
    if (v == null) {
      throw error(what + ": the response ended before the " + field.name() + " data of " + field.size() + " bytes");
    }
    ByteString data;
    if (v instanceof ByteString b) {
      data = b;
    } else if (v instanceof ByteStringChunk c && c.first()) {
      data = joinChunks(c, field, what);
    } else {
      throw error(expected + describe(v));
    }
    if (data.size() != field.size()) {
      throw error(what + ": the " + field.name() + " data has " + data.size() + " bytes, announced " + field.size());
    }
    return data;
  }

  private ByteString joinChunks(ByteStringChunk first, FollowingField field, String what) {
    if (field.size() > Integer.MAX_VALUE - 16) {
      throw error(what + ": the " + field.name() + " data of " + field.size() + " bytes is too large to hold");
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    ByteStringChunk c = first;
    while (true) {
      if (joined.size() + (long) c.data().size() > field.size()) {
        throw error(what + ": the " + field.name() + " data is longer than the announced " + field.size() + " bytes");
      }
      joined.writeBytes(c.data().toByteArray());
      if (c.last()) {
        return ByteString.wrap(joined.toByteArray());
      }
      Object v = next();
      if (!(v instanceof ByteStringChunk n) || n.first()) {
        throw error(what + ": the " + field.name() + " data: expected the next piece of an indefinite-length byte "
            + "string, got " + (v == null ? "the end of the response" : describe(v)));
      }
      c = n;
    }
  }

  /** A value for messages; {@code null} is a key's missing (or null) value. */
  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof ByteStringChunk c) {
      return "a piece of an indefinite-length byte string (" + c.data().size() + " bytes)";
    }
    return Values.describe(v);
  }
}
