package org.hgrpc.core.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CborDecoderTest {

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static List<Object> decodeAll(String hex) throws CborDecodeException {
    return CborDecoder.decodeAll(ByteString.fromHex(hex));
  }

  private static Object decodeOne(String hex) throws CborDecodeException {
    List<Object> values = decodeAll(hex);
    assertEquals(1, values.size(), "values of " + hex);
    return values.get(0);
  }

  private static String error(String hex) {
    return assertThrows(CborDecodeException.class, () -> decodeAll(hex)).getMessage();
  }

  private static String error(CborDecoder decoder, String hex) {
    return assertThrows(CborDecodeException.class,
        () -> CborDecoder.decodeAll(ByteString.fromHex(hex), decoder)).getMessage();
  }

  // ---- values ----

  @Test
  void integers() throws CborDecodeException {
    assertEquals(0L, decodeOne("00"));
    assertEquals(23L, decodeOne("17"));
    assertEquals(24L, decodeOne("1818"));
    assertEquals(65535L, decodeOne("19ffff"));
    assertEquals(4294967296L, decodeOne("1b0000000100000000"));
    assertEquals(Long.MAX_VALUE, decodeOne("1b7fffffffffffffff"));
    assertEquals(-1L, decodeOne("20"));
    assertEquals(-257L, decodeOne("390100"));
    assertEquals(Long.MIN_VALUE, decodeOne("3b7fffffffffffffff"));
  }

  @Test
  void integersBeyondLongAreBigIntegers() throws CborDecodeException {
    assertEquals(BigInteger.ONE.shiftLeft(63), decodeOne("1b8000000000000000"));
    assertEquals(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), decodeOne("1bffffffffffffffff"));
    assertEquals(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE), decodeOne("3b8000000000000000"));
    assertEquals(BigInteger.ONE.shiftLeft(64).negate(), decodeOne("3bffffffffffffffff"));
  }

  @Test
  void nonShortestIntegersAreAccepted() throws CborDecodeException {
    assertEquals(1L, decodeOne("1801"));
    assertEquals(1L, decodeOne("1b0000000000000001"));
  }

  @Test
  void simpleValuesAndByteStrings() throws CborDecodeException {
    assertEquals(List.of(true, false), decodeAll("f5f4"));
    assertEquals(Arrays.asList((Object) null), decodeAll("f6"));
    assertEquals(ByteString.EMPTY, decodeOne("40"));
    assertEquals(b("foo"), decodeOne("43666f6f"));
    assertEquals(ByteString.wrap(new byte[300]), decodeOne("59012c" + "00".repeat(300)));
  }

  @Test
  void collections() throws CborDecodeException {
    assertEquals(List.of(), decodeOne("80"));
    assertEquals(List.of(1L, List.of(2L, List.of()), b("x")), decodeOne("830182028041" + "78"));
    Map<Object, Object> m = new HashMap<>();
    m.put(b("a"), 1L);
    m.put(2L, List.of());
    m.put(true, null);
    m.put(null, false);
    m.put(-3L, Map.of());
    assertEquals(m, decodeOne("a5" + "416101" + "0280" + "f5f6" + "f6f4" + "22a0"));
    assertEquals(new LinkedHashSet<>(List.of(1L, b("a"))), decodeOne("d90102820141" + "61"));
    assertEquals(Set.of(), decodeOne("d9010280"));
  }

  @Test
  void setsInsideCollections() throws CborDecodeException {
    assertEquals(List.of(Set.of(1L)), decodeOne("81d901028101"));
    assertEquals(Map.of(b("s"), Set.of()), decodeOne("a14173d9010280"));
  }

  @Test
  void severalTopLevelValues() throws CborDecodeException {
    assertEquals(List.of(1L, List.of(2L), b("c")), decodeAll("01810241" + "63"));
    assertEquals(List.of(), decodeAll(""));
  }

  @Test
  void emptyCollectionsNestedAtEveryLevelClose() throws CborDecodeException {
    assertEquals(List.of(List.of(List.of()), 1L), decodeOne("82818001"));
  }

  // ---- indefinite byte strings ----

  @Test
  void indefiniteByteStringComesOutAsChunks() throws CborDecodeException {
    assertEquals(List.of(
        new ByteStringChunk(b("abc"), true, false),
        new ByteStringChunk(b("d"), false, false),
        new ByteStringChunk(ByteString.EMPTY, false, true)),
        decodeAll("5f" + "43616263" + "4164" + "ff"));
  }

  @Test
  void emptyIndefiniteByteStringIsOneFirstAndLastChunk() throws CborDecodeException {
    assertEquals(List.of(new ByteStringChunk(ByteString.EMPTY, true, true)), decodeAll("5fff"));
  }

  @Test
  void indefiniteByteStringFollowedByAnotherValue() throws CborDecodeException {
    assertEquals(List.of(new ByteStringChunk(b("a"), true, false), new ByteStringChunk(ByteString.EMPTY, false, true),
        7L), decodeAll("5f4161ff07"));
  }

  @Test
  void referenceQuirkIntegerChunkIsThatManyZeroBytes() throws CborDecodeException {
    List<Object> chunks = decodeAll("5f" + "03" + "f5" + "f4" + "ff");
    assertEquals(new ByteStringChunk(ByteString.wrap(new byte[3]), true, false), chunks.get(0));
    assertEquals(new ByteStringChunk(ByteString.wrap(new byte[1]), false, false), chunks.get(1));
    assertEquals(new ByteStringChunk(ByteString.EMPTY, false, false), chunks.get(2));
    assertEquals(new ByteStringChunk(ByteString.EMPTY, false, true), chunks.get(3));
  }

  @Test
  void integerChunkIsBoundedByTheByteStringLimit() {
    CborDecoder small = new CborDecoder(8, 100);
    assertEquals("integer bytestring chunks exceed maximum size 100: 101", error(small, "5f1865ff"));
    assertTrue(error(new CborDecoder(8, 100), "5f1bffffffffffffffffff")
        .startsWith("integer bytestring chunks exceed maximum size 100: "));
  }

  @Test
  void integerChunksShareOneBudgetSoInputCannotAmplify() {
    // Each chunk alone is within the limit; together they are not (found by fuzzing: 2.5 KB of
    // input made 500 MB of zero bytes when the limit applied per chunk).
    CborDecoder small = new CborDecoder(8, 100);
    assertEquals("integer bytestring chunks exceed maximum size 100: 120", error(small, "5f18281828182818" + "28ff"));
  }

  @Test
  void nonBytesChunksAreRefused() {
    assertEquals("bytestring chunk must be bytes, not None", error("5ff6ff"));
    assertEquals("bytestring chunk must be bytes, not a negative integer", error("5f20ff"));
    assertEquals("bytestring chunk must be bytes, not a negative integer", error("5f3bffffffffffffffffff"));
    assertEquals("unexpected special value when expecting bytestring chunk: 2", error("5f80ff"));
    assertEquals("unexpected special value when expecting bytestring chunk: 3", error("5fa0ff"));
    assertEquals("unexpected special value when expecting bytestring chunk: 1", error("5f5fffff"));
    assertEquals("unexpected special value when expecting bytestring chunk: 4", error("5fd9010280ff"));
  }

  // ---- every refusal ----

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "61 61                | string major type not supported",
      "7f                   | string major type not supported",
      "8161 61              | string major type not supported",
      "1c                   | unsupported subtype on integer type: 28",
      "3d                   | unsupported subtype on integer type: 29",
      "5e                   | unsupported subtype on integer type: 30",
      "1f                   | indefinite length uint not allowed here",
      "3f                   | indefinite length uint not allowed here",
      "9f ff                | indefinite length uint not allowed here",
      "bf ff                | indefinite length uint not allowed here",
      "df                   | indefinite length uint not allowed here",
      "c5 00                | semantic tag 5 not allowed",
      "c0 00                | semantic tag 0 not allowed",
      "d9 0103 80           | semantic tag 259 not allowed",
      "d9 0102 01           | expected array after finite set semantic tag",
      "d9 0102 a0           | expected array after finite set semantic tag",
      "d9 0102 d9 0102 80   | expected array after finite set semantic tag",
      "d9 0102 c5 80        | semantic tag 5 not allowed",
      "f9 0000              | special type 25 not allowed",
      "fa 00000000          | special type 26 not allowed",
      "fb 0000000000000000  | special type 27 not allowed",
      "f7                   | special type 23 not allowed",
      "e0                   | special type 0 not allowed",
      "f8 20                | special type 24 not allowed",
      "81 5f ff             | indefinite length bytestrings not allowed as array values",
      "82 ff                | unhandled special item when expecting array value: 5",
      "a1 5f ff             | indefinite length bytestrings not allowed as map keys",
      "a1 ff                | unhandled special item when expecting map key: 5",
      "a1 80 01             | collections not supported as map keys",
      "a1 a0 01             | collections not supported as map keys",
      "a1 d9010280 01       | collections not supported as map keys",
      "a1 4161 5f ff        | indefinite length bytestrings not allowed as map values",
      "a1 4161 ff           | unhandled special item when expecting map value: 5",
      "d9 0102 81 5f ff     | indefinite length bytestrings not allowed as set values",
      "d9 0102 81 ff        | unhandled special item when expecting set value: 5",
      "d9 0102 81 80        | collections not allowed as set values",
      "d9 0102 81 a0        | collections not allowed as set values",
      "9b ffffffffffffffff  | collection size out of range: 18446744073709551615",
      "bb 8000000000000000  | collection size out of range: 9223372036854775808",
      "19 01                | input data not fully consumed",
      "43 6162              | input data not fully consumed",
      "d9 01                | input data not fully consumed",
      "d9 0102              | input data not fully consumed",
      "01 1a 000000         | input data not fully consumed",
      "82 01                | input data not complete",
      "a1 4161              | input data not complete",
      "5f 4161              | input data not complete",
      "d9 0102 82 01        | input data not complete",
  })
  void refusals(String hex, String message) {
    assertEquals(message, error(hex.replace(" ", "")));
  }

  @Test
  void aBreakAtTopLevelIsRefusedWithTheReferenceMessage() {
    // cborutil: raise CBORDecodeError('unhandled special state: %d' % special)
    assertEquals("unhandled special state: 5", error("ff"));
  }

  @Test
  void aBreakAfterAWholeValueIsRefusedToo() {
    assertEquals("unhandled special state: 5", error("01ff"));
  }

  // ---- limits ----

  @Test
  void depthLimitCountsCollectionLevels() throws CborDecodeException {
    CborDecoder two = new CborDecoder(2, 1000);
    assertEquals(List.of(List.of(List.of(1L))), CborDecoder.decodeAll(ByteString.fromHex("818101"), two));
    assertEquals("CBOR nesting exceeds maximum depth 2", error(new CborDecoder(2, 1000), "81818101"));
    assertEquals("CBOR nesting exceeds maximum depth 2", error(new CborDecoder(2, 1000), "a1416181a0"));
    assertEquals("CBOR nesting exceeds maximum depth 1", error(new CborDecoder(1, 1000), "81d9010280"));
  }

  @Test
  void siblingsDoNotAddDepth() throws CborDecodeException {
    CborDecoder two = new CborDecoder(2, 1000);
    assertEquals(List.of(List.of(), List.of(), List.of()),
        CborDecoder.decodeAll(ByteString.fromHex("83808080"), two).get(0));
  }

  @Test
  void defaultDepthIsSixtyFour() throws CborDecodeException {
    assertEquals(1, decodeAll("81".repeat(63) + "01").size());
    assertEquals("CBOR nesting exceeds maximum depth 64", error("81".repeat(65) + "01"));
  }

  @Test
  void deepNestingBeyondAnyLimitFailsCleanly() {
    String hex = "81".repeat(100_000) + "01";
    assertEquals("CBOR nesting exceeds maximum depth 64", error(hex));
  }

  @Test
  void byteStringLimitRefusesOnTheHeaderBeforeTheContentArrives() {
    CborDecoder decoder = new CborDecoder(8, 10);
    byte[] headerOnly = ByteString.fromHex("5a00100000").toByteArray();
    CborDecodeException e = assertThrows(CborDecodeException.class, () -> decoder.decode(headerOnly, 0, 5));
    assertEquals("bytestring exceeds maximum size 10: 1048576", e.getMessage());
    assertEquals("bytestring exceeds maximum size 10: 18446744073709551615",
        error(new CborDecoder(8, 10), "5bffffffffffffffff"));
  }

  @Test
  void byteStringAtTheLimitIsAccepted() throws CborDecodeException {
    assertEquals(ByteString.wrap(new byte[10]),
        CborDecoder.decodeAll(ByteString.fromHex("4a" + "00".repeat(10)), new CborDecoder(8, 10)).get(0));
    assertEquals("bytestring exceeds maximum size 10: 11", error(new CborDecoder(8, 10), "4b" + "00".repeat(11)));
  }

  @Test
  void hugeAnnouncedCollectionSizesAreNotPreallocated() {
    assertEquals("input data not complete", error("9b7fffffffffffffff01"));
    assertEquals("input data not complete", error("bb7fffffffffffffff0102"));
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new CborDecoder(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new CborDecoder(1, -1));
  }

  // ---- tag chains ----

  @Test
  void aLongChainOfSetTagsDoesNotOverflowTheStack() {
    String chain = "d90102".repeat(200_000);
    assertEquals("expected array after finite set semantic tag", error(chain + "80"));
    assertEquals("input data not fully consumed", error(chain));
    assertEquals("semantic tag 5 not allowed", error(chain + "c580"));
  }

  @Test
  void aLongChainFedIncrementallyStaysIncompleteThenFails() throws CborDecodeException {
    StreamingCborDecoder s = new StreamingCborDecoder();
    ByteString chain = ByteString.fromHex("d90102".repeat(1000));
    assertEquals(List.of(), s.feed(chain));
    assertEquals(3000, s.pendingBytes());
    CborDecodeException e = assertThrows(CborDecodeException.class, () -> s.feed(ByteString.fromHex("80")));
    assertEquals("expected array after finite set semantic tag", e.getMessage());
  }

  // ---- the incremental interface ----

  @Test
  void decodeConsumesOnlyWholeItems() throws CborDecodeException {
    CborDecoder d = new CborDecoder();
    byte[] b = ByteString.fromHex("01" + "4361").toByteArray();
    assertEquals(1, d.decode(b, 0, b.length));
    assertEquals(List.of(1L), d.takeAvailable());
    assertFalse(d.inProgress());
    assertFalse(d.hasAvailable());
    assertEquals(1, d.decodedByteCount());
  }

  @Test
  void collectionsReportProgressAndCountBytes() throws CborDecodeException {
    CborDecoder d = new CborDecoder();
    byte[] b = ByteString.fromHex("8201" + "02").toByteArray();
    assertEquals(2, d.decode(b, 0, 2));
    assertTrue(d.inProgress());
    assertFalse(d.hasAvailable());
    assertEquals(1, d.decode(b, 2, 1));
    assertFalse(d.inProgress());
    assertTrue(d.hasAvailable());
    assertEquals(List.of(List.of(1L, 2L)), d.takeAvailable());
    assertEquals(List.of(), d.takeAvailable());
    assertEquals(3, d.decodedByteCount());
  }

  @Test
  void decodeHonoursOffsetAndLength() throws CborDecodeException {
    CborDecoder d = new CborDecoder();
    byte[] b = ByteString.fromHex("ff" + "0203" + "ff").toByteArray();
    assertEquals(2, d.decode(b, 1, 2));
    assertEquals(List.of(2L, 3L), d.takeAvailable());
  }

  @Test
  void indefiniteChunksAreAvailableBeforeTheBreak() throws CborDecodeException {
    CborDecoder d = new CborDecoder();
    byte[] b = ByteString.fromHex("5f" + "4161" + "4162").toByteArray();
    assertEquals(5, d.decode(b, 0, 5));
    assertTrue(d.inProgress());
    assertEquals(List.of(new ByteStringChunk(b("a"), true, false), new ByteStringChunk(b("b"), false, false)),
        d.takeAvailable());
  }

  @Test
  void decodedValuesAreModifiableJavaCollections() throws CborDecodeException {
    @SuppressWarnings("unchecked")
    List<Object> l = (List<Object>) decodeOne("8101");
    l.add(2L);
    assertEquals(2, l.size());
    assertInstanceOf(Map.class, decodeOne("a0"));
  }

  @Test
  void chunkRequiresData() {
    assertThrows(NullPointerException.class, () -> new ByteStringChunk(null, true, true));
  }

  @Test
  void manyValuesInOneBuffer() throws CborDecodeException {
    StringBuilder hex = new StringBuilder();
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      hex.append("19").append(String.format("%04x", i * 7));
      expected.add((long) i * 7);
    }
    assertEquals(expected, decodeAll(hex.toString()));
  }
}
