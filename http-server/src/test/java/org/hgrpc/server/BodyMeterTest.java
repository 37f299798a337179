package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The body's size limit and its minimum rate over a sliding window. */
class BodyMeterTest {
  private long now;

  private BodyMeter meter(long limit, long windowMillis, long minRate) {
    return new BodyMeter(limit, windowMillis, minRate, () -> now);
  }

  private void advanceMillis(long ms) {
    now += ms * 1_000_000;
  }

  @Test
  void moreThanTheLimitFails() throws Exception {
    BodyMeter m = meter(10, 1000, 0);
    m.count(10);
    BodyTooLargeException e = assertThrows(BodyTooLargeException.class, () -> m.count(1));
    assertEquals("request body exceeds maximum size of 10 bytes", e.getMessage());
  }

  @Test
  void aSteadyRateJustOverTheMinimumIsFineForAsLongAsItLasts() throws Exception {
    BodyMeter m = meter(Long.MAX_VALUE, 10_000, 1000);
    for (int i = 0; i < 3600; i++) { // an hour at 1.2 KB/s, a piece every second
      advanceMillis(1000);
      m.count(1200);
    }
    assertEquals(3600L * 1200, m.count());
  }

  @Test
  void aBurstGivesNoCreditForTricklingLater() throws Exception {
    // The average since the start stays far above the minimum for hours; the window's does not.
    BodyMeter m = meter(Long.MAX_VALUE, 10_000, 1000);
    m.count(10 << 20);
    long trickled = 0;
    BodyTooSlowException e = null;
    for (int i = 0; i < 60 && e == null; i++) {
      advanceMillis(1000);
      try {
        m.count(100);
        trickled++;
      } catch (BodyTooSlowException slow) {
        e = slow;
      }
    }
    assertTrue(e != null, "a trickle of 100 B/s after a 10 MiB burst was never refused");
    assertTrue(trickled <= 11, "refused only after " + trickled + " s of trickling");
    assertTrue(e.getMessage().contains("the minimum is 1000 bytes/s (hgrpc.min-body-rate) over any 10000 ms"),
        e.getMessage());
  }

  @Test
  void nothingIsJudgedBeforeAWholeWindow() throws Exception {
    BodyMeter m = meter(Long.MAX_VALUE, 10_000, 1000);
    for (int i = 0; i < 10; i++) {
      advanceMillis(1000);
      m.count(1);
    }
    advanceMillis(700);
    assertThrows(BodyTooSlowException.class, () -> m.count(1));
  }

  @Test
  void zeroTurnsTheRateCheckOff() throws Exception {
    BodyMeter m = meter(Long.MAX_VALUE, 1000, 0);
    for (int i = 0; i < 100; i++) {
      advanceMillis(10_000);
      m.count(1);
    }
    assertEquals(100, m.count());
  }
}
