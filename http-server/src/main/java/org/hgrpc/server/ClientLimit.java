package org.hgrpc.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Most requests in progress per client address ({@code hgrpc.max-requests-per-client}): a
 * request counts from its head until its body is read and it is answered, so one address
 * cannot fill the server with slow uploads. Off (no limit) when the maximum is 0. Thread-safe.
 */
final class ClientLimit {
  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

  ClientLimit(int max) {
    this.max = max;
  }

  /** Whether there is a limit at all. */
  boolean enabled() {
    return max > 0;
  }

  /** The maximum per address. */
  int max() {
    return max;
  }

  /**
   * Counts a request of {@code address} in.
   *
   * @return whether it is within the limit; if so, {@link #leave} must follow
   */
  boolean enter(String address) {
    if (max <= 0) {
      return true;
    }
    boolean[] admitted = {false};
    inProgress.compute(address, (a, n) -> {
      AtomicInteger count = n != null ? n : new AtomicInteger();
      if (count.get() < max) {
        count.incrementAndGet();
        admitted[0] = true;
      }
      return count.get() == 0 ? null : count;
    });
    return admitted[0];
  }

  /** Counts a request of {@code address} out. */
  void leave(String address) {
    if (max <= 0) {
      return;
    }
    inProgress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
  }

  /** Requests of {@code address} in progress. */
  int inProgress(String address) {
    AtomicInteger n = inProgress.get(address);
    return n == null ? 0 : n.get();
  }
}
