package org.hgrpc.server;

import java.util.concurrent.atomic.AtomicLong;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;

/**
 * The server-wide budget for request body bytes held while requests arrive ({@code
 * hgrpc.max-buffered-bytes}): each request reserves the bytes it hands to its exchange before
 * handing them, and gives them all back when answered. Checking before buffering is what keeps
 * any mix of requests within the limits from exhausting the heap: past the budget a request is
 * answered 503 (413 when it alone needs more than the whole budget), not an {@link
 * OutOfMemoryError}. Thread-safe.
 */
final class BufferBudget {
  private final long max;
  private final AtomicLong held = new AtomicLong();

  BufferBudget(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("budget must be at least 1 byte: " + max);
    }
    this.max = max;
  }

  /** Bytes reserved now, by every request together. */
  long held() {
    return held.get();
  }

  /** A new request's account, holding nothing yet. */
  Account open() {
    return new Account();
  }

  /** One request's share of the budget. Not thread-safe (a request's body is read by one callback at a time). */
  final class Account implements AutoCloseable {
    private long mine;
    private boolean closed;

    /** Bytes this request holds. */
    long held() {
      return mine;
    }

    /**
     * Reserves {@code n} more bytes before they are buffered.
     *
     * @return null if reserved, else the refusal to answer
     */
    Refusal reserve(int n) {
      if (closed) {
        throw new IllegalStateException("account closed");
      }
      if (mine + n > max) {
        return new Refusal(RefusalKind.LIMIT, "request body too large to hold: it needs more than "
            + max + " bytes, all that the server holds for request bodies (hgrpc.max-buffered-bytes)\n");
      }
      long after = held.addAndGet(n);
      if (after > max) {
        held.addAndGet(-n);
        return new Refusal(RefusalKind.BUSY, "server busy: request bodies being received hold "
            + (after - n) + " of " + max + " bytes (hgrpc.max-buffered-bytes); try again later\n");
      }
      mine += n;
      return null;
    }

    /** Gives back everything this request reserved. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        held.addAndGet(-mine);
        mine = 0;
      }
    }
  }
}
