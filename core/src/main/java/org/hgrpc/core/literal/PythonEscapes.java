package org.hgrpc.core.literal;

import org.hgrpc.core.ByteString;

/**
 * Python's backslash escapes in string literals: those of {@code bytes} (which
 * {@code codecs.escape_decode}, Mercurial's {@code stringutil.unescapestr}, decodes too) and
 * the {@code str}-only ones. The parser decodes literal bodies with it; {@link #unescape}
 * decodes a raw human-syntax payload.
 */
final class PythonEscapes {

  private PythonEscapes() {}

  /** See {@link PythonLiteral#unescape(String)}. */
  static ByteString unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    decodeEscapes(text, 0, text.length(), true, out);
    return ByteString.latin1(out.toString());
  }

  static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The value of an ASCII digit or letter in bases up to 36; 99 for anything else. */
  static int digitValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A' + 10;
    }
    return 99;
  }

  static void checkLatin1(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) > 0xff) {
        throw notAByte(s, i);
      }
    }
  }

  private static LiteralSyntaxException notAByte(String s, int i) {
    return new LiteralSyntaxException(i, String.format(
        "character U+%04X is above U+00FF and cannot stand for a byte", (int) s.charAt(i)));
  }

  /**
   * Decodes the escapes of a non-raw string literal body {@code s[from, to)} into {@code out}.
   * For bytes each resulting char is a byte value; for str, chars may be any code point and
   * the str-only escapes {@code \N{name}}, {@code \\uXXXX} and {@code \UXXXXXXXX} apply.
   */
  static void decodeEscapes(String s, int from, int to, boolean bytes,
      StringBuilder out) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c != '\\') {
        if (bytes && c > 0xff) {
          throw notAByte(s, i);
        }
        out.append(c);
        i++;
        continue;
      }
      int escape = i;
      if (i + 1 >= to) {
        throw new LiteralSyntaxException(escape, "trailing \\ in string");
      }
      char e = s.charAt(i + 1);
      i += 2;
      if (bytes && (e == 'u' || e == 'U' || e == 'N')) {
        // These escapes exist only in str literals; bytes keep them as written, like \q.
        e = 'q';
      }
      switch (e) {
        case '\n' -> { }
        case '\\', '\'', '"' -> out.append(e);
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          int value = e - '0';
          for (int k = 0; k < 2 && i < to && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
            value = value * 8 + s.charAt(i++) - '0';
          }
          // CPython keeps the low 8 bits of \400..\777 in bytes; in str they are code points.
          out.append((char) (bytes ? value & 0xff : value));
        }
        case 'x' -> {
          out.append((char) hexEscape(s, i, to, 2, escape, "\\x"));
          i += 2;
        }
        case 'u', 'U' -> {
          int digits = e == 'u' ? 4 : 8;
          int codePoint = hexEscape(s, i, to, digits, escape, "\\" + e);
          if (codePoint > Character.MAX_CODE_POINT) {
            throw new LiteralSyntaxException(escape, "\\U escape above U+10FFFF");
          }
          out.appendCodePoint(codePoint);
          i += digits;
        }
        case 'N' -> {
          int close = i < to && s.charAt(i) == '{' ? indexOf(s, '}', i, to) : -1;
          if (close < 0) {
            throw new LiteralSyntaxException(escape, "malformed \\N{name} escape");
          }
          out.appendCodePoint(characterNamed(s.substring(i + 1, close), escape));
          i = close + 1;
        }
        default -> {
          // Python keeps an unknown escape as written; the char after the backslash is then
          // read as an ordinary char.
          out.append('\\');
          i = escape + 1;
        }
      }
    }
  }

  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** The value of exactly {@code digits} hex digits at {@code s[i]}, or a syntax error. */
  private static int hexEscape(String s, int i, int to, int digits, int escape, String name) {
    long value = 0;
    for (int k = 0; k < digits; k++) {
      int d = i + k < to ? digitValue(s.charAt(i + k)) : 99;
      if (d >= 16) {
        throw new LiteralSyntaxException(escape,
            "invalid " + name + " escape: expected " + digits + " hex digits");
      }
      value = value * 16 + d;
    }
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private static int characterNamed(String name, int escape) {
    try {
      return Character.codePointOf(name);
    } catch (IllegalArgumentException e) {
      throw new LiteralSyntaxException(escape, "unknown Unicode character name '"
          + clip(name) + "' in \\N{name} escape");
    }
  }
}
