package org.hgrpc.core.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Jackson's CBOR parser as an independent oracle: our encoder's output must be standard CBOR
 * that Jackson reads back as the same value, and our decoder must agree with Jackson on it.
 * Maps are left out (Jackson turns byte-string keys into text).
 */
class JacksonOracleTest {

  private static final CBORFactory JACKSON = new CBORFactory();

  /** Reads one value at the parser's current token into our value model. */
  private static Object read(CBORParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(read(p, next));
        }
        return l;
      }
      case VALUE_NUMBER_INT: {
        BigInteger v = p.getBigIntegerValue();
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
      }
      case VALUE_EMBEDDED_OBJECT:
        return ByteString.wrap(p.getBinaryValue());
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return null;
      default:
        throw new AssertionError("unexpected Jackson token " + t);
    }
  }

  private static List<Object> readAllWithJackson(byte[] cbor) throws IOException {
    List<Object> out = new ArrayList<>();
    try (CBORParser p = (CBORParser) JACKSON.createParser(cbor)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        out.add(read(p, t));
      }
    }
    return out;
  }

  @Test
  void randomValuesAgreeWithJackson() throws Exception {
    Random random = new Random(20240601);
    for (int i = 0; i < 2000; i++) {
      Object value = CborTestValues.randomValue(random, 0);
      byte[] cbor = CborEncoder.encode(value);
      List<Object> jackson = readAllWithJackson(cbor);
      List<Object> ours = CborDecoder.decodeAll(ByteString.wrap(cbor));
      assertEquals(java.util.Collections.singletonList(value), jackson, "Jackson reads our encoding of #" + i);
      assertEquals(jackson, ours, "our decoder agrees with Jackson on #" + i);
      assertEquals(1, ours.size());
      assertEquals(value, ours.get(0), "round trip of #" + i);
    }
  }

  @Test
  void aSequenceOfValuesAgreesWithJackson() throws Exception {
    Random random = new Random(7);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Object v = CborTestValues.randomValue(random, 2);
      values.add(v);
      out.writeBytes(CborEncoder.encode(v));
    }
    byte[] cbor = out.toByteArray();
    assertEquals(values, CborDecoder.decodeAll(ByteString.wrap(cbor)));
    assertEquals(readAllWithJackson(cbor), CborDecoder.decodeAll(ByteString.wrap(cbor)));
  }

  @Test
  void integerBoundariesAgreeWithJackson() throws Exception {
    BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
    List<Object> values = List.of(0L, 23L, 24L, -24L, -25L, 255L, 256L, -256L, -257L, 65535L, 65536L,
        4294967295L, 4294967296L, -4294967296L, -4294967297L, Long.MAX_VALUE, Long.MIN_VALUE,
        BigInteger.ONE.shiftLeft(63), twoTo64.subtract(BigInteger.ONE), twoTo64.negate(),
        BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE));
    for (Object v : values) {
      byte[] cbor = CborEncoder.encode(v);
      assertEquals(List.of(v), readAllWithJackson(cbor), "Jackson reads " + v);
      assertEquals(List.of(v), CborDecoder.decodeAll(ByteString.wrap(cbor)), "we read " + v);
    }
  }

  @Test
  void indefiniteByteStringsAreStandardForJackson() throws Exception {
    byte[] content = new byte[100_000];
    new Random(3).nextBytes(content);
    byte[] cbor = CborEncoder.encode(IndefiniteByteString.split(ByteString.wrap(content), 30_000));
    assertEquals(List.of(ByteString.wrap(content)), readAllWithJackson(cbor));
    ByteString joined = ByteString.EMPTY;
    for (Object chunk : CborDecoder.decodeAll(ByteString.wrap(cbor))) {
      joined = joined.concat(((ByteStringChunk) chunk).data());
    }
    assertEquals(ByteString.wrap(content), joined);
  }

  @Test
  void setsCarryTag258ForJackson() throws Exception {
    byte[] cbor = CborEncoder.encode(new java.util.LinkedHashSet<>(List.of(2L, 1L)));
    try (CBORParser p = (CBORParser) JACKSON.createParser(cbor)) {
      assertEquals(JsonToken.START_ARRAY, p.nextToken());
      assertEquals(258, p.getCurrentTag());
      assertEquals(List.of(1L, 2L), read(p, JsonToken.START_ARRAY));
      assertNull(p.nextToken());
    }
  }

  @Test
  void jacksonWrittenArraysDecodeWithOurDecoder() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = JACKSON.createGenerator(out)) {
      g.writeStartArray(null, 5); // definite length: cborutil refuses indefinite arrays
      g.writeNumber(-1_000_000L);
      g.writeBinary(new byte[] {1, 2, 3});
      g.writeBoolean(true);
      g.writeNull();
      g.writeNumber(Long.MIN_VALUE); // (Jackson writes any BigInteger as a bignum tag, which cborutil refuses)
      g.writeEndArray();
    }
    Object decoded = CborDecoder.decodeAll(ByteString.wrap(out.toByteArray())).get(0);
    assertEquals(java.util.Arrays.asList(-1_000_000L, ByteString.wrap(new byte[] {1, 2, 3}), true, null, Long.MIN_VALUE),
        decoded);
  }
}
