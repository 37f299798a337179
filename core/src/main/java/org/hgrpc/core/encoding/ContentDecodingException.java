package org.hgrpc.core.encoding;

/** A peer's encoded data could not be decoded, or decodes to more than the limits allow. */
public final class ContentDecodingException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the encoding, the rule and the values. */
  public ContentDecodingException(String message) {
    super(message);
  }
}
