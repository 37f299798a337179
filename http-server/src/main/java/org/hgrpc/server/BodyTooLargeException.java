package org.hgrpc.server;

import java.io.IOException;

/** The request body went past the configured maximum. */
final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super("request body exceeds maximum size of " + limit + " bytes");
  }
}
