package org.hgrpc.server.exchange;

import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.FrameDecoder;

/**
 * Request bytes cut into frames for an exchange, and the exchange's verdict so far: bytes that
 * are not frames become a refusal instead of an exception (a frame over the size limit a
 * {@link RefusalKind#LIMIT} one), and the first refusal decided, by the bytes or by the
 * exchange looking at a frame, is the one that stands: a frame refused before bytes that are
 * not frames is the answer, as in the reference, which stops at the first error. After a
 * refusal, frames are no longer handed to the listener.
 */
final class FrameInput {
  private final FrameDecoder decoder;
  private final FrameDecoder.Listener listener;
  private ExchangeOutcome.Refusal refusal;
  private boolean ended;

  FrameInput(Limits limits, FrameDecoder.Listener listener) {
    this.decoder = new FrameDecoder(limits);
    this.listener = frame -> {
      if (refusal == null) {
        listener.onFrame(frame);
      }
    };
  }

  /** Whether more input could change the outcome: no refusal is decided yet. */
  boolean open() {
    return refusal == null;
  }

  /** Decides a refusal, unless one is decided already (the first stands). */
  void refuse(ExchangeOutcome.Refusal value) {
    if (refusal == null) {
      refusal = value;
    }
  }

  /**
   * Decodes the bytes, giving each whole frame to the listener while no refusal is decided.
   *
   * @throws IllegalStateException after {@link #end()}
   */
  void feed(byte[] bytes, int offset, int length) {
    if (ended) {
      throw new IllegalStateException("input already ended");
    }
    if (refusal != null) {
      return;
    }
    try {
      decoder.feed(bytes, offset, length, listener);
    } catch (ProtocolException e) {
      refuse(refusal(e));
    }
  }

  /**
   * The end of the bytes: the refusal decided, or one if they stopped inside a frame; null if
   * the input was whole frames and none was refused.
   *
   * @throws IllegalStateException if called twice
   */
  ExchangeOutcome.Refusal end() {
    if (ended) {
      throw new IllegalStateException("input already ended");
    }
    ended = true;
    if (refusal == null) {
      try {
        decoder.finish();
      } catch (ProtocolException e) {
        refuse(refusal(e));
      }
    }
    return refusal;
  }

  private static ExchangeOutcome.Refusal refusal(ProtocolException e) {
    RefusalKind kind = e.kind() == ProtocolException.Kind.FRAME_TOO_LARGE ? RefusalKind.LIMIT : RefusalKind.BAD_REQUEST;
    return new ExchangeOutcome.Refusal(kind, "malformed request body: " + e.getMessage() + "\n");
  }
}
