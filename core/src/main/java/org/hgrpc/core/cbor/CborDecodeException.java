package org.hgrpc.core.cbor;

/**
 * CBOR input that is malformed or outside the subset Mercurial's {@code cborutil} accepts.
 * Messages are the reference decoder's, so logs read the same on both sides.
 */
public final class CborDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public CborDecodeException(String message) {
    super(message);
  }
}
