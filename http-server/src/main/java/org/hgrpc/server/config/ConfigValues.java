package org.hgrpc.server.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mercurial's conversions of configuration values ({@code configbool}, {@code configint},
 * {@code configbytes}) and the ASCII whitespace rules of Python's {@code bytes} methods that the
 * hgrc parser and {@code --config} use. {@link HgrcConfig}'s typed getters are these, with the
 * setting's name in the error message.
 */
public final class ConfigValues {
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  /** Mercurial's {@code util._sizeunits}, in Mercurial's order (which matters: "m" before "mb"). */
  private static final String[] SIZE_SUFFIXES = {"m", "k", "g", "kb", "mb", "gb", "b"};
  private static final long[] SIZE_MULTIPLIERS = {1L << 20, 1L << 10, 1L << 30, 1L << 10, 1L << 20, 1L << 30, 1};

  private ConfigValues() {}

  /**
   * Mercurial's {@code stringutil.parsebool}.
   *
   * @param value a string
   * @return true for {@code 1 yes true on always}, false for {@code 0 no false off never}
   *     (case-insensitive), empty for anything else
   */
  public static Optional<Boolean> parseBool(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "1":
      case "yes":
      case "true":
      case "on":
      case "always":
        return Optional.of(Boolean.TRUE);
      case "0":
      case "no":
      case "false":
      case "off":
      case "never":
        return Optional.of(Boolean.FALSE);
      default:
        return Optional.empty();
    }
  }

  /**
   * Mercurial's {@code configint} conversion: optional sign and decimal digits, surrounding
   * ASCII whitespace ignored.
   *
   * @param value a string
   * @return the number, or empty for anything else or a number outside the range of {@code int}
   */
  public static Optional<Integer> parseInt(String value) {
    String t = asciiStrip(value);
    if (INTEGER.matcher(t).matches()) {
      try {
        return Optional.of(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        // out of range
      }
    }
    return Optional.empty();
  }

  /**
   * Mercurial's {@code configbytes} conversion ({@code util.sizetoint}): a decimal integer, or a
   * number (with a fraction or exponent, if wanted) followed by a unit {@code b}, {@code k} or
   * {@code kb}, {@code m} or {@code mb}, {@code g} or {@code gb} (case-insensitive, powers of
   * 1024, whitespace allowed before the unit); the product is truncated ({@code 2.2kb} is 2252).
   *
   * @param value a string
   * @return the byte count (negative if the value is), or empty for anything else or a count
   *     outside the range of {@code long}
   */
  public static Optional<Long> parseBytes(String value) {
    try {
      return Optional.of(sizeToLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Mercurial's {@code util.sizetoint}; NumberFormatException for what it rejects. */
  private static long sizeToLong(String s) {
    String t = asciiStrip(s).toLowerCase(Locale.ROOT);
    for (int i = 0; i < SIZE_SUFFIXES.length; i++) {
      if (t.endsWith(SIZE_SUFFIXES[i])) {
        String number = asciiStrip(t.substring(0, t.length() - SIZE_SUFFIXES[i].length()));
        if (!FLOAT.matcher(number).matches()) {
          throw new NumberFormatException(s);
        }
        double product = Double.parseDouble(number) * SIZE_MULTIPLIERS[i];
        if (!(Math.abs(product) < 0x1p63)) {
          throw new NumberFormatException(s);
        }
        return (long) product;
      }
    }
    if (!INTEGER.matcher(t).matches()) {
      throw new NumberFormatException(s);
    }
    return Long.parseLong(t);
  }

  /** Whitespace as Python's {@code bytes.isspace} sees it. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  /** Python's {@code bytes.strip()}. */
  static String asciiStrip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code bytes.rstrip()}. */
  static String asciiRstrip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
