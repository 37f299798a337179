package org.hgrpc.repository.write;

import java.math.BigInteger;
import org.hgrpc.core.ByteString;

/** The bits of Python 2 behaviour pushkey answers show: {@code repr()} of bytes and {@code int()}. */
final class PythonText {
  private PythonText() {}

  /** {@code repr(s)} of a Python 2 byte string. */
  static String repr(ByteString s) {
    byte[] b = s.toByteArray();
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (byte c : b) {
      hasSingle |= c == '\'';
      hasDouble |= c == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(quote);
    for (byte x : b) {
      int c = x & 0xff;
      if (c == quote || c == '\\') {
        sb.append('\\').append((char) c);
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 32 || c >= 127) {
        sb.append(String.format("\\x%02x", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.append(quote).toString();
  }

  /**
   * Python 2's {@code int(s)} of a byte string: surrounding white space, an optional sign,
   * decimal digits.
   *
   * @throws IllegalArgumentException with Python's message otherwise
   */
  static BigInteger parseInt(ByteString s) {
    String t = s.toString(java.nio.charset.StandardCharsets.ISO_8859_1).strip();
    if (!t.matches("[+-]?[0-9]+")) {
      throw new IllegalArgumentException("invalid literal for int() with base 10: " + repr(s));
    }
    return new BigInteger(t.startsWith("+") ? t.substring(1) : t);
  }
}
