package org.hgrpc.server;

import java.io.IOException;

/** The request body arrives more slowly than {@code hgrpc.min-body-rate} allows. */
final class BodyTooSlowException extends IOException {
  private static final long serialVersionUID = 1L;

  BodyTooSlowException(String message) {
    super(message);
  }
}
