package org.hgrpc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteStringTest {

  private static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.wrap(b);
  }

  @Test
  void copyOfCopiesSoLaterWritesToTheArrayDoNotShow() {
    byte[] source = {1, 2, 3};
    ByteString b = ByteString.copyOf(source);
    source[0] = 9;
    assertEquals(1, b.byteAt(0));
    assertArrayEquals(new byte[] {1, 2, 3}, b.toByteArray());
  }

  @Test
  void copyOfRangeTakesOnlyThatRange() {
    ByteString b = ByteString.copyOf(new byte[] {1, 2, 3, 4, 5}, 1, 3);
    assertArrayEquals(new byte[] {2, 3, 4}, b.toByteArray());
    assertThrows(IndexOutOfBoundsException.class, () -> ByteString.copyOf(new byte[3], 2, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> ByteString.copyOf(new byte[3], -1, 1));
  }

  @Test
  void emptyInputsGiveTheSharedEmptyInstance() {
    assertSame(ByteString.EMPTY, ByteString.copyOf(new byte[0]));
    assertSame(ByteString.EMPTY, ByteString.copyOf(new byte[4], 2, 0));
    assertSame(ByteString.EMPTY, ByteString.wrap(new byte[0]));
    assertSame(ByteString.EMPTY, ByteString.wrap(new byte[5], 1, 0));
    assertSame(ByteString.EMPTY, ByteString.copyOf(ByteBuffer.allocate(0)));
    assertSame(ByteString.EMPTY, ByteString.utf8(""));
    assertTrue(ByteString.EMPTY.isEmpty());
    assertEquals(0, ByteString.EMPTY.size());
  }

  @Test
  void copyOfByteBufferConsumesTheRemainingBytes() {
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {7, 8, 9});
    buf.get();
    ByteString b = ByteString.copyOf(buf);
    assertEquals(bytes(8, 9), b);
    assertFalse(buf.hasRemaining());
  }

  @Test
  void wrapSharesTheArray() {
    byte[] source = {1, 2, 3};
    ByteString b = ByteString.wrap(source);
    source[1] = 42;
    assertEquals(42, b.byteAt(1));
  }

  @Test
  void wrapRangeSeesOnlyTheRange() {
    ByteString b = ByteString.wrap(new byte[] {1, 2, 3, 4}, 1, 2);
    assertEquals(2, b.size());
    assertEquals(bytes(2, 3), b);
    assertThrows(IndexOutOfBoundsException.class, () -> b.byteAt(2));
    assertThrows(IndexOutOfBoundsException.class, () -> ByteString.wrap(new byte[2], 1, 5));
  }

  @Test
  void byteAtIsUnsigned() {
    ByteString b = bytes(0xff, 0x80, 0x7f);
    assertEquals(255, b.byteAt(0));
    assertEquals(128, b.byteAt(1));
    assertEquals(127, b.byteAt(2));
    assertThrows(IndexOutOfBoundsException.class, () -> b.byteAt(-1));
  }

  @Test
  void utf8AndLatin1Encodings() {
    assertEquals(bytes(0xc3, 0xa9), ByteString.utf8("\u00e9"));
    assertEquals(bytes(0xe9), ByteString.latin1("\u00e9"));
    assertEquals("\u00e9", ByteString.utf8("\u00e9").utf8());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteString.latin1("ab\u0100"));
    assertEquals("character above U+00FF at index 2", e.getMessage());
  }

  @Test
  void utf8DecodingReplacesMalformedInput() {
    assertEquals("a\ufffd", bytes('a', 0xff).utf8());
    assertEquals("\u00ff", bytes(0xff).toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void hexRoundTrip() {
    assertEquals(bytes(0xde, 0xad, 0xbe, 0xef), ByteString.fromHex("DEADbeef"));
    assertEquals("deadbeef", ByteString.fromHex("DEADBEEF").hex());
    assertEquals("", ByteString.EMPTY.hex());
    assertThrows(IllegalArgumentException.class, () -> ByteString.fromHex("abc"));
    assertThrows(IllegalArgumentException.class, () -> ByteString.fromHex("zz"));
  }

  @Test
  void hexOfASubstringUsesOnlyItsBytes() {
    assertEquals("0203", bytes(1, 2, 3, 4).substring(1, 3).hex());
  }

  @Test
  void substringSharesAndChecksBounds() {
    ByteString b = ByteString.latin1("hello");
    assertEquals(ByteString.latin1("ell"), b.substring(1, 4));
    assertSame(b, b.substring(0, 5));
    assertSame(ByteString.EMPTY, b.substring(2, 2));
    assertEquals(ByteString.latin1("l"), b.substring(1, 4).substring(1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> b.substring(3, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> b.substring(0, 6));
  }

  @Test
  void concatJoinsAndShortCircuitsEmptySides() {
    ByteString a = ByteString.latin1("ab");
    ByteString c = ByteString.latin1("cd");
    assertEquals(ByteString.latin1("abcd"), a.concat(c));
    assertSame(a, a.concat(ByteString.EMPTY));
    assertSame(c, ByteString.EMPTY.concat(c));
    assertEquals(ByteString.latin1("bc"), a.substring(1, 2).concat(c.substring(0, 1)));
  }

  @Test
  void startsWith() {
    ByteString b = ByteString.latin1("status");
    assertTrue(b.startsWith(ByteString.latin1("stat")));
    assertTrue(b.startsWith(ByteString.EMPTY));
    assertTrue(b.startsWith(b));
    assertFalse(b.startsWith(ByteString.latin1("statusx")));
    assertFalse(b.startsWith(ByteString.latin1("tat")));
    assertTrue(b.substring(1, 6).startsWith(ByteString.latin1("tat")));
  }

  @Test
  void writeToOutputStreamBufferAndArray() throws IOException {
    ByteString b = bytes(1, 2, 3, 4).substring(1, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.writeTo(out);
    assertArrayEquals(new byte[] {2, 3, 4}, out.toByteArray());

    ByteBuffer buf = ByteBuffer.allocate(5);
    buf.put((byte) 9);
    b.writeTo(buf);
    assertArrayEquals(new byte[] {9, 2, 3, 4, 0}, buf.array());

    byte[] target = new byte[5];
    b.copyTo(target, 2);
    assertArrayEquals(new byte[] {0, 0, 2, 3, 4}, target);
  }

  @Test
  void asByteBufferIsAReadOnlyViewOfTheRange() {
    ByteString b = bytes(1, 2, 3, 4).substring(1, 3);
    ByteBuffer view = b.asByteBuffer();
    assertEquals(0, view.position());
    assertEquals(2, view.remaining());
    assertEquals(2, view.get(0));
    assertEquals(3, view.get(1));
    assertTrue(view.isReadOnly());
    assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 0));
  }

  @Test
  void toByteArrayIsACopy() {
    ByteString b = bytes(1, 2);
    byte[] a = b.toByteArray();
    a[0] = 99;
    assertEquals(1, b.byteAt(0));
  }

  @Test
  void equalityAndHashIgnoreTheBackingArrayLayout() {
    ByteString whole = ByteString.latin1("abc");
    ByteString slice = ByteString.latin1("xabcx").substring(1, 4);
    assertEquals(whole, slice);
    assertEquals(whole.hashCode(), slice.hashCode());
    assertNotEquals(whole, ByteString.latin1("abd"));
    assertNotEquals(whole, ByteString.latin1("ab"));
    assertNotEquals(whole, "abc");
    Set<ByteString> set = new HashSet<>(List.of(whole));
    assertTrue(set.contains(slice));
  }

  @Test
  void equalityWithCachedHashesOfDifferentContent() {
    ByteString a = ByteString.latin1("aa");
    ByteString b = ByteString.latin1("ab");
    a.hashCode();
    b.hashCode();
    assertNotEquals(a, b);
    assertEquals(a, ByteString.latin1("aa"));
  }

  @Test
  void compareToIsUnsignedLexicographic() {
    List<ByteString> l = new ArrayList<>(List.of(bytes(0x80), bytes(0x7f), bytes(), bytes(0x7f, 0x00),
        bytes(0xff)));
    l.sort(null);
    assertEquals(List.of(bytes(), bytes(0x7f), bytes(0x7f, 0x00), bytes(0x80), bytes(0xff)), l);
    assertEquals(0, ByteString.latin1("ab").compareTo(ByteString.latin1("xaby").substring(1, 3)));
  }

  @Test
  void toStringIsAPythonBytesLiteral() {
    assertEquals("b'foo\\x00'", bytes('f', 'o', 'o', 0).toString());
    assertEquals("b''", ByteString.EMPTY.toString());
    assertEquals("b\"it's\"", ByteString.latin1("it's").toString());
    assertEquals("b'a\\nb\\\\'", ByteString.latin1("a\nb\\").toString());
  }
}
