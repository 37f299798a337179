package org.hgrpc.core.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/*
 * The 8-byte frame header, the same in every framing (0005, 0006):
 *
 *   byte:  0    1    2    3    4    5          6              7
 *        +--------------+---------+----------+--------------+-----------+
 *        | payload len  | request | stream   | stream flags | type|flags|
 *        | 24 bits, LE  | 16b, LE | id, 8b   | 8 bits       | 4b  | 4b  |
 *        +--------------+---------+----------+--------------+-----------+
 *                                               byte 7: high nibble type, low nibble flags
 *
 * Read as one little-endian 64-bit word, the fields sit at bits 0-23 (length), 24-39
 * (request id), 40-47 (stream id), 48-55 (stream flags), 56-59 (flags) and 60-63 (type).
 */

/**
 * The 8 bytes that begin every frame, and the one codec for them: {@link #parse} and the
 * {@code *Of(long)} accessors decode, {@link #pack} and {@code write} encode. Hot paths (the
 * non-blocking decoder, frame writers) use the packed {@code long} form, which costs no
 * object per frame.
 *
 * @param length payload length, 0 .. 2^24-1
 * @param requestId request id, 0 .. 65535
 * @param streamId stream id, 0 .. 255
 * @param streamFlags stream flags, 0 .. 255
 * @param typeId frame type, 0 .. 15 (not all defined)
 * @param flags frame flags, 0 .. 15 (meaning depends on the type)
 */
public record FrameHeader(int length, int requestId, int streamId, int streamFlags, int typeId, int flags) {

  private static final VarHandle LONG_LE_BUFFER =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE_ARRAY =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
    return unpack(read(data, offset));
  }

  /** The header whose packed form is {@code packed}. */
  public static FrameHeader unpack(long packed) {
    return new FrameHeader(lengthOf(packed), requestIdOf(packed), streamIdOf(packed), streamFlagsOf(packed),
        typeIdOf(packed), flagsOf(packed));
  }

  /** The 8 header bytes at {@code offset} of {@code data} as one packed word. */
  public static long read(byte[] data, int offset) {
    Objects.checkFromIndexSize(offset, FrameConstants.FRAME_HEADER_SIZE, data.length);
    return (long) LONG_LE_ARRAY.get(data, offset);
  }

  /** The 8 header bytes at absolute {@code index} of {@code data} as one packed word; the position is unchanged. */
  public static long read(ByteBuffer data, int index) {
    Objects.checkFromIndexSize(index, FrameConstants.FRAME_HEADER_SIZE, data.limit());
    return (long) LONG_LE_BUFFER.get(data, index);
  }

  /** Payload length of a packed header. */
  public static int lengthOf(long packed) {
    return (int) (packed & 0xffffff);
  }

  /** Request id of a packed header. */
  public static int requestIdOf(long packed) {
    return (int) (packed >>> 24) & 0xffff;
  }

  /** Stream id of a packed header. */
  public static int streamIdOf(long packed) {
    return (int) (packed >>> 40) & 0xff;
  }

  /** Stream flags of a packed header. */
  public static int streamFlagsOf(long packed) {
    return (int) (packed >>> 48) & 0xff;
  }

  /** Frame type of a packed header. */
  public static int typeIdOf(long packed) {
    return (int) (packed >>> 60) & 0x0f;
  }

  /** Frame flags of a packed header. */
  public static int flagsOf(long packed) {
    return (int) (packed >>> 56) & 0x0f;
  }

  /** The fields packed as the header's 8 bytes read little-endian; fields must be in range. */
  public static long pack(int length, int requestId, int streamId, int streamFlags, int typeId, int flags) {
    return (length & 0xffffffL) | (long) requestId << 24 | (long) streamId << 40 | (long) streamFlags << 48
        | (long) (typeId << 4 | flags) << 56;
  }

  /** This header packed. */
  public long pack() {
    return pack(length, requestId, streamId, streamFlags, typeId, flags);
  }

  /** Writes a packed header into {@code out} at its position, as one store. */
  public static void write(long packed, ByteBuffer out) {
    int p = out.position();
    if (out.remaining() < FrameConstants.FRAME_HEADER_SIZE) {
      throw new BufferOverflowException();
    }
    LONG_LE_BUFFER.set(out, p, packed);
    out.position(p + FrameConstants.FRAME_HEADER_SIZE);
  }

  /** Writes a packed header into {@code out} at {@code offset}. */
  public static void write(long packed, byte[] out, int offset) {
    Objects.checkFromIndexSize(offset, FrameConstants.FRAME_HEADER_SIZE, out.length);
    LONG_LE_ARRAY.set(out, offset, packed);
  }

  /** Writes the 8 header bytes into {@code out} at its position, as one store. */
  public void writeTo(ByteBuffer out) {
    write(pack(), out);
  }

  /** Writes the 8 header bytes into {@code out} at {@code offset}. */
  public void writeTo(byte[] out, int offset) {
    write(pack(), out, offset);
  }
}
