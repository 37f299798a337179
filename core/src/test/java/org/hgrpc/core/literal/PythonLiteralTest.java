package org.hgrpc.core.literal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonLiteralTest {

  private static final JsonFactory JSON = new JsonFactory();

  private static ByteString b(String latin1) {
    return ByteString.latin1(latin1);
  }

  // ---- conformance vectors ---------------------------------------------------------------

  @Test
  void cborEncodeLiteralsAreCanonical() {
    List<String> lines = vectorLines("cbor-encode.jsonl");
    assertTrue(lines.size() >= 40, "cbor-encode.jsonl rows: " + lines.size());
    List<String> failures = new ArrayList<>();
    for (String line : lines) {
      String literal = stringFields(line).get("literal").get(0);
      String rendered = PythonLiteral.render(PythonLiteral.parse(literal));
      if (!rendered.equals(literal)) {
        failures.add(literal + " rendered as " + rendered);
      }
    }
    assertEquals(List.of(), failures);
  }

  /**
   * Every literal in the vectors parses, and its canonical rendering parses back to the same
   * value. The literals the reference printed itself (all fields but the hand-written
   * {@code human} frames) are already canonical.
   */
  @Test
  void everyVectorLiteralParsesAndRoundTrips() {
    int checked = 0;
    for (String file : List.of("cbor-encode.jsonl", "cbor-decode.jsonl", "human-frames.jsonl",
        "server-reactor.jsonl", "server-reactor-random.jsonl", "client-reactor.jsonl")) {
      for (String line : vectorLines(file)) {
        Map<String, List<String>> fields = stringFields(line);
        List<String> printed = new ArrayList<>();
        printed.addAll(fields.getOrDefault("literal", List.of()));
        printed.addAll(fields.getOrDefault("args", List.of()));
        printed.addAll(fields.getOrDefault("values[]", List.of()));
        printed.addAll(fields.getOrDefault("objects[]", List.of()));
        for (String literal : printed) {
          assertEquals(literal, assertRoundTrips(literal), file);
          checked++;
        }
        for (String human : fields.getOrDefault("human", List.of())) {
          String payload = humanPayload(human);
          if (payload.startsWith("cbor:")) {
            assertRoundTrips(payload.substring("cbor:".length()));
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 100, "literals checked: " + checked);
  }

  private static String assertRoundTrips(String literal) {
    Object value = PythonLiteral.parse(literal);
    String canonical = PythonLiteral.render(value);
    assertEquals(value, PythonLiteral.parse(canonical), literal);
    assertEquals(canonical, PythonLiteral.render(PythonLiteral.parse(canonical)), literal);
    return canonical;
  }

  @Test
  void humanRawPayloadsUnescapeToFrameBytes() {
    int checked = 0;
    for (String line : vectorLines("human-frames.jsonl")) {
      Map<String, List<String>> fields = stringFields(line);
      if (!fields.containsKey("frame_hex")) {
        continue;
      }
      String payload = humanPayload(fields.get("human").get(0));
      if (!payload.startsWith("cbor:")) {
        // An 8-byte header precedes the payload.
        assertEquals(fields.get("frame_hex").get(0).substring(16),
            PythonLiteral.unescape(payload).hex(), payload);
        checked++;
      }
    }
    assertTrue(checked >= 10, "raw payloads checked: " + checked);
  }

  @Test
  void humanPayloadExamples() {
    assertEquals(b("tab\there\nnewline\\back'q"),
        PythonLiteral.unescape("tab\\there\\nnewline\\\\back\\'q"));
    assertEquals(b("AB"), PythonLiteral.unescape("\\101\\102"));
    assertEquals(ByteString.fromHex("a24461726773a1"), PythonLiteral.unescape("\\xa2Dargs\\xa1"));
    assertEquals(ByteString.fromHex("000102"), PythonLiteral.unescape("\\x00\\x01\\x02"));
  }

  // ---- escapes ---------------------------------------------------------------------------

  static Stream<Arguments> escapes() {
    return Stream.of(
        arguments("\\\\", "5c"), arguments("\\'", "27"), arguments("\\\"", "22"),
        arguments("\\a", "07"), arguments("\\b", "08"), arguments("\\f", "0c"),
        arguments("\\n", "0a"), arguments("\\r", "0d"), arguments("\\t", "09"),
        arguments("\\v", "0b"), arguments("\\x41", "41"), arguments("\\xFf", "ff"),
        arguments("\\x00", "00"), arguments("\\0", "00"), arguments("\\7", "07"),
        arguments("\\101", "41"), arguments("\\1234", "5334"), arguments("\\08", "0038"),
        // CPython keeps the low 8 bits of an octal escape above \377.
        arguments("\\777", "ff"), arguments("\\400", "00"),
        // Unknown escapes, and str-only ones, stay as written.
        arguments("\\8", "5c38"), arguments("\\q", "5c71"),
        arguments("\\u1234", "5c7531323334"), arguments("\\N{DASH}", "5c4e7b444153487d"),
        arguments("a\\\nb", "6162"), arguments("\u00e9\u00ff", "e9ff"),
        arguments("plain", "706c61696e"), arguments("", ""));
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void unescapeDecodesEveryKindOfEscape(String text, String hex) {
    assertEquals(hex, PythonLiteral.unescape(text).hex());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\\x4|0", "ab\\x4|2", "\\xg0|0", "\\x|0", "abc\\|3", "ab\u0100|2", "\\\u20ac|1"})
  void unescapeRejectsWhatPythonRejects(String text, int position) {
    LiteralSyntaxException e =
        assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.unescape(text));
    assertEquals(position, e.position(), e.getMessage());
  }

  @Test
  void bytesLiteralsUseTheSameEscapes() {
    assertEquals(b("\u0000\u00ff\u0080"), PythonLiteral.parse("b'\\x00\\xff\\x80'"));
    assertEquals(b("tab\t'\"\\\u000b\u0007A\\q"),
        PythonLiteral.parse("b\"tab\\t\\'\\\"\\\\\\v\\a\\101\\q\""));
    assertEquals(b("\\u00e9"), PythonLiteral.parse("b'\\u00e9'"));
    assertEquals(b("ab"), PythonLiteral.parse("b'a\\\nb'"));
    // Latin-1 chars stand for their byte values, because the vector files are read as Latin-1.
    assertEquals(b("\u00e9"), PythonLiteral.parse("b'\u00e9'"));
    assertEquals(b("x"), PythonLiteral.parse("B'x'"));
  }

  @Test
  void rawAndPrefixedLiterals() {
    assertEquals(b("\\x00\\'"), PythonLiteral.parse("rb'\\x00\\''"));
    assertEquals(b("\\n"), PythonLiteral.parse("Br'\\n'"));
    assertEquals(b("\\n"), PythonLiteral.parse("bR\"\\n\""));
    assertEquals("\\d+", PythonLiteral.parse("r'\\d+'"));
    assertEquals("x", PythonLiteral.parse("u'x'"));
  }

  @Test
  void strLiterals() {
    assertEquals("abc", PythonLiteral.parse("'abc'"));
    assertEquals("it's", PythonLiteral.parse("\"it's\""));
    assertEquals("\u00e9\uD83D\uDE00\u2014AA\u01ff\u20ac",
        PythonLiteral.parse("'\\u00e9\\U0001F600\\N{EM DASH}\\x41\\101\\777\u20ac'"));
    assertEquals("\\q", PythonLiteral.parse("'\\q'"));
  }

  @Test
  void tripleQuotedAndConcatenatedLiterals() {
    assertEquals("a'b\nc", PythonLiteral.parse("'''a'b\nc'''"));
    assertEquals(b("x\"y"), PythonLiteral.parse("b\"\"\"x\"y\"\"\""));
    assertEquals(b("ab\\c"), PythonLiteral.parse("b'a' b\"b\" rb'\\c'"));
    assertEquals("ab", PythonLiteral.parse("'a' u'b'"));
    assertEquals(List.of(b("ab"), b("c")), PythonLiteral.parse("[b'a'\n b'b', b'c']"));
  }

  // ---- ints ------------------------------------------------------------------------------

  @Test
  void intsAreLongWhenTheyFitElseBigInteger() {
    assertEquals(Long.MAX_VALUE, PythonLiteral.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, PythonLiteral.parse("-9223372036854775808"));
    assertEquals(new BigInteger("9223372036854775808"), PythonLiteral.parse("9223372036854775808"));
    assertEquals(new BigInteger("18446744073709551615"), PythonLiteral.parse("18446744073709551615"));
    assertEquals(new BigInteger("-18446744073709551616"), PythonLiteral.parse("-18446744073709551616"));
    assertEquals(new BigInteger("1" + "0".repeat(100)), PythonLiteral.parse("1" + "0".repeat(100)));
    assertEquals(-342542L, PythonLiteral.parse("-342542"));
    assertEquals(0L, PythonLiteral.parse("-0"));
    assertEquals(0L, PythonLiteral.parse("00"));
    assertEquals(5L, PythonLiteral.parse("+5"));
    assertEquals(-5L, PythonLiteral.parse("- 5"));
    assertEquals(255L, PythonLiteral.parse("0xfF"));
    assertEquals(255L, PythonLiteral.parse("0x_ff"));
    assertEquals(15L, PythonLiteral.parse("0o17"));
    assertEquals(5L, PythonLiteral.parse("0B101"));
    assertEquals(1000000L, PythonLiteral.parse("1_000_000"));
    assertEquals("-18446744073709551616",
        PythonLiteral.render(PythonLiteral.parse("-18446744073709551616")));
  }

  @Test
  void intLiteralLengthIsBounded() {
    assertInstanceOf(BigInteger.class, PythonLiteral.parse("9".repeat(4300)));
    assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("9".repeat(4301)));
  }

  // ---- containers ------------------------------------------------------------------------

  @Test
  void containers() {
    assertEquals(List.of(1L, 2L), PythonLiteral.parse("[1, 2,]"));
    assertEquals(List.of(1L), PythonLiteral.parse("(1,)"));
    assertEquals(List.of(), PythonLiteral.parse("()"));
    assertEquals(1L, PythonLiteral.parse("((1))"));
    assertEquals(List.of(1L, 2L), PythonLiteral.parse("((1, 2))"));
    assertEquals(Map.of(), PythonLiteral.parse("{}"));
    assertEquals(Set.of(1L), PythonLiteral.parse("{1,}"));
    assertEquals(Set.of(), PythonLiteral.parse("set()"));
    assertEquals(Set.of(), PythonLiteral.parse(" set ( ) "));
    assertInstanceOf(ArrayList.class, PythonLiteral.parse("(1, 2)"));
    assertInstanceOf(LinkedHashMap.class, PythonLiteral.parse("{1: 2}"));
    assertInstanceOf(LinkedHashSet.class, PythonLiteral.parse("{1, 2}"));
    assertEquals(Arrays.asList(null, true, false, 42L, b("foo")),
        PythonLiteral.parse("[None, True, False, 42, b'foo']"));
    assertNull(PythonLiteral.parse(" None\n"));
  }

  @Test
  void dictsKeepSourceOrderAndTheLastDuplicate() {
    Map<?, ?> map = (Map<?, ?>) PythonLiteral.parse("{b'foo': b'val1', b'bar': b'val2', b'foo': 3}");
    assertEquals(List.of(b("foo"), b("bar")), new ArrayList<>(map.keySet()));
    assertEquals(3L, map.get(b("foo")));
  }

  @Test
  void tuplesMayBeKeysButListsMayNot() {
    assertEquals(Map.of(List.of(1L, b("x")), 3L), PythonLiteral.parse("{(1, b'x'): 3}"));
    assertEquals(Set.of(List.of()), PythonLiteral.parse("{()}"));
    for (String unhashable : List.of("{[1]: 2}", "{{}: 2}", "{1, {2}}", "{(1, [2]): 3}",
        "{set(): 1}")) {
      assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse(unhashable), unhashable);
    }
  }

  // ---- depth and malformed input -----------------------------------------------------------

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void nestingIsLimited() {
    PythonLiteral.parse(nested(PythonLiteral.DEFAULT_MAX_DEPTH));
    assertThrows(LiteralSyntaxException.class,
        () -> PythonLiteral.parse(nested(PythonLiteral.DEFAULT_MAX_DEPTH + 1)));
    PythonLiteral.parse(nested(10), 10);
    assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse(nested(11), 10));
    assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("[]", 0));
    assertEquals(1L, PythonLiteral.parse("1", 0));
    // Grouping parentheses count too.
    assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("(".repeat(300) + "1"
        + ")".repeat(300)));
    assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("1", -1));
  }

  @Test
  void parsingNeverRecursesWhateverTheLimit() {
    String deep = "{1: ".repeat(500_000) + "2" + "}".repeat(500_000);
    LiteralSyntaxException e =
        assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse(deep));
    assertTrue(e.getMessage().contains("deeper than 256"), e.getMessage());
    assertThrows(LiteralSyntaxException.class,
        () -> PythonLiteral.parse("[(".repeat(100_000), Integer.MAX_VALUE));
    Object value = PythonLiteral.parse(nested(100_000), Integer.MAX_VALUE);
    assertInstanceOf(List.class, value);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "b'abc", "'abc", "b\"abc'", "b'a\nb'", "b'\\x4'", "b'\\'", "foo", "true",
      "none", "1 2", "[1] x", "}", "]", ")", ":", ",", "[1,,2]", "[,]", "(,)", "{,}", "{1:}",
      "{:1}", "{1: 2, 3}", "{1, 2: 3}", "{1: 2 3: 4}", "[1, 2", "{b'a': 1", "[[1], [2]",
      "(1, 2", "True False", "None()", "1.5", "1.", "1e3", "3j", "007", "1__0", "1_", "0x",
      "0xg", "0b2", "--5", "-True", "- b'x'", "-", "set(1)", "set", "set(", "frozenset()",
      "f'x'", "rf'x'", "ur'x'", "xb'a'", "b'a' 'b'", "'a' b'b'", "b'\u0100'", "rb'\u0100'",
      "b'\\\u0100'", "{[1]: 2}", "{{1}}", "'\\N{NOPE}'", "'\\N{'", "'\\N'", "'\\U00110000'",
      "'\\u12'", "'\\x'", "#", "1 # comment", "1, 2", "...", "[1]]", "\u00e9", "\uD83D\uDE00",
      "'''abc", "b''''"})
  void malformedInputIsASyntaxErrorWithAPosition(String text) {
    LiteralSyntaxException e =
        assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse(text));
    assertTrue(e.getMessage().startsWith("at position " + e.position() + ": "), e.getMessage());
    assertTrue(e.position() >= 0 && e.position() <= text.length(), e.getMessage());
  }

  @Test
  void syntaxErrorsSayWhereAndWhat() {
    LiteralSyntaxException e =
        assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("[1, 2 x]"));
    assertEquals(6, e.position());
    assertEquals("at position 6: expected ',' or ']', found 'x'", e.getMessage());

    e = assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("}"));
    assertEquals("at position 0: expected a value, found '}'", e.getMessage());

    e = assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("[b'ok', b'open"));
    assertEquals(8, e.position());
    assertTrue(e.getMessage().contains("unterminated"), e.getMessage());

    e = assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("{b'k': nope}"));
    assertEquals(7, e.position());
    assertTrue(e.getMessage().contains("unknown name 'nope'"), e.getMessage());

    e = assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("b'ab\\x4'"));
    assertEquals(4, e.position());

    e = assertThrows(LiteralSyntaxException.class, () -> PythonLiteral.parse("1 junk"));
    assertEquals("at position 2: expected end of input, found 'j'", e.getMessage());
  }

  /** Arbitrary text either parses or is a {@link LiteralSyntaxException}; nothing else. */
  @Test
  void randomInputOnlyEverFailsWithSyntaxErrors() {
    String[] pieces = {"[", "]", "(", ")", "{", "}", ":", ",", " ", "\n", "'", "\"", "\\", "b'",
        "rb'", "'''", "x", "\\x", "\\x4", "\\N{", "\\u", "0", "1", "9", "-", "+", "_", "0x",
        ".", "e", "True", "None", "set()", "set", "\u00e9", "\u0100", "\uD83D", "#", "\u0000"};
    Random random = new Random(20240611);
    int parsed = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      Object value;
      try {
        value = PythonLiteral.parse(text.toString());
      } catch (LiteralSyntaxException e) {
        continue;
      } catch (RuntimeException | Error e) {
        throw new AssertionError("parse(" + text + ") threw " + e, e);
      }
      parsed++;
      String rendered;
      try {
        rendered = PythonLiteral.render(value);
      } catch (IllegalArgumentException e) {
        continue; // keys Python could not order either
      }
      try {
        assertEquals(value, PythonLiteral.parse(rendered), text.toString());
      } catch (LiteralSyntaxException e) {
        // Tuple keys render as lists, which cannot be keys.
        assertTrue(e.getMessage().contains("unhashable"), text + " -> " + rendered);
      }
    }
    assertTrue(parsed > 1000, "parsed: " + parsed);
  }

  // ---- rendering ---------------------------------------------------------------------------

  static Stream<Arguments> bytesReprs() {
    return Stream.of(
        arguments("", "b''"), arguments("abc", "b'abc'"), arguments("'", "b\"'\""),
        arguments("'\"", "b'\\'\"'"), arguments("\"", "b'\"'"), arguments("\\", "b'\\\\'"),
        arguments("\t\n\r", "b'\\t\\n\\r'"),
        arguments("\u0000\u001f\u007f\u0080\u00ff", "b'\\x00\\x1f\\x7f\\x80\\xff'"),
        arguments("~ ", "b'~ '"));
  }

  @ParameterizedTest
  @MethodSource("bytesReprs")
  void rendersBytesLikePython(String latin1, String repr) {
    assertEquals(repr, PythonLiteral.render(b(latin1)));
    assertEquals(repr, PythonLiteral.render((Object) b(latin1)));
    assertEquals(repr, b(latin1).toString());
    assertEquals(b(latin1), PythonLiteral.parse(repr));
  }

  @Test
  void rendersStrLikePython() {
    assertEquals("'abc'", PythonLiteral.render("abc"));
    assertEquals("\"it's\"", PythonLiteral.render("it's"));
    assertEquals("'\\'\"'", PythonLiteral.render("'\""));
    // Printable non-ASCII stays; controls, separators and lone surrogates are escaped.
    assertEquals("'\\x00\\x7f\\x80\\xa0\u00e9\u20ac\\u2028\uD83D\uDE00\\ud800\\U000e0001'",
        PythonLiteral.render("\u0000\u007f\u0080\u00a0\u00e9\u20ac\u2028\uD83D\uDE00\uD800"
            + new String(Character.toChars(0xE0001))));
  }

  @Test
  void rendersScalarsAndContainers() {
    assertEquals("None", PythonLiteral.render(null));
    assertEquals("None", PythonLiteral.render((Object) null));
    assertEquals("True", PythonLiteral.render(true));
    assertEquals("[1, [2, [3]]]", PythonLiteral.render(List.of(1L, List.of(2L, List.of(3L)))));
    assertEquals("[]", PythonLiteral.render(List.of()));
    assertEquals("{}", PythonLiteral.render(Map.of()));
    assertEquals("set()", PythonLiteral.render(Set.of()));
    assertEquals("{1, 2, 3}", PythonLiteral.render(new LinkedHashSet<>(List.of(3L, 1L, 2L))));
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(b("b"), 2L);
    map.put(b("ab"), 4L);
    map.put(b("a"), 3L);
    map.put(b("aa"), 1L);
    assertEquals("{b'a': 3, b'aa': 1, b'ab': 4, b'b': 2}", PythonLiteral.render(map));
  }

  @Test
  void renderRejectsValuesOutsideTheModel() {
    assertThrows(IllegalArgumentException.class, () -> PythonLiteral.render(1));
    assertThrows(IllegalArgumentException.class, () -> PythonLiteral.render(1.5));
    assertThrows(IllegalArgumentException.class, () -> PythonLiteral.render(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> PythonLiteral.render(List.of(new Object())));
  }

  /** Values built in Java render canonically and parse back equal. */
  @Test
  void generatedValuesRoundTrip() {
    Random random = new Random(7);
    for (int n = 0; n < 5_000; n++) {
      Object value = randomValue(random, 0, false);
      String rendered = PythonLiteral.render(value);
      assertEquals(value, PythonLiteral.parse(rendered), rendered);
      assertEquals(rendered, PythonLiteral.render(PythonLiteral.parse(rendered)));
    }
  }

  private static Object randomValue(Random random, int depth, boolean key) {
    int kind = random.nextInt(depth > 3 || key ? 6 : 9);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextInt(3) == 0 ? random.nextLong() : (long) random.nextInt(100) - 50;
      case 3:
        return new BigInteger(66, random).add(BigInteger.ONE.shiftLeft(64))
            .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case 4: {
        byte[] bytes = new byte[random.nextInt(5)];
        random.nextBytes(bytes);
        return ByteString.wrap(bytes);
      }
      case 5: {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          s.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x11000) : random.nextInt(0x80));
        }
        return s.toString();
      }
      case 6: {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(randomValue(random, depth + 1, false));
        }
        return list;
      }
      case 7: {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put(randomValue(random, depth + 1, true), randomValue(random, depth + 1, false));
        }
        return map;
      }
      default: {
        Set<Object> set = new LinkedHashSet<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          set.add(randomValue(random, depth + 1, true));
        }
        return set;
      }
    }
  }

  // ---- canonical order (the comparator itself is tested in cbor.CanonicalOrderTest) ----------

  @Test
  void canonicalOrderExamples() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(0L, b("zero"));
    map.put(b("a"), 1L);
    assertEquals("{b'a': 1, 0: b'zero'}", PythonLiteral.render(map));
    assertEquals("{b'a': 3, b'aa': 1, b'ab': 4, b'b': 2}",
        PythonLiteral.render(PythonLiteral.parse("{b'b': 2, b'ab': 4, b'aa': 1, b'a': 3}")));
    assertEquals("{b'a', b'b', b'c'}", PythonLiteral.render(PythonLiteral.parse("{b'b', b'a', b'c'}")));
    // Tuple keys order like Python tuples, and render as lists.
    assertEquals("{[0, 1], [1, 2]}",
        PythonLiteral.render(PythonLiteral.parse("{(1, 2), (0, 1)}")));
  }

  // ---- vector file reading -------------------------------------------------------------------

  private static List<String> vectorLines(String name) {
    try (InputStream in = PythonLiteralTest.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        fail("missing test resource /vectors/" + name);
      }
      // The vector files are Latin-1 text.
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      return reader.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every string value in a JSON line, keyed by the name of its field. Strings that are
   * elements of an array are keyed by the field name plus {@code []}.
   */
  private static Map<String, List<String>> stringFields(String line) {
    Map<String, List<String>> found = new HashMap<>();
    try (JsonParser parser = JSON.createParser(line)) {
      Deque<String> owners = new ArrayDeque<>();
      String field = null;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          continue;
        }
        String owner = field != null ? field : owners.isEmpty() ? "" : owners.peek() + "[]";
        field = null;
        switch (token) {
          case START_ARRAY -> owners.push(owner);
          case START_OBJECT -> owners.push("");
          case END_ARRAY, END_OBJECT -> owners.pop();
          case VALUE_STRING -> found.computeIfAbsent(owner, k -> new ArrayList<>())
              .add(parser.getText());
          default -> { }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The payload of a human frame string: the sixth space-separated field, spaces and all. */
  private static String humanPayload(String human) {
    String[] parts = human.split(" ", 6);
    return parts.length == 6 ? parts[5] : "";
  }
}
