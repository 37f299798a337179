package org.hgrpc.client;

import java.util.concurrent.TimeUnit;

/**
 * The back-pressure of one response body: how much received data waits for consumers, the
 * {@link BodyPump} to pause and resume, and how long a consumer may wait.
 *
 * <p>The producer (the sink the pump feeds) {@link #hold holds} what it queues and, after each
 * batch of body bytes, tells the pump to go on only while {@link #hasRoom()}; consumers
 * {@link #release} what they take, and the pump is resumed once at most half the capacity is
 * held, so it reads in large steps rather than one buffer at a time. The pump itself never
 * holds more than one batch beyond the capacity: it asks for the next batch only when told to.
 *
 * <p>This object's monitor guards the producer's and the consumers' shared state (the sink's
 * and its {@link PacedQueue}s'); consumers wait on it, the producer notifies it. Methods marked
 * "monitor held" expect the caller to hold it; the others take it themselves.
 */
final class FlowControl {
  // Deliberately larger than the pump's idle timeout, so that a stalled body is reported by the
  // pump (which knows the bytes received); this only catches waits the pump cannot see.
  private static final long CONSUMER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final long capacity;
  private final long waitNanos;
  private BodyPump pump;
  private long held;
  private long lastProgressNanos = System.nanoTime();

  FlowControl(ClientSettings settings) {
    this.capacity = settings.bufferBytes();
    this.waitNanos = settings.idleTimeout().toNanos() + CONSUMER_GRACE_NANOS;
  }

  /** The pump of the body, once the response headers arrived. */
  synchronized void attach(BodyPump pump) {
    this.pump = pump;
  }

  // ---- producer side, monitor held ----

  /** Body bytes arrived: consumers' waits start again from now. */
  void dataArrived() {
    lastProgressNanos = System.nanoTime();
    notifyAll();
  }

  /** Counts {@code weight} more data waiting for consumers. */
  void hold(long weight) {
    held += weight;
  }

  /** Whether the pump may read on. */
  boolean hasRoom() {
    return held < capacity;
  }

  // ---- consumer side ----

  /**
   * A consumer took or dropped {@code weight} (monitor held).
   *
   * @return whether to {@link #resumePump()} (outside the monitor)
   */
  boolean release(long weight) {
    held -= weight;
    return pump != null && held <= capacity / 2;
  }

  /**
   * Waits for news (monitor held): a consumer that began waiting at {@code waitStart} waits
   * until the idle timeout (plus a grace) has passed without progress of the body.
   *
   * @return false if that time is up
   */
  boolean await(long waitStart) throws InterruptedException {
    long left = Math.max(waitStart, lastProgressNanos) + waitNanos - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    TimeUnit.NANOSECONDS.timedWait(this, left);
    return true;
  }

  /** The longest wait without progress, in milliseconds, for messages. */
  long waitMillis() {
    return TimeUnit.NANOSECONDS.toMillis(waitNanos);
  }

  /** Whether the pump is paused because the data held filled the capacity (monitor held). */
  boolean readingPaused() {
    return pump != null && pump.isPaused();
  }

  /** Asks the pump to read on if it was paused. Call without the monitor. */
  void resumePump() {
    BodyPump p = currentPump();
    if (p != null) {
      p.resume();
    }
  }

  /** Drops the connection if the body is being read. Call without the monitor. */
  boolean abortPump() {
    BodyPump p = currentPump();
    if (p != null) {
      p.abort();
    }
    return p != null;
  }

  /** Body bytes received so far. */
  long received() {
    BodyPump p = currentPump();
    return p == null ? 0 : p.received();
  }

  private synchronized BodyPump currentPump() {
    return pump;
  }
}
