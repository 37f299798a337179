package org.hgrpc.server;

import java.io.IOException;
import java.io.InputStream;
import org.hgrpc.server.exchange.Exchange;
import org.hgrpc.server.exchange.ExchangeOutcome;

/**
 * Moves a request body into an {@link Exchange}: reads it in pieces as they arrive, stops
 * when the exchange has decided, and reads (and drops) whatever is left of a body answered
 * early. The body's own bounds ({@link LimitedInputStream}: size, rate, idle time) bound that
 * too. Closing a connection with unread request bytes makes TCP reset it, and the client
 * would lose the answer.
 */
final class HttpBody {
  // Most bodies are one small frame; Jetty reads in pieces of this order anyway.
  private static final int BUFFER_SIZE = 8 * 1024;

  private HttpBody() {}

  /** The exchange's outcome for {@code body}, or the refusal for a body that could not be read. */
  static ExchangeOutcome exchange(Exchange exchange, InputStream body) {
    byte[] buffer = new byte[BUFFER_SIZE];
    try {
      int n;
      while (exchange.wantsInput() && (n = body.read(buffer)) != -1) {
        exchange.receive(buffer, 0, n);
      }
    } catch (IOException e) {
      return BodyReadFailure.refusal(e);
    }
    if (!exchange.wantsInput()) {
      drain(body, buffer);
    }
    return exchange.endOfInput();
  }

  /** Reads and drops what is left of {@code body}; a failure to read ends it (the answer goes out anyway). */
  static void drain(InputStream body) {
    drain(body, new byte[BUFFER_SIZE]);
  }

  private static void drain(InputStream body, byte[] buffer) {
    try {
      while (body.read(buffer) != -1) {
        // discard
      }
    } catch (IOException e) {
      // The answer goes out anyway; the limit or failure is the client's problem now.
    }
  }
}
