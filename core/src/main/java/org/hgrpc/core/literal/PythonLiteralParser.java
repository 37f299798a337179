package org.hgrpc.core.literal;

import static org.hgrpc.core.literal.PythonEscapes.clip;
import static org.hgrpc.core.literal.PythonEscapes.digitValue;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * Reads one Python literal of the supported subset into hgrpc's value model (see
 * {@link PythonLiteral}). Escapes inside string literals are {@link PythonEscapes}'s.
 */
final class PythonLiteralParser {

  // CPython (3.11+) refuses longer decimal int literals because converting them is
  // quadratic; the same bound keeps a hostile input from costing seconds here.
  private static final int MAX_INT_DIGITS = 4300;

  private static final Set<String> STRING_PREFIXES = Set.of("", "b", "r", "u", "br", "rb");

  private PythonLiteralParser() {}

  /** Parses {@code text}, whose containers nest at most {@code maxDepth} deep. */
  static Object parse(String text, int maxDepth) {
    return new Parser(text, maxDepth).parseDocument();
  }

  /** A parsed value; Python refuses unhashable values as dict keys and set members. */
  private record Parsed(Object value, boolean hashable, int start) {}

  private enum Kind { LIST, PAREN, BRACE, DICT, SET }

  /** A container whose closing bracket has not been read yet. */
  private static final class Container {
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

    Container(char open, int start) {
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
      Deque<Container> open = new ArrayDeque<>();
      while (true) {
        Parsed parsed = startValue(open);
        while (parsed != null) {
          Container frame = open.peek();
          if (frame == null) {
            return parsed.value();
          }
          parsed = addToContainer(frame, parsed, open);
        }
      }
    }

    /** Reads a scalar, or opens a container and returns null because its items come next. */
    private Parsed startValue(Deque<Container> open) {
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
        Container frame = new Container(c, start);
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
    private Parsed addToContainer(Container frame, Parsed item, Deque<Container> open) {
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
          PythonEscapes.checkLatin1(text, contentStart, i);
        }
        out.append(text, contentStart, i);
      } else {
        PythonEscapes.decodeEscapes(text, contentStart, i, bytes, out);
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

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  private static Object normalize(BigInteger value) {
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }
}
