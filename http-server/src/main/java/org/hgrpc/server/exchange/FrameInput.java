package org.hgrpc.server.exchange;

import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.FrameDecoder;

/**
 * Request bytes cut into frames for an exchange: bytes that are not frames become a refusal
 * instead of an exception, a frame over the size limit a {@link RefusalKind#LIMIT} one.
 */
final class FrameInput {
  private final FrameDecoder decoder;
  private final FrameDecoder.Listener listener;

  FrameInput(Limits limits, FrameDecoder.Listener listener) {
    this.decoder = new FrameDecoder(limits);
    this.listener = listener;
  }

  /** Decodes the bytes, giving each whole frame to the listener; a refusal if they are not frames, else null. */
  ExchangeOutcome.Refusal feed(byte[] bytes, int offset, int length) {
    try {
      decoder.feed(bytes, offset, length, listener);
      return null;
    } catch (ProtocolException e) {
      return refusal(e);
    }
  }

  /** The end of the bytes: a refusal if they stopped inside a frame, else null. */
  ExchangeOutcome.Refusal finish() {
    try {
      decoder.finish();
      return null;
    } catch (ProtocolException e) {
      return refusal(e);
    }
  }

  private static ExchangeOutcome.Refusal refusal(ProtocolException e) {
    RefusalKind kind = e.kind() == ProtocolException.Kind.FRAME_TOO_LARGE ? RefusalKind.LIMIT : RefusalKind.BAD_REQUEST;
    return new ExchangeOutcome.Refusal(kind, "malformed request body: " + e.getMessage() + "\n");
  }
}
