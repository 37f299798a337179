package org.hgrpc.server.ops;

import java.util.Map;

/** Writes the flat JSON objects of the logs: string, number and null values only. */
final class Json {
  private Json() {}

  /** {@code fields} as one JSON object, in their order; values are strings, numbers or null. */
  static String object(Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Number) {
        sb.append(v);
      } else {
        string(sb, v.toString());
      }
    }
    return sb.append('}').toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
