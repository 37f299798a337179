package org.hgrpc.client;

import java.util.ArrayDeque;

/**
 * Data of one response waiting for its consumer, counted against the body's
 * {@link FlowControl}: the one wait loop of the client. The producer offers items and ends or
 * fails the queue; the consumer {@link #take()}s them, waiting (bounded) for the next, and
 * resumes the body's pump when its taking made room.
 *
 * <p>Producer-side methods run with the flow control's monitor held; {@link #take()} and
 * {@link #close} take it themselves.
 *
 * @param <T> the items: decoded values, or raw body bytes
 */
final class PacedQueue<T> {

  /** How the owner words the failures of a wait. */
  interface WaitMessages {
    /** Taking from a closed queue. */
    String closed();

    /** The consumer's thread was interrupted while waiting. */
    String interrupted();

    /** Nothing arrived for {@code millis} (monitor held: it may ask the flow control). */
    String timedOut(long millis);
  }

  private record Held<T>(T item, long weight) {}

  private final FlowControl flow;
  private final WaitMessages messages;
  private final ArrayDeque<Held<T>> items = new ArrayDeque<>();
  private boolean ended;
  private boolean closed;
  private HgrpcException failure;

  PacedQueue(FlowControl flow, WaitMessages messages) {
    this.flow = flow;
    this.messages = messages;
  }

  // ---- producer side, monitor held ----

  /** Queues {@code item}, counting {@code weight} against the flow control; dropped once closed. */
  void offer(T item, long weight) {
    if (closed) {
      return;
    }
    items.add(new Held<>(item, weight));
    flow.hold(weight);
  }

  /** No more items will come. */
  void end() {
    ended = true;
    flow.notifyAll();
  }

  /** Fails the queue unless it has finished; items queued before stay readable first. */
  void fail(HgrpcException e) {
    if (isFinished()) {
      return;
    }
    failure = e;
    flow.notifyAll();
  }

  /** Whether the consumer has nothing more to wait for from the network. */
  boolean isFinished() {
    return ended || failure != null;
  }

  boolean isClosed() {
    return closed;
  }

  // ---- consumer side ----

  /**
   * The next item, or {@code null} after the last one; waits for it, but never longer than the
   * idle timeout without progress of the body.
   *
   * @throws HgrpcException the failure of the response, after the items that came before it;
   *     {@link HgrpcTimeoutException} when the wait is up; {@link CallCancelledException} when
   *     closed or interrupted
   */
  T take() {
    Held<T> taken;
    boolean resume;
    synchronized (flow) {
      long waitStart = System.nanoTime();
      while (true) {
        if (closed) {
          throw new CallCancelledException(messages.closed());
        }
        if (!items.isEmpty()) {
          taken = items.remove();
          resume = flow.release(taken.weight());
          break;
        }
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return null;
        }
        boolean waited;
        try {
          waited = flow.await(waitStart);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CallCancelledException(messages.interrupted());
        }
        if (!waited) {
          String message = messages.timedOut(flow.waitMillis());
          throw new HgrpcTimeoutException(message, new java.net.http.HttpTimeoutException(message));
        }
      }
    }
    if (resume) {
      flow.resumePump();
    }
    return taken.item();
  }

  /**
   * The consumer is done: drops what is queued and whatever still comes. Unless the queue had
   * finished, it now fails with {@code reason} (when given), so the producer sees it finished.
   * Only the first call does anything: it runs {@code afterClose} (outside the monitor, before
   * resuming the pump, so that an owner that drops the connection does so first).
   */
  void close(HgrpcException reason, Runnable afterClose) {
    boolean resume;
    synchronized (flow) {
      if (closed) {
        return;
      }
      closed = true;
      long weight = 0;
      for (Held<T> h : items) {
        weight += h.weight();
      }
      items.clear();
      resume = flow.release(weight);
      if (reason != null && !isFinished()) {
        failure = reason;
      }
      flow.notifyAll();
    }
    afterClose.run();
    if (resume) {
      flow.resumePump();
    }
  }
}
