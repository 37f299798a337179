package org.hgrpc.core.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class CborEncoderTest {

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static String hex(Object value) {
    return ByteString.wrap(CborEncoder.encode(value)).hex();
  }

  /** The chunks {@link CborEncoder#streamEncode} hands out, as hex. */
  private static List<String> chunks(Object value) {
    List<String> out = new ArrayList<>();
    CborEncoder.streamEncode(value, (buf, off, len) -> out.add(ByteString.copyOf(buf, off, len).hex()));
    return out;
  }

  private static List<String> drain(Iterator<ByteString> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(c -> out.add(c.hex()));
    return out;
  }

  // ---- integers ----

  @Test
  void unsignedIntegersUseTheShortestForm() {
    assertEquals("00", hex(0L));
    assertEquals("17", hex(23L));
    assertEquals("1818", hex(24L));
    assertEquals("18ff", hex(255L));
    assertEquals("190100", hex(256L));
    assertEquals("19ffff", hex(65535L));
    assertEquals("1a00010000", hex(65536L));
    assertEquals("1affffffff", hex(4294967295L));
    assertEquals("1b0000000100000000", hex(4294967296L));
    assertEquals("1b7fffffffffffffff", hex(Long.MAX_VALUE));
  }

  @Test
  void negativeIntegersUseTheShortestForm() {
    assertEquals("20", hex(-1L));
    assertEquals("37", hex(-24L));
    assertEquals("3818", hex(-25L));
    assertEquals("38ff", hex(-256L));
    assertEquals("390100", hex(-257L));
    assertEquals("3a00010000", hex(-65537L));
    assertEquals("3b0000000100000000", hex(-4294967297L));
    assertEquals("3b7fffffffffffffff", hex(Long.MIN_VALUE));
  }

  @Test
  void smallIntegerTypesAreNormalisedToLong() {
    assertEquals(hex(1000L), hex(1000));
    assertEquals(hex(-5L), hex((short) -5));
    assertEquals(hex(-128L), hex((byte) -128));
    assertEquals("1903e8", hex(1000));
  }

  @Test
  void bigIntegersUpToTheCborBounds() {
    BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
    assertEquals("1bffffffffffffffff", hex(twoTo64.subtract(BigInteger.ONE)));
    assertEquals("3bffffffffffffffff", hex(twoTo64.negate()));
    assertEquals("1b8000000000000000", hex(BigInteger.ONE.shiftLeft(63)));
    assertEquals("3b8000000000000000", hex(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)));
    assertEquals("05", hex(BigInteger.valueOf(5)), "small big integers in shortest form");
    assertEquals("24", hex(BigInteger.valueOf(-5)));
  }

  @Test
  void bigIntegersBeyondTheBoundsAreRefused() {
    BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(twoTo64));
    assertEquals("big integers not supported: 18446744073709551616", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CborEncoder.encode(twoTo64.negate().subtract(BigInteger.ONE)));
    assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(List.of(twoTo64)));
    assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(Map.of(twoTo64, 1L)));
  }

  // ---- simple values and byte strings ----

  @Test
  void simpleValues() {
    assertEquals("f5", hex(true));
    assertEquals("f4", hex(false));
    assertEquals("f6", hex(null));
  }

  @Test
  void byteStringsAndByteArrays() {
    assertEquals("40", hex(ByteString.EMPTY));
    assertEquals("43666f6f", hex(b("foo")));
    assertEquals("43666f6f", hex("foo".getBytes()));
    assertEquals("5818" + "00".repeat(24), hex(new byte[24]));
    assertEquals("590100" + "00".repeat(256), hex(ByteString.wrap(new byte[256])));
    assertEquals("4162", hex(b("abc").substring(1, 2)));
  }

  @Test
  void textStringsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode("foo"));
    assertEquals("do not know how to encode java.lang.String", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(List.of("foo")));
    assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(Map.of(b("k"), "v")));
    assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(1.5));
  }

  @Test
  void textMapKeysAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CborEncoder.encode(Map.of("k", 1L)));
    assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
  }

  // ---- collections ----

  @Test
  void listsAndOtherCollectionsAreDefiniteArrays() {
    assertEquals("80", hex(List.of()));
    assertEquals("83010203", hex(List.of(1L, 2L, 3L)));
    assertEquals("8201820203", hex(List.of(1L, List.of(2L, 3L))));
    assertEquals("820102", hex(new java.util.ArrayDeque<>(List.of(1L, 2L))));
    List<Long> big = new ArrayList<>();
    for (long i = 0; i < 24; i++) {
      big.add(0L);
    }
    assertEquals("9818" + "00".repeat(24), hex(big));
  }

  @Test
  void mapKeysAreSortedWhateverTheMapOrder() {
    Map<ByteString, Long> m = new LinkedHashMap<>();
    m.put(b("b"), 2L);
    m.put(b("a"), 1L);
    m.put(b("aa"), 3L);
    assertEquals("a3" + "4161" + "01" + "426161" + "03" + "4162" + "02", hex(m));
    assertEquals(hex(new TreeMap<>(m)), hex(m));
    assertEquals("a0", hex(Map.of()));
  }

  @Test
  void mixedMapKeysSortByPythonTypeNameThenValue() {
    // NoneType < bool < bytes < int
    Map<Object, Object> m = new HashMap<>();
    m.put(5L, b("int5"));
    m.put(-1L, b("int-1"));
    m.put(b("z"), b("bytes"));
    m.put(true, b("bool"));
    m.put(null, b("none"));
    assertEquals("a5"
        + "f6" + "446e6f6e65"
        + "f5" + "44626f6f6c"
        + "417a" + "456279746573"
        + "20" + "45696e742d31"
        + "05" + "44696e7435", hex(m));
  }

  @Test
  void mapKeysOfSmallIntegerTypesAreNormalised() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(2, b("two"));
    m.put((short) 1, b("one"));
    assertEquals("a2" + "01" + "436f6e65" + "02" + "4374776f", hex(m));
  }

  @Test
  void mapKeysOfByteArraysAreNormalised() {
    Map<Object, Object> arrays = new LinkedHashMap<>();
    arrays.put(new byte[] {'b'}, 1L);
    arrays.put(new byte[] {'a'}, 2L);
    assertEquals("a2" + "4161" + "02" + "4162" + "01", hex(arrays));
  }

  @Test
  void aSingleSmallIntegerKeyIsNormalised() {
    assertEquals("a1" + "1903e8" + "f5", hex(Map.of(1000, true)));
  }

  @Test
  void nestedMaps() {
    Map<Object, Object> inner = Map.of(b("k"), Arrays.asList(true, null));
    assertEquals("a1416fa1416b82f5f6", hex(Map.of(b("o"), inner)));
  }

  @Test
  void setsAreTag258OnASortedArray() {
    Set<Object> s = new LinkedHashSet<>(List.of(b("b"), b("a")));
    assertEquals("d90102" + "82" + "4161" + "4162", hex(s));
    assertEquals("d9010280", hex(Set.of()));
    Set<Object> mixed = new LinkedHashSet<>(List.of(3L, b("x"), false));
    assertEquals("d9010283f4417803", hex(mixed));
  }

  @Test
  void setsOfSmallIntegerTypesAreNormalised() {
    assertEquals("d90102820102", hex(new LinkedHashSet<>(List.of(2, 1))));
  }

  @Test
  void deeplyNestedValuesAreRefusedNotOverflowed() {
    Object v = 1L;
    for (int i = 0; i < 20_000; i++) {
      v = List.of(v);
    }
    Object deep = v;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CborEncoder.encode(deep));
    assertEquals("value nested too deeply to encode: more than " + CborEncoder.MAX_ENCODE_DEPTH + " levels",
        e.getMessage());
  }

  @Test
  void encodeToAndEncodeToByteStringAgree() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CborEncoder.encodeTo(List.of(b("x"), 1L), out);
    assertEquals("824178" + "01", ByteString.wrap(out.toByteArray()).hex());
    assertEquals(ByteString.wrap(out.toByteArray()), CborEncoder.encodeToByteString(List.of(b("x"), 1L)));
  }

  // ---- indefinite byte strings ----

  @Test
  void splitEncodesChunksOfTheGivenSize() {
    // begin, b'abc', b'de', break
    assertEquals("5f" + "43616263" + "426465" + "ff", hex(IndefiniteByteString.split(b("abcde"), 3)));
  }

  @Test
  void splitOfEmptyInputIsOneEmptyChunk() {
    assertEquals("5f40ff", hex(IndefiniteByteString.split(ByteString.EMPTY, 10)));
  }

  @Test
  void splitOfAnExactMultipleHasNoTrailingEmptyChunk() {
    assertEquals("5f" + "426162" + "426364" + "ff", hex(IndefiniteByteString.split(b("abcd"), 2)));
  }

  @Test
  void splitDefaultChunkSizeIsCborutils() {
    assertEquals(65536, IndefiniteByteString.DEFAULT_CHUNK_SIZE);
    byte[] enc = CborEncoder.encode(IndefiniteByteString.split(ByteString.wrap(new byte[65537]),
        IndefiniteByteString.DEFAULT_CHUNK_SIZE));
    assertEquals(1 + 5 + 65536 + 2 + 1, enc.length);
    assertEquals("5f5a00010000", ByteString.wrap(enc).substring(0, 6).hex());
    assertEquals("4100ff", ByteString.wrap(enc).substring(enc.length - 3, enc.length).hex());
  }

  @Test
  void splitNeedsAPositiveChunkSize() {
    assertThrows(IllegalArgumentException.class, () -> IndefiniteByteString.split(b("x"), 0));
    assertThrows(IllegalArgumentException.class,
        () -> IndefiniteByteString.fromInputStream(new ByteArrayInputStream(new byte[0]), 0));
  }

  @Test
  void fromChunksKeepsTheGivenChunksIncludingEmptyOnes() {
    Iterator<ByteString> it = List.of(b("ab"), ByteString.EMPTY, b("c")).iterator();
    assertEquals("5f" + "426162" + "40" + "4163" + "ff", hex(IndefiniteByteString.fromChunks(it)));
    assertEquals("5fff", hex(IndefiniteByteString.fromChunks(List.<ByteString>of().iterator())));
    assertThrows(NullPointerException.class, () -> IndefiniteByteString.fromChunks(null));
  }

  @Test
  void fromInputStreamReadsChunksAndClosesAtTheEnd() {
    boolean[] closed = {false};
    InputStream in = new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    assertEquals("5f" + "43010203" + "420405" + "ff", hex(IndefiniteByteString.fromInputStream(in, 3)));
    assertTrue(closed[0]);
  }

  @Test
  void fromInputStreamOfNothingHasNoChunks() {
    assertEquals("5fff", hex(IndefiniteByteString.fromInputStream(new ByteArrayInputStream(new byte[0]), 3)));
  }

  @Test
  void fromInputStreamReadFailureIsUnchecked() {
    IOException boom = new IOException("boom");
    InputStream in = new InputStream() {
      @Override
      public int read() throws IOException {
        throw boom;
      }
    };
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> CborEncoder.encode(IndefiniteByteString.fromInputStream(in, 4)));
    assertEquals(boom, e.getCause());
  }

  @Test
  void indefiniteByteStringInsideAList() {
    assertEquals("825f4178ff01", hex(List.of(IndefiniteByteString.split(b("x"), 5), 1L)));
  }

  @Test
  void indefiniteChunksAreBeginHeaderContentAndBreak() {
    assertEquals(List.of("5f", "42", "6162", "41", "63", "ff"),
        drain(CborEncoder.indefiniteChunks(IndefiniteByteString.split(b("abc"), 2))));
    assertEquals(List.of("5f", "40", "", "ff"),
        drain(CborEncoder.indefiniteChunks(IndefiniteByteString.split(ByteString.EMPTY, 2))));
  }

  @Test
  void indefiniteChunksPullTheSourceOnlyWhenAHeaderIsAskedFor() {
    int[] pulled = {0};
    Iterator<ByteString> source = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pulled[0] < 3;
      }

      @Override
      public ByteString next() {
        pulled[0]++;
        return b("x");
      }
    };
    Iterator<ByteString> it = CborEncoder.indefiniteChunks(IndefiniteByteString.fromChunks(source));
    assertEquals(0, pulled[0]);
    assertEquals("5f", it.next().hex());
    assertEquals(0, pulled[0]);
    assertEquals("41", it.next().hex());
    assertEquals(1, pulled[0]);
    assertEquals("78", it.next().hex());
    assertEquals(1, pulled[0]);
    it.next();
    assertEquals(2, pulled[0]);
    it.next();
    it.next();
    it.next();
    assertEquals(3, pulled[0]);
    assertEquals("ff", it.next().hex());
    assertFalse(it.hasNext());
    assertThrows(java.util.NoSuchElementException.class, it::next);
  }

  @Test
  void indefiniteChunksOfAnInputStreamReadOneChunkAtATime() {
    int[] read = {0};
    InputStream in = new InputStream() {
      @Override
      public int read() {
        if (read[0] >= 1000) {
          return -1;
        }
        read[0]++;
        return 7;
      }
    };
    Iterator<ByteString> it = CborEncoder.indefiniteChunks(IndefiniteByteString.fromInputStream(in, 100));
    it.next();
    assertEquals(0, read[0]);
    assertEquals("5864", it.next().hex());
    assertEquals(100, read[0]);
    assertEquals(100, it.next().size());
    assertEquals(100, read[0]);
  }

  // ---- streamEncode chunk boundaries ----

  @Test
  void streamEncodeSplitsByteStringHeaderFromContent() {
    assertEquals(List.of("43", "666f6f"), chunks(b("foo")));
  }

  @Test
  void streamEncodeHasAnEmptyContentChunkForEmptyBytes() {
    assertEquals(List.of("40", ""), chunks(ByteString.EMPTY));
  }

  @Test
  void streamEncodeIntegersAndSimpleValuesAreOneChunk() {
    assertEquals(List.of("1903e8"), chunks(1000L));
    assertEquals(List.of("f5"), chunks(true));
    assertEquals(List.of("f6"), chunks(null));
    assertEquals(List.of("1bffffffffffffffff"), chunks(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
  }

  @Test
  void streamEncodeOfAMap() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(b("status"), b("ok"));
    m.put(3L, List.of(b(""), false));
    assertEquals(List.of("a2", "46", "737461747573", "42", "6f6b", "03", "82", "40", "", "f4"), chunks(m));
  }

  @Test
  void streamEncodeOfASet() {
    assertEquals(List.of("d90102", "82", "01", "02"), chunks(new LinkedHashSet<>(List.of(2L, 1L))));
  }

  @Test
  void streamEncodeOfAnIndefiniteByteString() {
    assertEquals(List.of("5f", "42", "6162", "41", "63", "ff"),
        chunks(IndefiniteByteString.split(b("abc"), 2)));
  }

  @Test
  void streamEncodeChunksJoinToTheEncoding() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(b("name"), b("heads"));
    m.put(b("args"), Map.of(b("x"), List.of(1L, -300L, ByteString.wrap(new byte[300]))));
    StringBuilder joined = new StringBuilder();
    chunks(m).forEach(joined::append);
    assertEquals(hex(m), joined.toString());
  }

  @Test
  void streamEncodeOfLargeBytesKeepsTheContentWhole() {
    byte[] big = new byte[100_000];
    Arrays.fill(big, (byte) 1);
    List<Integer> sizes = new ArrayList<>();
    CborEncoder.streamEncode(ByteString.wrap(big), (buf, off, len) -> sizes.add(len));
    assertEquals(List.of(5, 100_000), sizes);
  }
}
