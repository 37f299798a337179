package org.hgrpc.core.literal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CanonicalOrder;

/**
 * Writes a value of hgrpc's model as its Python 3 {@code repr} (see {@link PythonLiteral}),
 * with dict keys and set members in {@link CanonicalOrder}. Bytes render as
 * {@link ByteString#toString()} does.
 */
final class LiteralRenderer {

  private LiteralRenderer() {}

  static String render(Object value) {
    StringBuilder out = new StringBuilder();
    appendValue(out, value);
    return out.toString();
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("None");
    } else if (value instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (value instanceof Long || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof ByteString bytes) {
      out.append(bytes);
    } else if (value instanceof String s) {
      appendStr(out, s);
    } else if (value instanceof List<?> list) {
      out.append('[');
      appendJoined(out, list.iterator(), null);
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      List<Object> keys = new ArrayList<>(map.keySet());
      keys.sort(CanonicalOrder.COMPARATOR);
      out.append('{');
      appendJoined(out, keys.iterator(), map);
      out.append('}');
    } else if (value instanceof Set<?> set) {
      if (set.isEmpty()) {
        // "{}" would be an empty dict.
        out.append("set()");
        return;
      }
      List<Object> members = new ArrayList<>(set);
      members.sort(CanonicalOrder.COMPARATOR);
      out.append('{');
      appendJoined(out, members.iterator(), null);
      out.append('}');
    } else {
      throw new IllegalArgumentException(
          "not a Python literal value: " + value.getClass().getName());
    }
  }

  /** Appends the items separated by commas, each followed by its value when {@code map} is given. */
  private static void appendJoined(StringBuilder out, Iterator<?> items, Map<?, ?> map) {
    boolean first = true;
    while (items.hasNext()) {
      Object item = items.next();
      if (!first) {
        out.append(", ");
      }
      first = false;
      appendValue(out, item);
      if (map != null) {
        out.append(": ");
        appendValue(out, map.get(item));
      }
    }
  }

  /** Python 3's {@code str.__repr__}: printable non-ASCII stays, the rest is escaped. */
  private static void appendStr(StringBuilder out, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c == quote || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        appendHex(out, 'x', c, 2);
      } else if (c < 0x7f || isPrintable(c)) {
        out.appendCodePoint(c);
      } else if (c <= 0xff) {
        appendHex(out, 'x', c, 2);
      } else if (c <= 0xffff) {
        appendHex(out, 'u', c, 4);
      } else {
        appendHex(out, 'U', c, 8);
      }
    }
    out.append(quote);
  }

  /** Python's {@code str.isprintable} for one non-ASCII code point. */
  private static boolean isPrintable(int c) {
    switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  private static void appendHex(StringBuilder out, char kind, int value, int digits) {
    String hex = Integer.toHexString(value);
    out.append('\\').append(kind).append("0".repeat(digits - hex.length())).append(hex);
  }
}
