package org.hgrpc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void defaultsAreTheDocumentedValues() {
    Limits d = Limits.DEFAULTS;
    assertEquals(1 << 20, d.maxFramePayload());
    assertEquals(8192, d.maxFramesPerRequest());
    assertEquals(64, d.maxCborDepth());
    assertEquals(1 << 20, d.maxArgumentBytes());
    assertEquals(64L << 20, d.maxCommandDataBytes());
    assertEquals(1024, d.maxRequestsInFlight());
  }

  @Test
  void unlimitedAllowsTheProtocolMaximumFrame() {
    assertEquals(0xffffff, Limits.PROTOCOL_MAX_FRAME_PAYLOAD);
    assertEquals(0xffffff, Limits.UNLIMITED.maxFramePayload());
    assertEquals(Integer.MAX_VALUE, Limits.UNLIMITED.maxFramesPerRequest());
    assertEquals(Long.MAX_VALUE, Limits.UNLIMITED.maxCommandDataBytes());
  }

  @Test
  void eachWitherChangesOnlyItsField() {
    Limits d = Limits.DEFAULTS;
    assertEquals(new Limits(5, 8192, 64, 1 << 20, 64L << 20, 1024), d.withMaxFramePayload(5));
    assertEquals(new Limits(1 << 20, 6, 64, 1 << 20, 64L << 20, 1024), d.withMaxFramesPerRequest(6));
    assertEquals(new Limits(1 << 20, 8192, 7, 1 << 20, 64L << 20, 1024), d.withMaxCborDepth(7));
    assertEquals(new Limits(1 << 20, 8192, 64, 8, 64L << 20, 1024), d.withMaxArgumentBytes(8));
    assertEquals(new Limits(1 << 20, 8192, 64, 1 << 20, 9L, 1024), d.withMaxCommandDataBytes(9));
    assertEquals(new Limits(1 << 20, 8192, 64, 1 << 20, 64L << 20, 10), d.withMaxRequestsInFlight(10));
    assertEquals(new Limits(1 << 20, 8192, 64, 1 << 20, 64L << 20, 1024, 11), d.withMaxDecodedPayload(11));
    assertEquals(Limits.DEFAULT_MAX_DECODED_PAYLOAD, d.maxDecodedPayload());
    assertThrows(IllegalArgumentException.class, () -> d.withMaxDecodedPayload(-1));
  }

  @Test
  void zeroIsAllowedForByteBounds() {
    Limits z = new Limits(0, 1, 1, 0, 0, 1);
    assertEquals(0, z.maxFramePayload());
    assertEquals(0, z.maxArgumentBytes());
    assertEquals(0L, z.maxCommandDataBytes());
  }

  @Test
  void frameLimitBeyondTheHeaderWidthIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Limits.DEFAULTS.withMaxFramePayload(1 << 24));
    assertEquals("maxFramePayload must be 0..16777215", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxFramePayload(-1));
  }

  @Test
  void nonPositiveCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxFramesPerRequest(0));
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxCborDepth(0));
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxRequestsInFlight(0));
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxArgumentBytes(-1));
    assertThrows(IllegalArgumentException.class, () -> Limits.DEFAULTS.withMaxCommandDataBytes(-1));
  }
}
