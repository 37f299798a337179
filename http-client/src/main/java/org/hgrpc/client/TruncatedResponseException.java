package org.hgrpc.client;

/**
 * The response body ended (or the connection broke) before every request of the exchange got
 * its last frame: input ended inside a frame, or after whole frames but before a request's
 * end-of-stream frame.
 */
public final class TruncatedResponseException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  TruncatedResponseException(String message) {
    super(message);
  }

  TruncatedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
