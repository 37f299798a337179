package org.hgrpc.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.StreamingCborDecoder;

/**
 * Fuzzes the CBOR decoders with arbitrary bytes: {@link CborDecoder#decodeAll(ByteString)} on
 * the whole input and {@link StreamingCborDecoder} fed the same input in fuzzer-chosen pieces.
 *
 * <p>Properties checked:
 *
 * <ul>
 *   <li>the only exception either decoder throws is {@link CborDecodeException};
 *   <li>both accept or both refuse the input, and when they accept it they give the same
 *       values (an indefinite-length byte string compares as the concatenation of its chunks,
 *       since chunk boundaries are not part of the value);
 *   <li>every decoded value other than a chunk survives a round trip: encoding it with
 *       {@link CborEncoder} and decoding the result gives an equal value. The input may be
 *       non-canonical (unsorted keys, long length forms), so the encoding is not compared
 *       with the input.
 * </ul>
 *
 * <p>Input layout (followed by the seeds under {@code CborDecoderFuzzTestInputs}): the CBOR
 * bytes, then control bytes that the fuzzed data provider reads from the end: the last byte is
 * the number of split points (mod 9), each taking two more bytes. A seed that is CBOR followed
 * by {@code 00} decodes it in one piece.
 */
@org.junit.jupiter.api.Tag("fuzz")
class CborDecoderFuzzTest {

  /** An indefinite-length byte string with its chunks joined. */
  private record Joined(ByteString bytes) {}

  @FuzzTest
  void decodersAgreeAndValuesRoundTrip(FuzzedDataProvider data) {
    int[] rawSplits = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < rawSplits.length; i++) {
      rawSplits[i] = data.consumeInt(0, 0xffff);
    }
    ByteString input = ByteString.wrap(data.consumeRemainingAsBytes());

    List<Object> whole = decodeWhole(input);
    List<Object> streamed = decodeStreaming(input, splitPoints(rawSplits, input.size()));
    assertEquals(whole == null, streamed == null,
        "decodeAll " + (whole == null ? "refused" : "accepted") + " the input but the streaming decoder "
            + (streamed == null ? "refused" : "accepted") + " it");
    if (whole == null) {
      return;
    }
    assertEquals(joinChunks(whole), joinChunks(streamed), "decoders disagree on the values");
    for (Object value : whole) {
      if (!(value instanceof ByteStringChunk)) {
        assertRoundTrips(value);
      }
    }
  }

  /** The values of {@link CborDecoder#decodeAll(ByteString)}, or null if it refused the input. */
  private static List<Object> decodeWhole(ByteString input) {
    try {
      return CborDecoder.decodeAll(input);
    } catch (CborDecodeException e) {
      return null;
    }
  }

  /** The values a {@link StreamingCborDecoder} gives for the input cut at {@code cuts}, or null. */
  private static List<Object> decodeStreaming(ByteString input, int[] cuts) {
    StreamingCborDecoder decoder = new StreamingCborDecoder();
    List<Object> values = new ArrayList<>();
    try {
      int from = 0;
      for (int cut : cuts) {
        values.addAll(decoder.feed(input.substring(from, cut)));
        from = cut;
      }
      values.addAll(decoder.feed(input.substring(from, input.size())));
      decoder.finish();
      return values;
    } catch (CborDecodeException e) {
      return null;
    }
  }

  /** Encoding {@code value} and decoding the bytes gives {@code value} back. */
  private static void assertRoundTrips(Object value) {
    byte[] encoded = CborEncoder.encode(value);
    List<Object> again;
    try {
      again = CborDecoder.decodeAll(ByteString.wrap(encoded));
    } catch (CborDecodeException e) {
      throw new AssertionError("re-encoded value does not decode: " + ByteString.copyOf(encoded).hex(), e);
    }
    assertEquals(1, again.size(), "re-encoded value decodes to " + again.size() + " values");
    assertEquals(value, again.get(0), "value changed in a round trip through CborEncoder");
  }

  /** The values with each run of chunks (first .. last) replaced by one {@link Joined}. */
  private static List<Object> joinChunks(List<Object> values) {
    List<Object> out = new ArrayList<>();
    ByteString pending = null;
    for (Object v : values) {
      if (v instanceof ByteStringChunk chunk) {
        pending = chunk.first() || pending == null ? chunk.data() : pending.concat(chunk.data());
        if (chunk.last()) {
          out.add(new Joined(pending));
          pending = null;
        }
      } else {
        out.add(v);
      }
    }
    if (pending != null) {
      out.add(new Joined(pending));
    }
    return out;
  }

  /** Fuzzer-chosen numbers as sorted cut positions within {@code 0..length}. */
  private static int[] splitPoints(int[] raw, int length) {
    int[] cuts = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      cuts[i] = raw[i] % (length + 1);
    }
    Arrays.sort(cuts);
    return cuts;
  }
}
