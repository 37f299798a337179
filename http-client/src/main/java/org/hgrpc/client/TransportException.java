package org.hgrpc.client;

import java.io.IOException;

/**
 * The HTTP exchange itself failed before a response arrived: the connection was refused or
 * reset, the host is unknown, TLS failed. The cause is the JDK's {@link IOException}.
 */
public final class TransportException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  TransportException(String message, IOException cause) {
    super(message, cause);
  }
}
