package org.hgrpc.client;

/**
 * The call was cancelled: its future was cancelled, its result closed before the end, or the
 * client closed while the exchange was running.
 */
public final class CallCancelledException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  CallCancelledException(String message) {
    super(message);
  }
}
