package org.hgrpc.server;

import java.util.concurrent.atomic.AtomicLong;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;

/**
 * The server-wide budget for request body bytes held while requests arrive ({@code
 * hgrpc.max-buffered-bytes}): each request reserves the bytes it hands to its exchange before
 * handing them, and gives them all back when answered. Checking before buffering is what keeps
 * any mix of requests within the limits from exhausting the heap: past the budget a request is
 * answered 503 (413 when it alone needs more than a large request may hold), not an {@link
 * OutOfMemoryError}.
 *
 * <p>The last eighth of the budget is kept for small requests (the first {@value #SMALL_REQUEST}
 * bytes of each): large uploads, however slow, cannot fill it all and turn away the small
 * requests of every other client. Thread-safe.
 */
final class BufferBudget {
  /** Requests that hold no more than this may use the whole budget; larger ones seven eighths of it. */
  static final int SMALL_REQUEST = 64 * 1024;

  private final long max;
  private final long largeMax;
  private final AtomicLong held = new AtomicLong();

  BufferBudget(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("budget must be at least 1 byte: " + max);
    }
    this.max = max;
    this.largeMax = max - max / 8;
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
    Refusal reserve(long n) {
      if (closed) {
        throw new IllegalStateException("account closed");
      }
      boolean small = mine + n <= SMALL_REQUEST;
      if (!small && mine + n > largeMax) {
        return new Refusal(RefusalKind.LIMIT, "request body too large to hold: it needs more than " + largeMax
            + " bytes, the most one request may hold of the " + max + " the server holds for request bodies"
            + " (hgrpc.max-buffered-bytes)\n");
      }
      long ceiling = small ? max : largeMax;
      long after = held.addAndGet(n);
      if (after > ceiling) {
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
