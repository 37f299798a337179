package org.hgrpc.client;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.response.MessageFormatter;

/**
 * Helpers for the values a command response decodes to ({@link ByteString}, {@link Long},
 * {@link Boolean}, {@code null}, {@link List}, {@link Map}, {@link java.util.Set}, and
 * {@link ByteStringChunk} for the pieces of an indefinite-length byte string), and the checks
 * the typed helpers use to turn a value of the wrong shape into a
 * {@link ProtocolErrorException} naming what was expected.
 */
public final class Values {
  private Values() {}

  /**
   * {@code items} with every run of {@link ByteStringChunk}s (one indefinite-length byte
   * string) joined into one {@link ByteString}. Holds the whole value in memory: use
   * {@link CommandResult#bytes()} for large ones.
   */
  public static List<Object> joinChunks(List<?> items) {
    List<Object> out = new ArrayList<>(items.size());
    ByteArrayOutputStream joined = null;
    for (Object item : items) {
      if (item instanceof ByteStringChunk) {
        ByteStringChunk chunk = (ByteStringChunk) item;
        if (joined == null) {
          joined = new ByteArrayOutputStream();
        }
        joined.writeBytes(chunk.data().toByteArray());
        if (chunk.last()) {
          out.add(ByteString.wrap(joined.toByteArray()));
          joined = null;
        }
      } else {
        out.add(item);
      }
    }
    if (joined != null) {
      out.add(ByteString.wrap(joined.toByteArray()));
    }
    return out;
  }

  static ByteString key(String name) {
    return ByteString.latin1(name);
  }

  static Map<?, ?> map(Object value, String what) {
    if (value instanceof Map) {
      return (Map<?, ?>) value;
    }
    throw shape(what, "a map", value);
  }

  static List<?> list(Object value, String what) {
    if (value instanceof List) {
      return (List<?>) value;
    }
    throw shape(what, "a list", value);
  }

  static ByteString bytes(Object value, String what) {
    if (value instanceof ByteString) {
      return (ByteString) value;
    }
    throw shape(what, "a byte string", value);
  }

  static boolean bool(Object value, String what) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    throw shape(what, "a boolean", value);
  }

  static Node node(Object value, String what) {
    ByteString b = bytes(value, what);
    if (b.size() != Node.LENGTH) {
      throw new ProtocolErrorException(what + ": expected a node of " + Node.LENGTH + " bytes, got " + b.size()
          + " bytes: " + b);
    }
    return Node.of(b);
  }

  static List<Node> nodes(Object value, String what) {
    List<Node> out = new ArrayList<>();
    for (Object o : list(value, what)) {
      out.add(node(o, what));
    }
    return List.copyOf(out);
  }

  private static ProtocolErrorException shape(String what, String expected, Object value) {
    return new ProtocolErrorException(what + ": expected " + expected + ", got " + describe(value));
  }

  /** A short description of a value for error messages: its type and a bounded rendering. */
  static String describe(Object value) {
    return MessageFormatter.describe(value);
  }
}
