package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.hgrpc.core.Limits;
import org.junit.jupiter.api.Test;

/** The one wait loop of the client, without HTTP: order, end, failure, timeout, close, interrupt, the budget. */
class PacedQueueTest {
  private final FlowControl flow = new FlowControl(
      new ClientSettings(Duration.ofSeconds(1), Duration.ofMillis(100), null, null, Limits.DEFAULTS, 100));
  private final PacedQueue<String> queue = new PacedQueue<>(flow, new PacedQueue.WaitMessages() {
    @Override
    public String closed() {
      return "closed";
    }

    @Override
    public String interrupted() {
      return "interrupted";
    }

    @Override
    public String timedOut(long millis) {
      return "nothing for " + millis + " ms";
    }
  });

  @Test
  void itemsComeInOrderThenTheEnd() {
    synchronized (flow) {
      queue.offer("a", 10);
      queue.offer("b", 10);
      queue.end();
    }
    assertEquals("a", queue.take());
    assertEquals("b", queue.take());
    assertNull(queue.take());
    assertNull(queue.take());
  }

  @Test
  void aFailureComesAfterTheItemsBeforeIt() {
    TruncatedResponseException cut = new TruncatedResponseException("cut");
    synchronized (flow) {
      queue.offer("a", 10);
      queue.fail(cut);
      queue.fail(new TruncatedResponseException("second")); // the first failure wins
      queue.end(); // and an end after it changes nothing
    }
    assertEquals("a", queue.take());
    assertSame(cut, assertThrows(TruncatedResponseException.class, queue::take));
  }

  @Test
  void theBudgetCountsWhatWaitsForTheConsumer() {
    synchronized (flow) {
      queue.offer("a", 60);
      assertTrue(flow.hasRoom());
      queue.offer("b", 60);
      assertFalse(flow.hasRoom(), "120 of 100 held");
    }
    queue.take();
    synchronized (flow) {
      assertTrue(flow.hasRoom(), "60 of 100 held");
    }
  }

  @Test
  void aWaitWithoutProgressTimesOutAfterTheIdleTimeoutAndAGrace() {
    long start = System.nanoTime();
    HgrpcTimeoutException e = assertThrows(HgrpcTimeoutException.class, queue::take);
    long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertEquals("nothing for 600 ms", e.getMessage());
    assertTrue(waited >= 600, "waited " + waited + " ms");
  }

  @Test
  void closingDropsWhatWaitsAndWhatStillComes() {
    AtomicInteger closedCalls = new AtomicInteger();
    synchronized (flow) {
      queue.offer("a", 150);
      assertFalse(flow.hasRoom());
    }
    queue.close(new CallCancelledException("closed early"), closedCalls::incrementAndGet);
    queue.close(new CallCancelledException("again"), closedCalls::incrementAndGet);
    synchronized (flow) {
      assertTrue(flow.hasRoom(), "what was dropped no longer counts");
      queue.offer("late", 150);
      assertTrue(flow.hasRoom(), "what comes after closing is dropped");
      assertTrue(queue.isFinished(), "an unfinished queue fails when closed");
    }
    assertEquals(1, closedCalls.get());
    assertEquals("closed", assertThrows(CallCancelledException.class, queue::take).getMessage());
  }

  @Test
  void anInterruptedWaitIsACancellationAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertEquals("interrupted", assertThrows(CallCancelledException.class, queue::take).getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
