package org.hgrpc.core.frame;

import java.nio.ByteBuffer;

/**
 * The 8 bytes that begin every frame.
 *
 * <pre>
 *  byte:  0    1    2    3    4    5          6            7
 *       +--------------+---------+----------+------------+---------+
 *       | payload len  | request | stream   | stream     | type  | |
 *       | 24 bits, LE  | id, LE  | id       | flags      | flags   |
 *       +--------------+---------+----------+------------+---------+
 *                                              byte 7: high nibble type, low nibble flags
 * </pre>
 *
 * @param length payload length, 0 .. 2^24-1
 * @param requestId request id, 0 .. 65535
 * @param streamId stream id, 0 .. 255
 * @param streamFlags stream flags, 0 .. 255
 * @param typeId frame type, 0 .. 15 (not all defined)
 * @param flags frame flags, 0 .. 15 (meaning depends on the type)
 */
public record FrameHeader(int length, int requestId, int streamId, int streamFlags, int typeId, int flags) {

  /** Checks every field against its width on the wire. */
  public FrameHeader {
    check("length", length, 0xffffff);
    check("requestId", requestId, 0xffff);
    check("streamId", streamId, 0xff);
    check("streamFlags", streamFlags, 0xff);
    check("typeId", typeId, 0x0f);
    check("flags", flags, 0x0f);
  }

  private static void check(String name, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be 0.." + max + ": " + value);
    }
  }

  /**
   * The reference's {@code parseheader}: reads a header from 8 bytes of {@code data} at
   * {@code offset}. Any 8 bytes are a valid header.
   */
  public static FrameHeader parse(byte[] data, int offset) {
    java.util.Objects.checkFromIndexSize(offset, FrameConstants.FRAME_HEADER_SIZE, data.length);
    int length = (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16;
    int requestId = (data[offset + 3] & 0xff) | (data[offset + 4] & 0xff) << 8;
    int streamId = data[offset + 5] & 0xff;
    int streamFlags = data[offset + 6] & 0xff;
    int typeFlags = data[offset + 7] & 0xff;
    return new FrameHeader(length, requestId, streamId, streamFlags, typeFlags >> 4, typeFlags & 0x0f);
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteBufferViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /** The 8 header bytes as one little-endian long. */
  long toLong() {
    return (length & 0xffffffL) | (long) requestId << 24 | (long) streamId << 40 | (long) streamFlags << 48
        | (long) (typeId << 4 | flags) << 56;
  }

  /** Writes the 8 header bytes into {@code out} at its position, as one store. */
  public void writeTo(ByteBuffer out) {
    int p = out.position();
    if (out.remaining() < FrameConstants.FRAME_HEADER_SIZE) {
      throw new java.nio.BufferOverflowException();
    }
    LONG_LE.set(out, p, toLong());
    out.position(p + FrameConstants.FRAME_HEADER_SIZE);
  }

  /** Writes the 8 header bytes into {@code out} at {@code offset}. */
  public void writeTo(byte[] out, int offset) {
    out[offset] = (byte) length;
    out[offset + 1] = (byte) (length >> 8);
    out[offset + 2] = (byte) (length >> 16);
    out[offset + 3] = (byte) requestId;
    out[offset + 4] = (byte) (requestId >> 8);
    out[offset + 5] = (byte) streamId;
    out[offset + 6] = (byte) streamFlags;
    out[offset + 7] = (byte) (typeId << 4 | flags);
  }
}
