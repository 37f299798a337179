package org.hgrpc.server.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;

/**
 * The JSON of Python's {@code json.dumps(obj, sort_keys=True, separators=(', ', ': '))}, which
 * the {@code debugreflect} endpoint uses: keys sorted, byte strings as text, non-ASCII escaped.
 */
final class ReflectJson {
  private ReflectJson() {}

  static String dumps(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append((Boolean) v ? "true" : "false");
    } else if (v instanceof Number) {
      sb.append(v);
    } else if (v instanceof ByteString) {
      string(sb, ((ByteString) v).utf8());
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Map) {
      Map<String, Object> sorted = new TreeMap<>();
      ((Map<?, ?>) v).forEach((k, val) -> sorted.put(key(k), val));
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        sb.append(first ? "" : ", ");
        first = false;
        string(sb, e.getKey());
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      List<Object> items = new ArrayList<>((Collection<?>) v);
      sb.append('[');
      for (int i = 0; i < items.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        write(sb, items.get(i));
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  private static String key(Object k) {
    return k instanceof ByteString ? ((ByteString) k).utf8() : String.valueOf(k);
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
