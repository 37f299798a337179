package org.hgrpc.client.cli;

import java.math.BigInteger;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;

/**
 * Renders decoded protocol values as JSON for people and tools like {@code jq}.
 *
 * <p>Byte strings have no JSON type, so they are rendered by one rule ({@link #RULE}): a byte
 * string that is valid UTF-8 without control characters (tab, newline and carriage return
 * allowed) is shown as that text; any other is shown as lowercase hex, which makes a binary
 * 20-byte node its familiar 40 hex digits. Map keys follow the same rule; integer, boolean and
 * null keys become their JSON spelling as a string. Lists and sets are arrays, integers are
 * numbers.
 */
final class Json {
  private Json() {}

  /** The byte-string rule, for help texts. */
  static final String RULE = "Byte strings are shown as text when they are printable UTF-8, "
      + "else as lowercase hex (so binary 20-byte nodes show as 40 hex digits).";

  /** {@code value} as JSON; indented by two spaces per level when {@code pretty}. */
  static String render(Object value, boolean pretty) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, pretty, 0);
    return sb.toString();
  }

  /** The text a byte string is shown as, by {@link #RULE}. */
  static String bytesText(ByteString b) {
    String text = printableUtf8(b);
    return text != null ? text : b.hex();
  }

  private static void write(StringBuilder sb, Object v, boolean pretty, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof ByteString) {
      string(sb, bytesText((ByteString) v));
    } else if (v instanceof ByteStringChunk) {
      string(sb, bytesText(((ByteStringChunk) v).data()));
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ",");
        first = false;
        newline(sb, pretty, depth + 1);
        string(sb, key(e.getKey()));
        sb.append(pretty ? ": " : ":");
        write(sb, e.getValue(), pretty, depth + 1);
      }
      newline(sb, pretty, depth);
      sb.append('}');
    } else if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      if (c.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        sb.append(first ? "" : ",");
        first = false;
        newline(sb, pretty, depth + 1);
        write(sb, o, pretty, depth + 1);
      }
      newline(sb, pretty, depth);
      sb.append(']');
    } else {
      string(sb, String.valueOf(v));
    }
  }

  private static String key(Object k) {
    if (k instanceof ByteString) {
      return bytesText((ByteString) k);
    }
    return String.valueOf(k);
  }

  private static void newline(StringBuilder sb, boolean pretty, int depth) {
    if (pretty) {
      sb.append('\n').append("  ".repeat(depth));
    }
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
        default:
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** The UTF-8 text of {@code b} if it is valid and has no control characters but tab, LF and CR. */
  private static String printableUtf8(ByteString b) {
    CharBuffer chars;
    try {
      chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b.asByteBuffer());
    } catch (CharacterCodingException e) {
      return null;
    }
    String s = chars.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return null;
      }
    }
    return s;
  }
}
