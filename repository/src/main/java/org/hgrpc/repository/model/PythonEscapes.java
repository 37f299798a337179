package org.hgrpc.repository.model;

import java.io.ByteArrayOutputStream;

/** Python's {@code string_escape} decoding ({@code codecs.escape_decode}), used for changeset extras. */
final class PythonEscapes {
  private PythonEscapes() {}

  /**
   * Decodes backslash escapes: {@code \\ \' \" \a \b \f \n \r \t \v}, octal {@code \ooo},
   * {@code \xhh}, and a backslash-newline continuation; any other escape is kept as is.
   *
   * @throws IllegalArgumentException for a trailing backslash or a bad {@code \x} escape, as
   *     Python raises {@code ValueError}
   */
  static byte[] decode(byte[] s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length);
    int i = 0;
    while (i < s.length) {
      int c = s[i++] & 0xff;
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (i >= s.length) {
        throw new IllegalArgumentException("Trailing \\ in string");
      }
      c = s[i++] & 0xff;
      switch (c) {
        case '\n':
          break;
        case '\\':
        case '\'':
        case '"':
          out.write(c);
          break;
        case 'a':
          out.write(7);
          break;
        case 'b':
          out.write(8);
          break;
        case 'f':
          out.write(12);
          break;
        case 't':
          out.write(9);
          break;
        case 'n':
          out.write(10);
          break;
        case 'r':
          out.write(13);
          break;
        case 'v':
          out.write(11);
          break;
        case 'x': {
          int h1 = i < s.length ? Character.digit(s[i] & 0xff, 16) : -1;
          int h2 = i + 1 < s.length ? Character.digit(s[i + 1] & 0xff, 16) : -1;
          if (h1 < 0 || h2 < 0) {
            throw new IllegalArgumentException("invalid \\x escape at position " + (i - 2));
          }
          out.write(h1 * 16 + h2);
          i += 2;
          break;
        }
        default:
          if (c >= '0' && c <= '7') {
            int v = c - '0';
            for (int k = 0; k < 2 && i < s.length && s[i] >= '0' && s[i] <= '7'; k++) {
              v = v * 8 + (s[i++] - '0');
            }
            out.write(v & 0xff);
          } else {
            out.write('\\');
            out.write(c);
          }
      }
    }
    return out.toByteArray();
  }
}
