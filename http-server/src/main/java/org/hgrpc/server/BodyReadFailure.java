package org.hgrpc.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The answer to a request body that could not be read whole: too large, too slow, stalled or garbled. */
final class BodyReadFailure {
  private BodyReadFailure() {}

  static void answer(IOException e, HttpServletResponse resp) throws IOException {
    if (e instanceof BodyTooLargeException) {
      PlainResponses.text(resp, 413, e.getMessage() + "\n");
    } else if (e instanceof BodyTooSlowException) {
      PlainResponses.text(resp, 408, e.getMessage() + "\n");
    } else if (isTimeout(e)) {
      PlainResponses.text(resp, 408, "request body timed out: no data arrived within the idle timeout\n");
    } else {
      // The container could not read the body (bad chunked encoding, say): tell the client if it still listens.
      PlainResponses.text(resp, 400, "malformed request body: cannot read it: " + e.getMessage() + "\n");
    }
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
