package org.hgrpc.core;

/**
 * Bad input from a peer: bytes that are not frames, frames that break a limit. The
 * {@link #kind()} says which rule was broken and the message names the rule and the values,
 * so a transport can answer with a precise error (a 400 or 413, an error frame, a failed
 * response).
 *
 * <p>It is deliberately not an {@link java.io.IOException}: an I/O error means the transport
 * failed and says nothing about the peer, while this means the transport worked and the peer
 * sent something the protocol forbids. Code that reads frames from a stream
 * ({@link org.hgrpc.core.frame.FrameReader}) declares both, so callers handle them apart. It is
 * checked because every caller feeding peer bytes must decide what answer the peer gets.
 */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which rule the input broke. */
  public enum Kind {
    /** Input ended inside a frame header. */
    TRUNCATED_HEADER,
    /** Input ended inside a frame payload. */
    TRUNCATED_PAYLOAD,
    /** A frame announced a payload larger than {@link Limits#maxFramePayload()}. */
    FRAME_TOO_LARGE,
    /** The decoder failed earlier and refuses further input. */
    ALREADY_FAILED
  }

  private final Kind kind;

  /** An error of {@code kind} with a message naming the rule and values. */
  public ProtocolException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Which rule was broken. */
  public Kind kind() {
    return kind;
  }
}
