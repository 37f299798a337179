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
  private FrameHeader current;
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
      if (current == null) {
        int n = Math.min(data.remaining(), header.length - headerFill);
        data.get(header, headerFill, n);
        headerFill += n;
        if (headerFill < header.length) {
          return;
        }
        FrameHeader h = FrameHeader.parse(header, 0);
        headerFill = 0;
        if (h.length() > limits.maxFramePayload()) {
          throw fail(new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
              "frame payload exceeds maximum size " + limits.maxFramePayload() + ": " + h.length()));
        }
        current = h;
        payload = new byte[h.length()];
        payloadFill = 0;
      } else {
        int n = Math.min(data.remaining(), payload.length - payloadFill);
        data.get(payload, payloadFill, n);
        payloadFill += n;
      }
      if (current != null && payloadFill == payload.length) {
        FrameHeader h = current;
        byte[] p = payload;
        current = null;
        payload = null;
        framesDecoded++;
        listener.onFrame(new Frame(h.requestId(), h.streamId(), h.streamFlags(), h.typeId(), h.flags(),
            ByteString.wrap(p)));
      }
    }
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
    if (current != null) {
      throw fail(new ProtocolException(ProtocolException.Kind.TRUNCATED_PAYLOAD,
          "frame length error: expected " + current.length() + "; got " + payloadFill));
    }
  }

  /** Whether the decoder is between frames (nothing buffered). */
  public boolean isIdle() {
    return headerFill == 0 && current == null;
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
