package org.hgrpc.core;

import java.io.IOException;

/**
 * Bad input from a peer: bytes that are not frames, frames that break a limit. The
 * {@link #kind()} says which rule was broken and the message names the rule and the values,
 * so a transport can answer with a precise error.
 */
public final class ProtocolException extends IOException {
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
