package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameTestSupport.bytes;
import static org.hgrpc.core.frame.FrameTestSupport.encodeAll;
import static org.hgrpc.core.frame.FrameTestSupport.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  /** A stream with an empty payload, a small one, one spanning several reads and odd fields. */
  private static final List<Frame> FRAMES = List.of(
      new Frame(1, 1, 1, FrameType.COMMAND_REQUEST, 1, latin1("\u00a2dname")),
      new Frame(1, 1, 0, FrameType.COMMAND_DATA, 2, ByteString.EMPTY),
      new Frame(0xffff, 0xff, 0xff, 0x0f, 0x0f, ByteString.wrap(filled(1000))),
      new Frame(3, 1, 2, FrameType.PROGRESS, 0, latin1("x")));

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** Feeds {@code data} cut at {@code cuts} (ascending offsets) and returns the frames. */
  private static List<Frame> decode(FrameDecoder decoder, byte[] data, int[] cuts) throws ProtocolException {
    List<Frame> out = new ArrayList<>();
    int start = 0;
    for (int cut : cuts) {
      decoder.feed(data, start, cut - start, out::add);
      start = cut;
    }
    decoder.feed(data, start, data.length - start, out::add);
    decoder.finish();
    return out;
  }

  private static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  // Each of these runs the input twice through the SAME decoder: after a stream ends between
  // frames, the decoder must be back in its initial state (no header bytes, payload or length
  // left over from the last frame), or the second run would come out different.

  @Test
  void wholeInputGivesTheFramesInOrder() throws ProtocolException {
    byte[] wire = encodeAll(FRAMES);
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    for (int run = 1; run <= 2; run++) {
      assertEquals(FRAMES, decode(d, wire, new int[0]), "run " + run);
      assertEquals(4L * run, d.framesDecoded());
      assertTrue(d.isIdle());
    }
  }

  @Test
  void oneByteAtATimeGivesTheSameFrames() throws ProtocolException {
    byte[] wire = encodeAll(FRAMES);
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    for (int run = 1; run <= 2; run++) {
      assertEquals(FRAMES, decode(d, wire, everyByte(wire.length)), "run " + run);
      assertEquals(4L * run, d.framesDecoded());
      assertTrue(d.isIdle());
    }
  }

  @Test
  void wholeThenOneByteAtATimeThroughOneDecoder() throws ProtocolException {
    byte[] wire = encodeAll(FRAMES);
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    assertEquals(FRAMES, decode(d, wire, new int[0]));
    assertEquals(FRAMES, decode(d, wire, everyByte(wire.length)));
    assertEquals(FRAMES, decode(d, wire, new int[0]));
    assertEquals(12, d.framesDecoded());
  }

  @RepeatedTest(20)
  void randomSplitsGiveTheSameFrames(org.junit.jupiter.api.RepetitionInfo info) throws ProtocolException {
    Random random = new Random(1234 + info.getCurrentRepetition());
    byte[] wire = encodeAll(FRAMES);
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    for (int run = 1; run <= 2; run++) {
      int[] cuts = random.ints(random.nextInt(12), 0, wire.length + 1).sorted().toArray();
      assertEquals(FRAMES, decode(d, wire, cuts), "run " + run + ", cuts " + Arrays.toString(cuts));
    }
    assertEquals(8, d.framesDecoded());
  }

  @Test
  void emptyPayloadFrameIsHandedOutAsSoonAsItsHeaderIsComplete() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    List<Frame> out = new ArrayList<>();
    Frame empty = new Frame(5, 1, 0, FrameType.COMMAND_DATA, 2, ByteString.EMPTY);
    d.feed(ByteBuffer.wrap(empty.encode()), out::add);
    assertEquals(List.of(empty), out);
    assertTrue(d.isIdle());
  }

  @Test
  void feedConsumesTheWholeBuffer() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    ByteBuffer buf = ByteBuffer.wrap(encodeAll(FRAMES));
    List<Frame> out = new ArrayList<>();
    d.feed(buf, out::add);
    assertFalse(buf.hasRemaining());
    assertEquals(FRAMES.size(), out.size());
  }

  @Test
  void isIdleOnlyBetweenFrames() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    byte[] wire = FRAMES.get(0).encode();
    assertTrue(d.isIdle());
    d.feed(wire, 0, 3, f -> {});
    assertFalse(d.isIdle());
    d.feed(wire, 3, 6, f -> {});
    assertFalse(d.isIdle(), "header done, payload pending");
    d.feed(wire, 9, wire.length - 9, f -> {});
    assertTrue(d.isIdle());
  }

  @Test
  void payloadLimitIsCheckedOnTheHeaderAlone() {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS.withMaxFramePayload(100));
    byte[] header = new byte[8];
    new FrameHeader(101, 1, 1, 1, 1, 1).writeTo(header, 0);
    ProtocolException e = assertThrows(ProtocolException.class, () -> d.feed(header, 0, 8, f -> {}));
    assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
    assertEquals("frame payload exceeds maximum size 100: 101", e.getMessage());
  }

  @Test
  void payloadAtTheLimitIsAccepted() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS.withMaxFramePayload(100));
    Frame f = new Frame(1, 1, 1, FrameType.COMMAND_DATA, 2, ByteString.wrap(new byte[100]));
    List<Frame> out = new ArrayList<>();
    d.feed(f.encode(), 0, f.encodedSize(), out::add);
    assertEquals(List.of(f), out);
  }

  @Test
  void protocolMaximumHeaderIsRefusedByDefaultLimits() {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    byte[] header = bytes(0xff, 0xff, 0xff, 1, 0, 1, 1, 0x11);
    ProtocolException e = assertThrows(ProtocolException.class, () -> d.feed(header, 0, 8, f -> {}));
    assertEquals("frame payload exceeds maximum size 1048576: 16777215", e.getMessage());
  }

  @Test
  void framesBeforeAnOversizedOneAreStillDelivered() {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS.withMaxFramePayload(10));
    Frame ok = new Frame(1, 1, 1, FrameType.COMMAND_REQUEST, 1, latin1("ok"));
    byte[] bad = new byte[8];
    new FrameHeader(11, 1, 1, 0, 2, 2).writeTo(bad, 0);
    byte[] wire = encodeAll(List.of(ok));
    byte[] all = Arrays.copyOf(wire, wire.length + 8);
    System.arraycopy(bad, 0, all, wire.length, 8);
    List<Frame> out = new ArrayList<>();
    assertThrows(ProtocolException.class, () -> d.feed(all, 0, all.length, out::add));
    assertEquals(List.of(ok), out);
  }

  @Test
  void finishAtACleanBoundarySucceeds() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    d.finish();
    byte[] wire = encodeAll(FRAMES);
    d.feed(wire, 0, wire.length, f -> {});
    d.finish();
  }

  @Test
  void finishInsideAHeaderReportsTheBytesSeen() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    d.feed(bytes(0x01, 0x00, 0x00), 0, 3, f -> {});
    ProtocolException e = assertThrows(ProtocolException.class, d::finish);
    assertEquals(ProtocolException.Kind.TRUNCATED_HEADER, e.kind());
    assertEquals("received incomplete frame: got 3 bytes: b'\\x01\\x00\\x00'", e.getMessage());
  }

  @Test
  void finishInsideAPayloadReportsExpectedAndReceived() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    byte[] wire = new Frame(1, 1, 1, FrameType.COMMAND_DATA, 2, latin1("hello")).encode();
    d.feed(wire, 0, 10, f -> {});
    ProtocolException e = assertThrows(ProtocolException.class, d::finish);
    assertEquals(ProtocolException.Kind.TRUNCATED_PAYLOAD, e.kind());
    assertEquals("frame length error: expected 5; got 2", e.getMessage());
  }

  @Test
  void finishRightAfterAHeaderIsATruncatedPayload() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    byte[] wire = new Frame(1, 1, 1, FrameType.COMMAND_DATA, 2, latin1("abc")).encode();
    d.feed(wire, 0, 8, f -> {});
    assertEquals("frame length error: expected 3; got 0",
        assertThrows(ProtocolException.class, d::finish).getMessage());
  }

  @Test
  void afterAFailureEveryCallFailsWithTheLatchedMessage() {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS.withMaxFramePayload(1));
    byte[] header = bytes(2, 0, 0, 1, 0, 1, 1, 0x11);
    assertThrows(ProtocolException.class, () -> d.feed(header, 0, 8, f -> {}));

    byte[] good = new Frame(1, 1, 1, FrameType.COMMAND_REQUEST, 1, ByteString.EMPTY).encode();
    ProtocolException again = assertThrows(ProtocolException.class, () -> d.feed(good, 0, good.length, f -> {
      throw new AssertionError("no frame after failure");
    }));
    assertEquals(ProtocolException.Kind.ALREADY_FAILED, again.kind());
    assertEquals("frame decoder already failed: frame payload exceeds maximum size 1: 2", again.getMessage());

    ProtocolException atEnd = assertThrows(ProtocolException.class, d::finish);
    assertEquals(ProtocolException.Kind.ALREADY_FAILED, atEnd.kind());
    assertEquals(again.getMessage(), atEnd.getMessage());
  }

  @Test
  void aFailedFinishLatchesToo() throws ProtocolException {
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    d.feed(bytes(1), 0, 1, f -> {});
    assertThrows(ProtocolException.class, d::finish);
    ProtocolException e = assertThrows(ProtocolException.class, () -> d.feed(bytes(0), 0, 1, f -> {}));
    assertEquals(ProtocolException.Kind.ALREADY_FAILED, e.kind());
    assertEquals("frame decoder already failed: received incomplete frame: got 1 bytes: b'\\x01'", e.getMessage());
  }

  /** {@code feedOwned} gives the same frames as {@code feed}, for any way the input is cut. */
  @RepeatedTest(50)
  void feedOwnedDecodesLikeFeedWhateverTheCuts() throws ProtocolException {
    byte[] wire = encodeAll(FRAMES);
    Random random = new Random();
    int[] cuts = random.ints(random.nextInt(6), 0, wire.length + 1).sorted().toArray();
    List<Frame> owned = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    int start = 0;
    for (int cut : cuts) {
      // A fresh array per read, as the ownership rule asks.
      byte[] piece = Arrays.copyOfRange(wire, start, cut);
      d.feedOwned(piece, 0, piece.length, owned::add);
      start = cut;
    }
    byte[] last = Arrays.copyOfRange(wire, start, wire.length);
    d.feedOwned(last, 0, last.length, owned::add);
    d.finish();
    assertEquals(FRAMES, owned);
    assertEquals(decode(new FrameDecoder(Limits.DEFAULTS), wire, cuts), owned);
  }

  /**
   * A payload wholly inside a {@code feedOwned} range is a view of the caller's array (which
   * is why the caller must not write it again); one split over two calls is a copy.
   */
  @Test
  void feedOwnedSharesWholePayloadsAndCopiesSplitOnes() throws ProtocolException {
    Frame frame = new Frame(1, 1, 0, FrameType.COMMAND_DATA, 0, latin1("abcd"));
    byte[] wire = frame.encode();
    List<Frame> out = new ArrayList<>();
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS);
    d.feedOwned(wire, 0, wire.length, out::add);
    wire[8] = 'z';
    assertEquals(latin1("zbcd"), out.get(0).payload(), "a whole payload is a view");

    byte[] first = Arrays.copyOfRange(frame.encode(), 0, 10);
    byte[] second = Arrays.copyOfRange(frame.encode(), 10, 12);
    out.clear();
    d.feedOwned(first, 0, first.length, out::add);
    d.feedOwned(second, 0, second.length, out::add);
    first[8] = 'z';
    second[0] = 'z';
    assertEquals(latin1("abcd"), out.get(0).payload(), "a split payload is a copy");
  }

  /** {@code feedOwned} checks the payload limit before sharing anything, and latches. */
  @Test
  void feedOwnedEnforcesTheLimit() {
    byte[] wire = new Frame(1, 1, 0, FrameType.COMMAND_DATA, 0, ByteString.wrap(filled(100))).encode();
    FrameDecoder d = new FrameDecoder(Limits.DEFAULTS.withMaxFramePayload(10));
    ProtocolException e = assertThrows(ProtocolException.class, () -> d.feedOwned(wire, 0, wire.length, f -> {}));
    assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
    assertThrows(ProtocolException.class, () -> d.feedOwned(wire, 0, wire.length, f -> {}));
  }
}
