package org.hgrpc.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameReader;

/**
 * Fuzzes the two ways of cutting bytes into frames: the blocking {@link FrameReader} and the
 * non-blocking {@link FrameDecoder} (fed the same bytes split at fuzzer-chosen points).
 *
 * <p>Properties checked, for {@link Limits#DEFAULTS} and for a variant with a tiny payload
 * limit:
 *
 * <ul>
 *   <li>the only exception either throws is {@link ProtocolException};
 *   <li>every frame re-encodes ({@link Frame#encode()}) to exactly the bytes it was read from;
 *   <li>reader and decoder hand out the same frames, and fail (or not) with the same
 *       {@link ProtocolException.Kind}.
 * </ul>
 *
 * <p>Input layout (what the seeds under {@code FrameReaderFuzzTestInputs} follow): the frame
 * bytes, then control bytes that the fuzzed data provider reads from the end: the last byte
 * picks the limits (odd: a payload limit of the byte before it, mod 65), the next byte the
 * number of split points (mod 9), and each split point takes two more bytes. A seed that is
 * frame bytes followed by {@code 00 00} reads them with the default limits in one piece.
 */
@org.junit.jupiter.api.Tag("fuzz")
class FrameReaderFuzzTest {

  /** What one way of reading produced: the frames, then the failure that stopped it, if any. */
  private record Outcome(List<Frame> frames, ProtocolException.Kind failure) {}

  @FuzzTest
  void readerAndDecoderAgree(FuzzedDataProvider data) throws IOException {
    Limits limits = data.consumeBoolean()
        ? Limits.DEFAULTS.withMaxFramePayload(data.consumeInt(0, 64))
        : Limits.DEFAULTS;
    int[] splits = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < splits.length; i++) {
      splits[i] = data.consumeInt(0, 0xffff);
    }
    byte[] input = data.consumeRemainingAsBytes();

    Outcome read = readAll(input, limits);
    Outcome decoded = decodeAll(input, limits, splitPoints(splits, input.length));

    assertEquals(read.failure(), decoded.failure(), "reader and decoder disagree on the failure");
    assertEquals(read.frames(), decoded.frames(), "reader and decoder disagree on the frames");
    assertReencodes(input, read.frames());
  }

  /** Reads frames with a {@link FrameReader} until the clean end or a protocol error. */
  private static Outcome readAll(byte[] input, Limits limits) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    FrameReader reader = new FrameReader(in, limits);
    List<Frame> frames = new ArrayList<>();
    try {
      int before = input.length - in.available();
      for (Frame f = reader.readFrame(); f != null; f = reader.readFrame()) {
        int after = input.length - in.available();
        assertArrayEquals(Arrays.copyOfRange(input, before, after), f.encode(),
            "frame does not re-encode to the bytes it was read from: " + f);
        frames.add(f);
        before = after;
      }
      assertEquals(0, in.available(), "reader stopped before the end of input");
      return new Outcome(frames, null);
    } catch (ProtocolException e) {
      assertNotNull(e.kind());
      return new Outcome(frames, e.kind());
    }
  }

  /** Feeds the input to a {@link FrameDecoder} in pieces cut at {@code cuts}, then finishes. */
  private static Outcome decodeAll(byte[] input, Limits limits, int[] cuts) {
    FrameDecoder decoder = new FrameDecoder(limits);
    List<Frame> frames = new ArrayList<>();
    try {
      int from = 0;
      for (int cut : cuts) {
        decoder.feed(input, from, cut - from, frames::add);
        from = cut;
      }
      decoder.feed(input, from, input.length - from, frames::add);
      decoder.finish();
      assertTrue(decoder.isIdle(), "decoder finished but is not idle");
      assertEquals(frames.size(), decoder.framesDecoded());
      return new Outcome(frames, null);
    } catch (ProtocolException e) {
      assertNotNull(e.kind());
      assertLatched(decoder);
      return new Outcome(frames, e.kind());
    }
  }

  /** A failed decoder refuses everything afterwards. */
  private static void assertLatched(FrameDecoder decoder) {
    try {
      decoder.feed(new byte[1], 0, 1, f -> {
        throw new AssertionError("failed decoder produced a frame: " + f);
      });
      throw new AssertionError("failed decoder accepted more input");
    } catch (ProtocolException e) {
      assertEquals(ProtocolException.Kind.ALREADY_FAILED, e.kind());
    }
  }

  /** The frames, encoded one after the other, are a prefix of the input. */
  private static void assertReencodes(byte[] input, List<Frame> frames) {
    int offset = 0;
    for (Frame f : frames) {
      byte[] encoded = f.encode();
      assertTrue(offset + encoded.length <= input.length, "frames re-encode to more than the input");
      assertArrayEquals(Arrays.copyOfRange(input, offset, offset + encoded.length), encoded);
      offset += encoded.length;
    }
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
