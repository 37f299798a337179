package org.hgrpc.client;

import java.net.http.HttpTimeoutException;

/**
 * A wait took longer than its timeout: connecting, the response headers (request timeout), a
 * pause in the response body or a consumer waiting for the next value (idle timeout). The
 * cause is always an {@link HttpTimeoutException}, the JDK's own when it detected the timeout.
 */
public final class HgrpcTimeoutException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  HgrpcTimeoutException(String message, HttpTimeoutException cause) {
    super(message, cause);
  }
}
