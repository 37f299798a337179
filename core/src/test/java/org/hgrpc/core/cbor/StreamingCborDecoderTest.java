package org.hgrpc.core.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class StreamingCborDecoderTest {

  /** Feeds {@code data} in pieces ending at {@code cuts} and collects every value. */
  private static List<Object> feedInPieces(StreamingCborDecoder d, byte[] data, int[] cuts) throws CborDecodeException {
    List<Object> out = new ArrayList<>();
    int start = 0;
    for (int cut : cuts) {
      out.addAll(d.feed(ByteString.copyOf(data, start, cut - start)));
      start = cut;
    }
    out.addAll(d.feed(ByteString.copyOf(data, start, data.length - start)));
    d.finish();
    return out;
  }

  private static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    Arrays.setAll(cuts, i -> i + 1);
    return cuts;
  }

  /** A stream of many encoded values plus an indefinite byte string, and the values expected. */
  private static final class Sample {
    final byte[] wire;
    final List<Object> expected;

    Sample(long seed, int count) throws CborDecodeException {
      Random random = new Random(seed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Object v = CborTestValues.randomValue(random, 3);
        out.writeBytes(CborEncoder.encode(v));
        values.add(v);
      }
      byte[] indefinite = CborEncoder.encode(
          IndefiniteByteString.split(ByteString.latin1("hello indefinite world"), 5));
      out.writeBytes(indefinite);
      values.addAll(CborDecoder.decodeAll(ByteString.wrap(indefinite)));
      out.writeBytes(CborEncoder.encode(java.util.Map.of(ByteString.latin1("k"), java.util.Set.of(1L, 2L))));
      values.add(java.util.Map.of(ByteString.latin1("k"), java.util.Set.of(1L, 2L)));
      this.wire = out.toByteArray();
      this.expected = values;
    }
  }

  @Test
  void wholeInputDecodesEveryValue() throws CborDecodeException {
    Sample s = new Sample(1, 30);
    assertEquals(s.expected, feedInPieces(new StreamingCborDecoder(), s.wire, new int[0]));
  }

  @Test
  void byteAtATimeGivesTheSameValues() throws CborDecodeException {
    Sample s = new Sample(2, 8);
    StreamingCborDecoder d = new StreamingCborDecoder();
    assertEquals(s.expected, feedInPieces(d, s.wire, everyByte(s.wire.length)));
    assertEquals(0, d.pendingBytes());
  }

  @Test
  void randomSplitsGiveTheSameValues() throws CborDecodeException {
    for (long seed = 0; seed < 30; seed++) {
      Sample s = new Sample(100 + seed, 20);
      Random random = new Random(seed);
      int[] cuts = random.ints(random.nextInt(40), 0, s.wire.length + 1).sorted().toArray();
      assertEquals(s.expected, feedInPieces(new StreamingCborDecoder(), s.wire, cuts), "seed " + seed);
    }
  }

  @Test
  void emptyFeedsAreHarmless() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    assertEquals(List.of(), d.feed(ByteString.EMPTY));
    assertEquals(List.of(), d.feed(ByteString.fromHex("82")));
    assertEquals(List.of(), d.feed(ByteString.EMPTY));
    assertEquals(List.of(List.of(1L, 2L)), d.feed(ByteString.fromHex("0102")));
    d.finish();
  }

  @Test
  void pendingBytesHoldsOnlyTheUnfinishedItem() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    assertEquals(List.of(7L), d.feed(ByteString.fromHex("07" + "4561")));
    assertEquals(2, d.pendingBytes());
    assertEquals(List.of(), d.feed(ByteString.fromHex("6263")));
    assertEquals(4, d.pendingBytes());
    assertEquals(List.of(ByteString.latin1("abcde"), 1L), d.feed(ByteString.fromHex("646501")));
    assertEquals(0, d.pendingBytes());
  }

  @Test
  void indefiniteChunksComeOutAsTheyComplete() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    assertEquals(List.of(), d.feed(ByteString.fromHex("5f42")));
    assertEquals(List.of(new ByteStringChunk(ByteString.latin1("ab"), true, false)),
        d.feed(ByteString.fromHex("616241")));
    assertEquals(List.of(new ByteStringChunk(ByteString.latin1("c"), false, false),
        new ByteStringChunk(ByteString.EMPTY, false, true)), d.feed(ByteString.fromHex("63ff")));
    d.finish();
  }

  @Test
  void finishInsideAnItemFails() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    d.feed(ByteString.fromHex("4361"));
    assertEquals("input data not complete", assertThrows(CborDecodeException.class, d::finish).getMessage());
  }

  @Test
  void finishInsideACollectionFails() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    d.feed(ByteString.fromHex("8201"));
    assertEquals(0, d.pendingBytes());
    assertEquals("input data not complete", assertThrows(CborDecodeException.class, d::finish).getMessage());
  }

  @Test
  void finishInsideAnIndefiniteByteStringFails() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder();
    d.feed(ByteString.fromHex("5f4161"));
    assertEquals("input data not complete", assertThrows(CborDecodeException.class, d::finish).getMessage());
  }

  @Test
  void afterAnErrorEveryFeedFails() {
    StreamingCborDecoder d = new StreamingCborDecoder();
    CborDecodeException first = assertThrows(CborDecodeException.class, () -> d.feed(ByteString.fromHex("61")));
    assertEquals("string major type not supported", first.getMessage());
    CborDecodeException later = assertThrows(CborDecodeException.class, () -> d.feed(ByteString.fromHex("01")));
    assertEquals("decoder already failed", later.getMessage());
  }

  @Test
  void limitsOfTheWrappedDecoderApply() throws CborDecodeException {
    StreamingCborDecoder d = new StreamingCborDecoder(new CborDecoder(4, 16));
    assertEquals(List.of(), d.feed(ByteString.fromHex("58")));
    CborDecodeException e = assertThrows(CborDecodeException.class, () -> d.feed(ByteString.fromHex("11")));
    assertEquals("bytestring exceeds maximum size 16: 17", e.getMessage());
  }

  @Test
  void largeByteStringFedInFramesizedPieces() throws CborDecodeException {
    byte[] content = new byte[200_000];
    new Random(5).nextBytes(content);
    byte[] wire = CborEncoder.encode(ByteString.wrap(content));
    int[] cuts = new int[wire.length / 32768];
    Arrays.setAll(cuts, i -> (i + 1) * 32768);
    assertEquals(List.of(ByteString.wrap(content)), feedInPieces(new StreamingCborDecoder(), wire, cuts));
  }
}
