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
  // The header being filled or whose payload is awaited, as plain fields: no object per frame.
  private boolean inPayload;
  private int length;
  private int requestId;
  private int streamId;
  private int streamFlags;
  private int typeFlags;
  private byte[] payload;
  private int payloadFill;
  private ProtocolException failure;
  private long framesDecoded;

  /** A decoder enforcing {@code limits}. */
  public FrameDecoder(Limits limits) {
    this.limits = limits;
  }

  /**
   * Consumes all of {@code data}, calling {@code listener} for each completed frame.
   *
   * @throws ProtocolException if a frame breaks a limit; the decoder then stays failed
   */
  public void feed(ByteBuffer data, Listener listener) throws ProtocolException {
    if (failure != null) {
      throw latched();
    }
    while (data.hasRemaining()) {
      if (!inPayload) {
        if (headerFill == 0 && data.remaining() >= header.length) {
          // The whole header is there: read it in place, without staging it.
          int p = data.position();
          setHeader(data.get(p) & 0xff | (data.get(p + 1) & 0xff) << 8 | (data.get(p + 2) & 0xff) << 16,
              data.get(p + 3) & 0xff | (data.get(p + 4) & 0xff) << 8, data.get(p + 5) & 0xff, data.get(p + 6) & 0xff,
              data.get(p + 7) & 0xff);
          data.position(p + header.length);
        } else {
          int n = Math.min(data.remaining(), header.length - headerFill);
          data.get(header, headerFill, n);
          headerFill += n;
          if (headerFill < header.length) {
            return;
          }
          headerFill = 0;
          setHeader(header[0] & 0xff | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16,
              header[3] & 0xff | (header[4] & 0xff) << 8, header[5] & 0xff, header[6] & 0xff, header[7] & 0xff);
        }
        if (length > limits.maxFramePayload()) {
          throw fail(new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
              "frame payload exceeds maximum size " + limits.maxFramePayload() + ": " + length));
        }
        inPayload = true;
        payload = length == 0 ? null : new byte[length];
        payloadFill = 0;
      } else {
        int n = Math.min(data.remaining(), length - payloadFill);
        data.get(payload, payloadFill, n);
        payloadFill += n;
      }
      if (inPayload && payloadFill == length) {
        byte[] p = payload;
        inPayload = false;
        payload = null;
        framesDecoded++;
        listener.onFrame(new Frame(requestId, streamId, streamFlags, typeFlags >> 4, typeFlags & 0x0f,
            p == null ? ByteString.EMPTY : ByteString.wrap(p)));
      }
    }
  }

  private void setHeader(int length, int requestId, int streamId, int streamFlags, int typeFlags) {
    this.length = length;
    this.requestId = requestId;
    this.streamId = streamId;
    this.streamFlags = streamFlags;
    this.typeFlags = typeFlags;
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
