package org.hgrpc.client;

import java.net.URI;

/**
 * Told how much of a response body has arrived, for progress displays. Called on the HTTP
 * client's threads each time bytes arrive, so it must be quick and must not block.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * Bytes of the response to {@code uri} so far.
   *
   * @param uri the URI of the exchange
   * @param bytesReceived body bytes received so far, counting from zero for each exchange
   */
  void onProgress(URI uri, long bytesReceived);
}
