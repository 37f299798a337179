package org.hgrpc.core.literal;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * Reads and writes the subset of Python literal syntax that Mercurial uses to spell protocol
 * values as text.
 *
 * <p>Mercurial's reference implementation describes frames in a human-readable syntax whose
 * payload may be {@code cbor:<literal>}, a Python literal evaluated with
 * {@code stringutil.evalpythonliteral}, and raw payloads use Python's byte-string escapes.
 * The conformance vectors this project is tested against spell every value the same way
 * ({@code {b'name': b'heads', b'args': {b'publiconly': False}}}). To read those vectors, to
 * accept the human syntax in tools, and to print values in logs the way Mercurial does, hgrpc
 * needs this syntax in both directions.
 *
 * <p>Python values map to Java as follows: {@code bytes} to {@link ByteString}; {@code int}
 * to {@link Long} when it fits, otherwise {@link BigInteger}; {@code True}/{@code False} to
 * {@link Boolean}; {@code None} to {@code null}; lists and tuples to {@link List}
 * ({@link ArrayList}); dicts to {@link Map} ({@link LinkedHashMap}, in source order); sets to
 * {@link Set} ({@link LinkedHashSet}); {@code str} to {@link String}. Unlike Python, where
 * {@code True == 1}, booleans and ints are distinct keys here, as they are in CBOR.
 */
public final class PythonLiteral {

  /** The nesting depth of containers that {@link #parse(String)} accepts. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  /**
   * Mercurial's canonical order for mixed-type values, {@code cborutil._mixedtypesortkey}: by
   * Python type name ({@code NoneType < bool < bytes < dict < int < list < set < str}), then
   * by value. Bytes compare as unsigned bytes, ints numerically whether {@link Long} or
   * {@link BigInteger}, {@code False < True}, strings by code point, lists element by element.
   * Like Python, it throws {@link IllegalArgumentException} for values it cannot order: two
   * different maps or sets, or list elements of incomparable types. Values outside the model
   * are rejected the same way.
   */
  public static final Comparator<Object> CANONICAL_ORDER = PythonLiteral::compareCanonical;

  // CPython (3.11+) refuses longer decimal int literals because converting them is
  // quadratic; the same bound keeps a hostile input from costing seconds here.
  private static final int MAX_INT_DIGITS = 4300;

  private static final Set<String> STRING_PREFIXES = Set.of("", "b", "r", "u", "br", "rb");

  private PythonLiteral() {}

  /**
   * Parses one Python literal, allowing {@link #DEFAULT_MAX_DEPTH} levels of nesting.
   *
   * <p>Accepted: {@code True}, {@code False}, {@code None}, {@code set()}; ints with an
   * optional sign, {@code 0x}/{@code 0o}/{@code 0b} prefixes and {@code _} separators; bytes
   * and str literals with prefixes {@code b r u br rb} in any case, single or triple quotes,
   * Python's escapes, and adjacent literals concatenated; lists, tuples, dicts and sets,
   * with trailing commas. Chars U+0080..U+00FF in a bytes literal stand for their byte
   * values, since the vector files are read as Latin-1 (Python accepts only ASCII there).
   * Whitespace around tokens is allowed; anything after the literal is an error, and so is
   * any other Python syntax (names, floats, calls, comments).
   *
   * @throws LiteralSyntaxException if {@code text} is not a literal of the supported subset
   */
  public static Object parse(String text) {
    return parse(text, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses one Python literal whose containers (brackets, braces and parentheses, including
   * grouping ones) nest at most {@code maxDepth} deep. The parser itself does not recurse, but
   * hashing a nested tuple key and consumers of the result such as {@link #render} do, so a
   * limit far above the default only moves the stack overflow elsewhere.
   *
   * @throws LiteralSyntaxException if {@code text} is not a literal of the supported subset
   *     or nests too deep
   * @throws IllegalArgumentException if {@code maxDepth} is negative
   */
  public static Object parse(String text, int maxDepth) {
    Objects.requireNonNull(text, "text");
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must not be negative: " + maxDepth);
    }
    return new Parser(text, maxDepth).parseDocument();
  }

  /**
   * The Python 3 {@code repr} of a value of the model described on this class, with dict keys
   * and set members in {@link #CANONICAL_ORDER}, so equal values always render equally.
   * Lists render with brackets (tuples are not kept apart from lists).
   *
   * @throws IllegalArgumentException if the value, or anything in it, is outside the model,
   *     or keys cannot be ordered
   */
  public static String render(Object value) {
    StringBuilder out = new StringBuilder();
    appendValue(out, value);
    return out.toString();
  }

  /**
   * The Python 3 {@code repr} of bytes, such as {@code b'foo\x00'}: single quotes unless the
   * bytes contain a single quote and no double quote; {@code \\}, {@code \t}, {@code \n},
   * {@code \r} and the quote escaped; other bytes below 0x20 or from 0x7f as {@code \xNN}.
   * {@code null} renders as {@code None}.
   */
  public static String render(ByteString value) {
    if (value == null) {
      return "None";
    }
    StringBuilder out = new StringBuilder(value.size() + 3);
    appendBytes(out, value);
    return out.toString();
  }

  /**
   * Decodes Python byte-string escapes, as {@code codecs.escape_decode} (Mercurial's
   * {@code stringutil.unescapestr}) does: {@code \\ \' \" \a \b \f \n \r \t \v}, {@code \xNN},
   * octal {@code \N}, {@code \NN}, {@code \NNN} (keeping the low 8 bits), and
   * backslash-newline, which is removed. An unknown escape such as {@code \q} stays as the
   * two characters. Every other char stands for the byte of the same value.
   *
   * @throws LiteralSyntaxException for a char above U+00FF, a malformed {@code \x} escape or a
   *     trailing backslash
   */
  public static ByteString unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    decodeEscapes(text, 0, text.length(), true, out);
    return ByteString.latin1(out.toString());
  }

  // ---------------------------------------------------------------------------------------
  // Parsing

  /** A parsed value; Python refuses unhashable values as dict keys and set members. */
  private record Parsed(Object value, boolean hashable, int start) {}

  private enum Kind { LIST, PAREN, BRACE, DICT, SET }

  /** A container whose closing bracket has not been read yet. */
  private static final class Frame {
    Kind kind;
    final char close;
    final int start;
    final List<Object> items = new ArrayList<>();
    Map<Object, Object> dict;
    Set<Object> set;
    Object key;
    boolean awaitingValue;
    boolean sawComma;
    boolean itemsHashable = true;

    Frame(char open, int start) {
      this.start = start;
      switch (open) {
        case '[' -> {
          kind = Kind.LIST;
          close = ']';
        }
        case '(' -> {
          kind = Kind.PAREN;
          close = ')';
        }
        default -> {
          kind = Kind.BRACE;
          close = '}';
        }
      }
    }

    Parsed finish() {
      return switch (kind) {
        case LIST -> new Parsed(items, false, start);
        // Without a comma, parentheses only group: "(1)" is 1, while "()" and "(1,)" are tuples.
        case PAREN -> !sawComma && items.size() == 1
            ? new Parsed(items.get(0), itemsHashable, start)
            : new Parsed(items, itemsHashable, start);
        case BRACE -> new Parsed(new LinkedHashMap<>(), false, start);
        case DICT -> new Parsed(dict, false, start);
        case SET -> new Parsed(set, false, start);
      };
    }
  }

  /**
   * A parser with an explicit stack of open containers instead of recursion, so that no input
   * can exhaust the thread's stack, whatever the depth limit.
   */
  private static final class Parser {
    private final String text;
    private final int maxDepth;
    private int pos;

    Parser(String text, int maxDepth) {
      this.text = text;
      this.maxDepth = maxDepth;
    }

    Object parseDocument() {
      Object value = parseValue();
      skipSpace();
      if (pos < text.length()) {
        throw expected("end of input");
      }
      return value;
    }

    private Object parseValue() {
      Deque<Frame> open = new ArrayDeque<>();
      while (true) {
        Parsed parsed = startValue(open);
        while (parsed != null) {
          Frame frame = open.peek();
          if (frame == null) {
            return parsed.value();
          }
          parsed = addToFrame(frame, parsed, open);
        }
      }
    }

    /** Reads a scalar, or opens a container and returns null because its items come next. */
    private Parsed startValue(Deque<Frame> open) {
      skipSpace();
      int start = pos;
      if (pos >= text.length()) {
        throw expected("a value");
      }
      char c = text.charAt(pos);
      if (c == '[' || c == '(' || c == '{') {
        if (open.size() >= maxDepth) {
          throw new LiteralSyntaxException(pos, "containers nested deeper than " + maxDepth);
        }
        pos++;
        Frame frame = new Frame(c, start);
        skipSpace();
        if (at(frame.close)) {
          pos++;
          return frame.finish();
        }
        open.push(frame);
        return null;
      }
      if (c == '+' || c == '-' || isDigit(c)) {
        return new Parsed(parseInt(), true, start);
      }
      if (c == '\'' || c == '"' || isNameChar(c)) {
        int end = nameEnd(pos);
        if (end < text.length() && isQuote(text.charAt(end))) {
          return new Parsed(parseStrings(), true, start);
        }
        return parseName(text.substring(pos, end), start, end);
      }
      throw expected("a value");
    }

    /**
     * Hands a finished value to the innermost open container. Returns null if another value
     * must be read next, or the container's own value if this closed it.
     */
    private Parsed addToFrame(Frame frame, Parsed item, Deque<Frame> open) {
      switch (frame.kind) {
        case DICT -> {
          if (frame.awaitingValue) {
            frame.dict.put(frame.key, item.value());
            frame.awaitingValue = false;
          } else {
            requireHashable(item);
            frame.key = item.value();
            skipSpace();
            expect(':');
            frame.awaitingValue = true;
            return null;
          }
        }
        case BRACE -> {
          requireHashable(item);
          skipSpace();
          if (at(':')) {
            pos++;
            frame.kind = Kind.DICT;
            frame.dict = new LinkedHashMap<>();
            frame.key = item.value();
            frame.awaitingValue = true;
            return null;
          }
          frame.kind = Kind.SET;
          frame.set = new LinkedHashSet<>();
          frame.set.add(item.value());
        }
        case SET -> {
          requireHashable(item);
          frame.set.add(item.value());
        }
        case LIST, PAREN -> {
          frame.items.add(item.value());
          frame.itemsHashable &= item.hashable();
        }
      }
      skipSpace();
      if (at(',')) {
        pos++;
        frame.sawComma = true;
        skipSpace();
        if (!at(frame.close)) {
          return null;
        }
      } else if (!at(frame.close)) {
        throw expected("',' or '" + frame.close + "'");
      }
      pos++;
      open.pop();
      return frame.finish();
    }

    private void requireHashable(Parsed item) {
      if (!item.hashable()) {
        throw new LiteralSyntaxException(item.start(),
            "a list, dict or set cannot be a dict key or set member (unhashable)");
      }
    }

    private Parsed parseName(String name, int start, int end) {
      pos = end;
      switch (name) {
        case "True":
          return new Parsed(Boolean.TRUE, true, start);
        case "False":
          return new Parsed(Boolean.FALSE, true, start);
        case "None":
          return new Parsed(null, true, start);
        case "set":
          skipSpace();
          expect('(');
          skipSpace();
          if (!at(')')) {
            throw expected("')' (only the empty set() is supported)");
          }
          pos++;
          return new Parsed(new LinkedHashSet<>(), false, start);
        default:
          throw new LiteralSyntaxException(start, "unknown name '" + clip(name)
              + "'; expected a literal (True, False, None, set(), a number, string or container)");
      }
    }

    /** Reads adjacent string literals, which Python concatenates: {@code b'a' b'b'}. */
    private Object parseStrings() {
      StringBuilder out = new StringBuilder();
      boolean bytes = parseString(out);
      while (true) {
        skipSpace();
        int start = pos;
        int end = nameEnd(pos);
        if (end >= text.length() || !isQuote(text.charAt(end))) {
          break;
        }
        if (parseString(out) != bytes) {
          throw new LiteralSyntaxException(start, "cannot mix bytes and str literals");
        }
      }
      return bytes ? ByteString.latin1(out.toString()) : out.toString();
    }

    /** Reads one string literal with its prefix into {@code out}; returns whether it is bytes. */
    private boolean parseString(StringBuilder out) {
      int start = pos;
      int quoteAt = nameEnd(pos);
      String prefix = text.substring(pos, quoteAt).toLowerCase(Locale.ROOT);
      if (!STRING_PREFIXES.contains(prefix)) {
        throw new LiteralSyntaxException(start, "unsupported string prefix '" + clip(prefix)
            + "'; expected b, r, u, br or rb");
      }
      boolean bytes = prefix.indexOf('b') >= 0;
      boolean raw = prefix.indexOf('r') >= 0;
      char quote = text.charAt(quoteAt);
      String triple = String.valueOf(quote).repeat(3);
      boolean isTriple = text.startsWith(triple, quoteAt);
      int contentStart = quoteAt + (isTriple ? 3 : 1);
      int i = contentStart;
      while (true) {
        if (i >= text.length()) {
          throw new LiteralSyntaxException(start, "unterminated string literal");
        }
        char c = text.charAt(i);
        if (c == '\\') {
          // The escaped char never ends the literal, even in a raw string.
          i += 2;
        } else if (c == quote && (!isTriple || text.startsWith(triple, i))) {
          break;
        } else if (!isTriple && (c == '\n' || c == '\r')) {
          throw new LiteralSyntaxException(start, "unterminated string literal (line break)");
        } else {
          i++;
        }
      }
      pos = i + (isTriple ? 3 : 1);
      if (raw) {
        if (bytes) {
          checkLatin1(text, contentStart, i);
        }
        out.append(text, contentStart, i);
      } else {
        decodeEscapes(text, contentStart, i, bytes, out);
      }
      return bytes;
    }

    private Object parseInt() {
      int start = pos;
      char sign = text.charAt(pos);
      if (sign == '+' || sign == '-') {
        pos++;
        skipSpace();
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
          throw expected("a digit after '" + sign + "'");
        }
      }
      int radix = 10;
      if (text.charAt(pos) == '0' && pos + 1 < text.length()) {
        switch (text.charAt(pos + 1)) {
          case 'x', 'X' -> radix = 16;
          case 'o', 'O' -> radix = 8;
          case 'b', 'B' -> radix = 2;
          default -> { }
        }
        if (radix != 10) {
          pos += 2;
        }
      }
      int digitsStart = pos;
      StringBuilder digits = new StringBuilder();
      // Python allows single underscores between digits, and right after a base prefix.
      boolean underscoreAllowed = radix != 10;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '_' && underscoreAllowed) {
          pos++;
          if (pos >= text.length() || digitValue(text.charAt(pos)) >= radix) {
            throw expected("a digit after '_'");
          }
          underscoreAllowed = false;
          continue;
        }
        if (digitValue(c) >= radix) {
          break;
        }
        if (digits.length() == MAX_INT_DIGITS) {
          throw new LiteralSyntaxException(start,
              "integer literal has more than " + MAX_INT_DIGITS + " digits");
        }
        digits.append(c);
        pos++;
        underscoreAllowed = true;
      }
      if (digits.length() == 0) {
        throw expected("a base-" + radix + " digit");
      }
      if (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') {
          throw new LiteralSyntaxException(start, "only integers are supported, not floats");
        }
        if (isNameChar(c)) {
          throw expected("a base-" + radix + " digit or the end of the number");
        }
      }
      if (radix == 10 && digits.charAt(0) == '0' && !digits.chars().allMatch(d -> d == '0')) {
        throw new LiteralSyntaxException(digitsStart,
            "leading zeros are not allowed in decimal integers (use 0o for octal)");
      }
      BigInteger value = new BigInteger(digits.toString(), radix);
      return normalize(sign == '-' ? value.negate() : value);
    }

    private void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
          return;
        }
        pos++;
      }
    }

    private boolean at(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
      if (!at(c)) {
        throw expected("'" + c + "'");
      }
      pos++;
    }

    private int nameEnd(int from) {
      int i = from;
      while (i < text.length() && isNameChar(text.charAt(i))) {
        i++;
      }
      return i;
    }

    private LiteralSyntaxException expected(String what) {
      return new LiteralSyntaxException(pos, "expected " + what + ", found " + describe(pos));
    }

    private String describe(int at) {
      if (at >= text.length()) {
        return "end of input";
      }
      char c = text.charAt(at);
      return c > ' ' && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  /** The value of an ASCII digit or letter in bases up to 36; 99 for anything else. */
  private static int digitValue(char c) {
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

  private static Object normalize(BigInteger value) {
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private static void checkLatin1(String s, int from, int to) {
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
  private static void decodeEscapes(String s, int from, int to, boolean bytes,
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

  // ---------------------------------------------------------------------------------------
  // Rendering

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("None");
    } else if (value instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (value instanceof Long || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof ByteString bytes) {
      appendBytes(out, bytes);
    } else if (value instanceof String s) {
      appendStr(out, s);
    } else if (value instanceof List<?> list) {
      out.append('[');
      appendJoined(out, list.iterator(), null);
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      List<Object> keys = new ArrayList<>(map.keySet());
      keys.sort(CANONICAL_ORDER);
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
      members.sort(CANONICAL_ORDER);
      out.append('{');
      appendJoined(out, members.iterator(), null);
      out.append('}');
    } else {
      throw outsideModel(value);
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

  private static void appendBytes(StringBuilder out, ByteString bytes) {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (int i = 0; i < bytes.size(); i++) {
      hasSingle |= bytes.byteAt(i) == '\'';
      hasDouble |= bytes.byteAt(i) == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    out.append('b').append(quote);
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i);
      if (b == quote || b == '\\') {
        out.append('\\').append((char) b);
      } else if (b == '\t') {
        out.append("\\t");
      } else if (b == '\n') {
        out.append("\\n");
      } else if (b == '\r') {
        out.append("\\r");
      } else if (b < 0x20 || b >= 0x7f) {
        appendHex(out, 'x', b, 2);
      } else {
        out.append((char) b);
      }
    }
    out.append(quote);
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

  // ---------------------------------------------------------------------------------------
  // Ordering

  private static int compareCanonical(Object a, Object b) {
    int byType = typeName(a).compareTo(typeName(b));
    return byType != 0 ? byType : compareSameType(a, b);
  }

  private static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof ByteString) {
      return "bytes";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "int";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Map) {
      return "dict";
    } else if (value instanceof Set) {
      return "set";
    }
    throw outsideModel(value);
  }

  /** Python's {@code <} between two values of one Python type, as a comparator. */
  private static int compareSameType(Object a, Object b) {
    if (Objects.equals(a, b)) {
      return 0;
    } else if (a instanceof Boolean x) {
      return Boolean.compare(x, (Boolean) b);
    } else if (a instanceof ByteString x) {
      return x.compareTo((ByteString) b);
    } else if (a instanceof String x) {
      return compareCodePoints(x, (String) b);
    } else if (a instanceof List<?> x) {
      return compareLists(x, (List<?>) b);
    } else if (a instanceof Long || a instanceof BigInteger) {
      return compareInts(a, b);
    }
    throw new IllegalArgumentException("cannot order two different " + typeName(a) + " values");
  }

  private static int compareInts(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return toBigInteger(a).compareTo(toBigInteger(b));
  }

  private static BigInteger toBigInteger(Object n) {
    return n instanceof BigInteger big ? big : BigInteger.valueOf((Long) n);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Python list order: the first unequal elements decide, else the shorter list is less. */
  private static int compareLists(List<?> a, List<?> b) {
    Iterator<?> x = a.iterator();
    Iterator<?> y = b.iterator();
    while (x.hasNext() && y.hasNext()) {
      int c = compareElements(x.next(), y.next());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(x.hasNext(), y.hasNext());
  }

  /** Inside lists Python compares values directly, so bool and int compare as numbers. */
  private static int compareElements(Object a, Object b) {
    boolean aNumber = a instanceof Boolean || a instanceof Long || a instanceof BigInteger;
    boolean bNumber = b instanceof Boolean || b instanceof Long || b instanceof BigInteger;
    if (aNumber && bNumber) {
      return compareInts(asInt(a), asInt(b));
    }
    String aType = typeName(a);
    String bType = typeName(b);
    if (!aType.equals(bType)) {
      throw new IllegalArgumentException(
          "cannot order " + aType + " and " + bType + " inside lists");
    }
    return compareSameType(a, b);
  }

  private static Object asInt(Object n) {
    return n instanceof Boolean b ? (Object) (b ? 1L : 0L) : n;
  }

  private static IllegalArgumentException outsideModel(Object value) {
    return new IllegalArgumentException(
        "not a Python literal value: " + value.getClass().getName());
  }
}
