package org.hgrpc.core.frame;

import org.hgrpc.core.Framing;

import static org.hgrpc.core.frame.FrameTestSupport.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Each header field against hand-built bytes: write, compare, then parse back. */
class FrameHeaderTest {

  /** Writes {@code h} both ways, checks both equal {@code expected}, and parses them back. */
  private static void assertWire(FrameHeader h, byte[] expected) {
    byte[] viaArray = new byte[8];
    h.writeTo(viaArray, 0);
    assertArrayEquals(expected, viaArray, "writeTo(byte[])");

    ByteBuffer buf = ByteBuffer.allocate(8);
    h.writeTo(buf);
    assertEquals(8, buf.position());
    assertArrayEquals(expected, buf.array(), "writeTo(ByteBuffer)");

    assertEquals(h, FrameHeader.parse(expected, 0));
  }

  @Test
  void allZero() {
    assertWire(new FrameHeader(0, 0, 0, 0, 0, 0), bytes(0, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void lengthIsThreeBytesLittleEndian() {
    assertWire(new FrameHeader(0x030201, 0, 0, 0, 0, 0), bytes(0x01, 0x02, 0x03, 0, 0, 0, 0, 0));
    assertWire(new FrameHeader(0x010000, 0, 0, 0, 0, 0), bytes(0, 0, 0x01, 0, 0, 0, 0, 0));
    assertWire(new FrameHeader(0xffffff, 0, 0, 0, 0, 0), bytes(0xff, 0xff, 0xff, 0, 0, 0, 0, 0));
  }

  @Test
  void requestIdIsTwoBytesLittleEndian() {
    assertWire(new FrameHeader(0, 0x0201, 0, 0, 0, 0), bytes(0, 0, 0, 0x01, 0x02, 0, 0, 0));
    assertWire(new FrameHeader(0, 0xffff, 0, 0, 0, 0), bytes(0, 0, 0, 0xff, 0xff, 0, 0, 0));
  }

  @Test
  void streamIdAndStreamFlagsAreOneByteEach() {
    assertWire(new FrameHeader(0, 0, 0xab, 0, 0, 0), bytes(0, 0, 0, 0, 0, 0xab, 0, 0));
    assertWire(new FrameHeader(0, 0, 0, 0xcd, 0, 0), bytes(0, 0, 0, 0, 0, 0, 0xcd, 0));
    assertWire(new FrameHeader(0, 0, 0xff, 0xff, 0, 0), bytes(0, 0, 0, 0, 0, 0xff, 0xff, 0));
  }

  @Test
  void typeIsTheHighNibbleAndFlagsTheLowNibble() {
    assertWire(new FrameHeader(0, 0, 0, 0, 0x3, 0), bytes(0, 0, 0, 0, 0, 0, 0, 0x30));
    assertWire(new FrameHeader(0, 0, 0, 0, 0, 0x2), bytes(0, 0, 0, 0, 0, 0, 0, 0x02));
    assertWire(new FrameHeader(0, 0, 0, 0, 0xf, 0xf), bytes(0, 0, 0, 0, 0, 0, 0, 0xff));
    assertWire(new FrameHeader(0, 0, 0, 0, 0xa, 0x5), bytes(0, 0, 0, 0, 0, 0, 0, 0xa5));
  }

  @Test
  void everyFieldAtItsMaximum() {
    assertWire(new FrameHeader(0xffffff, 0xffff, 0xff, 0xff, 0xf, 0xf),
        bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  }

  @Test
  void aRealisticHeader() {
    // 1 1 stream-begin command-request new, payload of 300 bytes
    assertWire(new FrameHeader(300, 1, 1, 1, 1, 1), bytes(0x2c, 0x01, 0x00, 0x01, 0x00, 0x01, 0x01, 0x11));
  }

  @Test
  void parseReadsAtAnOffsetAndWriteWritesAtAnOffset() {
    byte[] data = bytes(0x99, 0x99, 0x05, 0, 0, 0x07, 0, 0x03, 0x01, 0x62);
    assertEquals(new FrameHeader(5, 7, 3, 1, 6, 2), FrameHeader.parse(data, 2));

    byte[] out = new byte[11];
    new FrameHeader(5, 7, 3, 1, 6, 2).writeTo(out, 3);
    assertArrayEquals(bytes(0, 0, 0, 0x05, 0, 0, 0x07, 0, 0x03, 0x01, 0x62), out);
  }

  @Test
  void parseNeedsEightBytes() {
    assertThrows(IndexOutOfBoundsException.class, () -> FrameHeader.parse(new byte[7], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> FrameHeader.parse(new byte[10], 3));
  }

  @Test
  void fieldsBeyondTheirWidthAreRefusedWithTheFieldName() {
    assertEquals("length must be 0..16777215: 16777216",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(1 << 24, 0, 0, 0, 0, 0)).getMessage());
    assertEquals("requestId must be 0..65535: 65536",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(0, 65536, 0, 0, 0, 0)).getMessage());
    assertEquals("streamId must be 0..255: 256",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(0, 0, 256, 0, 0, 0)).getMessage());
    assertEquals("streamFlags must be 0..255: -1",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(0, 0, 0, -1, 0, 0)).getMessage());
    assertEquals("typeId must be 0..15: 16",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(0, 0, 0, 0, 16, 0)).getMessage());
    assertEquals("flags must be 0..15: 16",
        assertThrows(IllegalArgumentException.class, () -> new FrameHeader(0, 0, 0, 0, 0, 16)).getMessage());
  }

  @Test
  void frameEncodeIsHeaderThenPayload() {
    Frame f = new Frame(0x0102, 3, 1, FrameType.COMMAND_RESPONSE, 2, FrameTestSupport.latin1("xyz"));
    assertArrayEquals(bytes(3, 0, 0, 0x02, 0x01, 3, 1, 0x32, 'x', 'y', 'z'), f.encode());
    assertEquals(11, f.encodedSize());
    assertEquals(new FrameHeader(3, 0x0102, 3, 1, 3, 2), f.header());

    ByteBuffer buf = ByteBuffer.allocate(11);
    f.writeTo(buf);
    assertArrayEquals(f.encode(), buf.array());

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      f.writeTo(out);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertArrayEquals(f.encode(), out.toByteArray());
  }

  @Test
  void frameTypeIsOptionalForUndefinedIds() {
    assertEquals(java.util.Optional.of(FrameType.TEXT_OUTPUT),
        new Frame(0, 0, 0, 6, 0, org.hgrpc.core.ByteString.EMPTY).type(Framing.V0005));
    assertEquals(java.util.Optional.empty(),
        new Frame(0, 0, 0, 4, 0, org.hgrpc.core.ByteString.EMPTY).type(Framing.V0006));
    assertEquals(java.util.Optional.empty(),
        new Frame(0, 0, 0, 9, 0, org.hgrpc.core.ByteString.EMPTY).type(Framing.V0005));
    assertEquals(java.util.Optional.of(FrameType.STREAM_SETTINGS),
        new Frame(0, 0, 0, 9, 0, org.hgrpc.core.ByteString.EMPTY).type(Framing.V0006));
    assertThrows(NullPointerException.class, () -> new Frame(0, 0, 0, 1, 0, null));
  }

  @Test
  void frameRenderingNamesKnownAndUnknownParts() {
    Frame f = new Frame(1, 2, 1, FrameType.COMMAND_RESPONSE, 1, FrameTestSupport.latin1("abc"));
    assertEquals("frame(size=3; request=1; stream=2; streamflags=stream-begin; type=command-response; "
        + "flags=continuation)", f.toString());
    Frame odd = new Frame(9, 4, 0x09, 0x0c, 0x3, org.hgrpc.core.ByteString.EMPTY);
    assertEquals("frame(size=0; request=9; stream=4; streamflags=stream-begin|<unknown 0x08>; "
        + "type=<unknown 0x0c>; flags=<unknown 0x01>|<unknown 0x02>)", odd.toString());
    assertEquals("frame(size=70000; request=0; stream=0; streamflags=; type=command-data; flags=eos)",
        Frame.render(Framing.V0005, new FrameHeader(70000, 0, 0, 0, 2, 2)));
    Frame settings = new Frame(0, 2, 0, 8, 2, org.hgrpc.core.ByteString.EMPTY);
    assertEquals("frame(size=0; request=0; stream=2; streamflags=; type=stream-settings; flags=<unknown 0x02>)",
        settings.describe(Framing.V0005));
    assertEquals("frame(size=0; request=0; stream=2; streamflags=; type=sender-protocol-settings; flags=eos)",
        settings.describe(Framing.V0006));
    assertEquals(settings.describe(Framing.V0006), settings.toString());
  }

  @Test
  void frameTypeLookups() {
    assertEquals(0x08, FrameType.STREAM_SETTINGS.id(Framing.V0005));
    assertEquals(0x09, FrameType.STREAM_SETTINGS.id(Framing.V0006));
    assertEquals(0x08, FrameType.SENDER_PROTOCOL_SETTINGS.id(Framing.V0006));
    assertThrows(IllegalArgumentException.class, () -> FrameType.SENDER_PROTOCOL_SETTINGS.id(Framing.V0005));
    assertThrows(IllegalStateException.class, () -> FrameType.STREAM_SETTINGS.id());
    assertEquals(3, FrameType.COMMAND_RESPONSE.id());
    assertEquals("stream-settings", FrameType.STREAM_SETTINGS.humanName());
    for (Framing framing : Framing.values()) {
      assertEquals(java.util.Optional.of(FrameType.ERROR_RESPONSE), FrameType.fromId(framing, 5));
      assertEquals(java.util.Optional.empty(), FrameType.fromId(framing, 0));
      assertEquals(java.util.Optional.empty(), FrameType.fromId(framing, 16));
      assertEquals(java.util.Optional.empty(), FrameType.fromId(framing, -1));
      assertEquals(java.util.Optional.of(FrameType.PROGRESS), FrameType.fromHumanName(framing, "progress"));
      assertEquals(java.util.Optional.empty(), FrameType.fromHumanName(framing, "Progress"));
    }
    assertEquals(java.util.Optional.of(FrameType.STREAM_SETTINGS), FrameType.fromId(Framing.V0005, 8));
    assertEquals(java.util.Optional.of(FrameType.SENDER_PROTOCOL_SETTINGS), FrameType.fromId(Framing.V0006, 8));
    assertEquals(java.util.Optional.empty(), FrameType.fromHumanName(Framing.V0005, "sender-protocol-settings"));
  }
}
