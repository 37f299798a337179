package org.hgrpc.repository.write;

import java.math.BigInteger;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.literal.PythonLiteral;

/** The bits of Python 2 behaviour pushkey answers show: {@code repr()} of bytes and {@code int()}. */
final class PythonText {
  private PythonText() {}

  /**
   * {@code repr(s)} of a Python 2 byte string: Python 3's repr of the same bytes without its
   * {@code b} prefix (the quoting and escapes are the same).
   */
  static String repr(ByteString s) {
    return PythonLiteral.render(s).substring(1);
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
