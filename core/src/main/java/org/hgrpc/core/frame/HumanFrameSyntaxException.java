package org.hgrpc.core.frame;

/** A human frame string that cannot be made into a frame; the message says which field is wrong. */
public final class HumanFrameSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public HumanFrameSyntaxException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public HumanFrameSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
