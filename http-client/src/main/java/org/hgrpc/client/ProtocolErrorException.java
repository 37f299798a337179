package org.hgrpc.client;

/**
 * The server's response broke the protocol: bytes that are not frames, frames the client
 * reactor refuses (unknown request, odd stream id, unsupported encoding), a payload that is
 * not valid CBOR, or a value of the wrong shape for a typed helper.
 */
public final class ProtocolErrorException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  /** An error described by {@code message}. */
  public ProtocolErrorException(String message) {
    super(message);
  }

  /** An error described by {@code message}, found through {@code cause}. */
  public ProtocolErrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
