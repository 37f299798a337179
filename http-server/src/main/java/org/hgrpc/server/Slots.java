package org.hgrpc.server;

import java.util.concurrent.Semaphore;
import org.hgrpc.core.Permission;
import org.hgrpc.server.exchange.Admission;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;

/**
 * The two concurrency budgets of running commands: read slots ({@code
 * hgrpc.max-concurrent-requests}) and push slots ({@code hgrpc.max-concurrent-pushes}). A push
 * may wait a long time for the repository's locks; on a budget of its own it never takes a
 * slot a read needs. Neither waits: a request finding no free slot is refused at once, with a
 * message naming the setting. Thread-safe.
 */
final class Slots {
  private final int reads;
  private final int pushes;
  private final Semaphore readSlots;
  private final Semaphore pushSlots;

  Slots(int reads, int pushes) {
    this.reads = reads;
    this.pushes = pushes;
    this.readSlots = new Semaphore(reads);
    this.pushSlots = new Semaphore(pushes);
  }

  /** Read slots free now. */
  int freeReads() {
    return readSlots.availablePermits();
  }

  /** Push slots free now. */
  int freePushes() {
    return pushSlots.availablePermits();
  }

  /** An admission for one request; {@link Claim#release()} gives back what it took. */
  Claim claim() {
    return new Claim();
  }

  /** One request's slot, once admitted. */
  final class Claim implements Admission {
    private Semaphore taken;

    @Override
    public Refusal admit(Permission needed) {
      if (taken != null) {
        throw new IllegalStateException("already admitted");
      }
      if (needed == Permission.PUSH) {
        if (!pushSlots.tryAcquire()) {
          return new Refusal(RefusalKind.BUSY, "server busy: " + pushes
              + " pushes in progress (hgrpc.max-concurrent-pushes); try again later\n");
        }
        taken = pushSlots;
      } else {
        if (!readSlots.tryAcquire()) {
          return new Refusal(RefusalKind.BUSY, "server busy: more than " + reads
              + " concurrent requests; try again later\n");
        }
        taken = readSlots;
      }
      return null;
    }

    /** Gives back the slot taken, if any; idempotent. */
    void release() {
      if (taken != null) {
        taken.release();
        taken = null;
      }
    }
  }
}
