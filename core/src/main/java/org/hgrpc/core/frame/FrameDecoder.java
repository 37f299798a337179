package org.hgrpc.core.frame;

import java.nio.ByteBuffer;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;

/**
 * Cuts a byte stream into frames without blocking: feed it whatever bytes arrive, in pieces
 * of any size, and it hands out each frame once whole.
 *
 * <p>Two states, {@code HEADER} and {@code PAYLOAD}. The payload limit is checked as soon as a
 * header is complete, before any payload byte is buffered. After an error the decoder latches:
 * every later call fails with the same message, so a transport cannot accidentally resync on
 * garbage.
 */
public final class FrameDecoder {

  /** Receives decoded frames. */
  @FunctionalInterface
  public interface Listener {
    /** One whole frame. */
    void onFrame(Frame frame);
  }

  private final Limits limits;
  private final byte[] header = new byte[FrameConstants.FRAME_HEADER_SIZE];
  private int headerFill;
  private boolean inPayload;
  /** The header being filled or whose payload is awaited, packed ({@link FrameHeader#pack}): no object per frame. */
  private long packedHeader;
  private int length;
  private byte[] payload;
  private int payloadFill;
  private ProtocolException failure;
  private long framesDecoded;

  /** A decoder enforcing {@code limits}. */
  public FrameDecoder(Limits limits) {
    this.limits = limits;
  }

  /**
   * Consumes all of {@code data}, calling {@code listener} for each completed frame. Payloads
   * are copied: {@code data} may be reused as soon as this returns.
   *
   * @throws ProtocolException if a frame breaks a limit; the decoder then stays failed
   */
  public void feed(ByteBuffer data, Listener listener) throws ProtocolException {
    feed(data, false, listener);
  }

  /**
   * Like {@link #feed(byte[], int, int, Listener)}, without copying: <b>the caller gives up
   * the range</b> {@code data[offset, offset + length)} and must never write it again. A frame
   * whose payload lies wholly inside the range is handed out with a payload that is a view of
   * {@code data} (frames are immutable values, so that is safe only while nobody writes the
   * range); a payload that began in an earlier call is completed in an array of its own, as
   * {@code feed} does. Use it with a fresh array per read (a servlet's or client's read
   * buffer that is not reused): the frames then cost no payload copy and no payload
   * allocation.
   *
   * @throws ProtocolException if a frame breaks a limit; the decoder then stays failed
   */
  public void feedOwned(byte[] data, int offset, int length, Listener listener) throws ProtocolException {
    feed(ByteBuffer.wrap(data, offset, length), true, listener);
  }

  private void feed(ByteBuffer data, boolean share, Listener listener) throws ProtocolException {
    if (failure != null) {
      throw latched();
    }
    while (data.hasRemaining()) {
      if (!inPayload) {
        if (headerFill == 0 && data.remaining() >= header.length) {
          // The whole header is there: read it in place, without staging it.
          int p = data.position();
          setHeader(FrameHeader.read(data, p));
          data.position(p + header.length);
        } else {
          int n = Math.min(data.remaining(), header.length - headerFill);
          data.get(header, headerFill, n);
          headerFill += n;
          if (headerFill < header.length) {
            return;
          }
          headerFill = 0;
          setHeader(FrameHeader.read(header, 0));
        }
        if (length > limits.maxFramePayload()) {
          throw fail(new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
              "frame payload exceeds maximum size " + limits.maxFramePayload() + ": " + length));
        }
        inPayload = true;
        payloadFill = 0;
        if (share && length > 0 && data.remaining() >= length) {
          // The whole payload is in the caller's array, which it gave up: share it.
          int p = data.position();
          data.position(p + length);
          inPayload = false;
          emit(ByteString.wrap(data.array(), data.arrayOffset() + p, length), listener);
          continue;
        }
        payload = length == 0 ? null : new byte[length];
      } else {
        int n = Math.min(data.remaining(), length - payloadFill);
        data.get(payload, payloadFill, n);
        payloadFill += n;
      }
      if (inPayload && payloadFill == length) {
        byte[] p = payload;
        inPayload = false;
        payload = null;
        emit(p == null ? ByteString.EMPTY : ByteString.wrap(p), listener);
      }
    }
  }

  private void emit(ByteString payloadBytes, Listener listener) {
    framesDecoded++;
    long h = packedHeader;
    listener.onFrame(new Frame(FrameHeader.requestIdOf(h), FrameHeader.streamIdOf(h), FrameHeader.streamFlagsOf(h),
        FrameHeader.typeIdOf(h), FrameHeader.flagsOf(h), payloadBytes));
  }

  private void setHeader(long packed) {
    this.packedHeader = packed;
    this.length = FrameHeader.lengthOf(packed);
  }

  /** {@link #feed(ByteBuffer, Listener)} for an array range. */
  public void feed(byte[] data, int offset, int length, Listener listener) throws ProtocolException {
    feed(ByteBuffer.wrap(data, offset, length), listener);
  }

  /**
   * Declares the end of input.
   *
   * @throws ProtocolException if input ended inside a header or payload
   */
  public void finish() throws ProtocolException {
    if (failure != null) {
      throw latched();
    }
    if (headerFill > 0) {
      throw fail(new ProtocolException(ProtocolException.Kind.TRUNCATED_HEADER,
          "received incomplete frame: got " + headerFill + " bytes: " + ByteString.copyOf(header, 0, headerFill)));
    }
    if (inPayload) {
      throw fail(new ProtocolException(ProtocolException.Kind.TRUNCATED_PAYLOAD,
          "frame length error: expected " + length + "; got " + payloadFill));
    }
  }

  /** Whether the decoder is between frames (nothing buffered). */
  public boolean isIdle() {
    return headerFill == 0 && !inPayload;
  }

  /** Frames handed out so far. */
  public long framesDecoded() {
    return framesDecoded;
  }

  private ProtocolException fail(ProtocolException e) {
    failure = e;
    return e;
  }

  private ProtocolException latched() {
    return new ProtocolException(ProtocolException.Kind.ALREADY_FAILED,
        "frame decoder already failed: " + failure.getMessage());
  }
}
