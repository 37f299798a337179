package org.hgrpc.server;

import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;

/** The refusal for a request body that could not be read whole: too large, too slow, stalled or garbled. */
final class BodyReadFailure {
  private BodyReadFailure() {}

  static Refusal refusal(Throwable e) {
    if (e instanceof BodyTooLargeException) {
      return new Refusal(RefusalKind.LIMIT, e.getMessage() + "\n");
    } else if (e instanceof BodyTooSlowException) {
      return new Refusal(RefusalKind.TIMEOUT, e.getMessage() + "\n");
    } else if (isTimeout(e)) {
      return new Refusal(RefusalKind.TIMEOUT, "request body timed out: no data arrived within the idle timeout\n");
    }
    // The container could not read the body (bad chunked encoding, say): tell the client if it still listens.
    return new Refusal(RefusalKind.BAD_REQUEST, "malformed request body: cannot read it: " + e.getMessage() + "\n");
  }

  /** Whether reading failed because the container's idle timeout expired. */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
