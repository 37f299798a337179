package org.hgrpc.core.frame;

import org.hgrpc.core.Framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrameFlagsTest {

  @Test
  void namedFlagsLowestBitFirst() {
    assertEquals("new|more|have-data", FrameFlags.humanFlags(FrameFlags.FLAGS_COMMAND_REQUEST, 0x0d));
    assertEquals("stream-begin|stream-end|encoded", FrameFlags.humanFlags(FrameFlags.STREAM_FLAGS, 0x07));
    assertEquals("continuation|eos", FrameFlags.humanFlags(FrameFlags.FLAGS_COMMAND_DATA, 0x03));
    assertEquals("eos", FrameFlags.humanFlags(FrameFlags.FLAGS_COMMAND_RESPONSE, 0x02));
  }

  @Test
  void zeroIsEmpty() {
    assertEquals("", FrameFlags.humanFlags(FrameFlags.STREAM_FLAGS, 0));
  }

  @Test
  void unknownBitsShowAsHex() {
    assertEquals("<unknown 0x08>", FrameFlags.humanFlags(FrameFlags.FLAGS_COMMAND_DATA, 0x08));
    assertEquals("stream-begin|<unknown 0x08>|<unknown 0x80>", FrameFlags.humanFlags(FrameFlags.STREAM_FLAGS, 0x89));
    assertEquals("<unknown 0x01>|<unknown 0x02>|<unknown 0x04>|<unknown 0x08>",
        FrameFlags.humanFlags(Map.of(), 0x0f));
    assertEquals("<unknown 0x100>", FrameFlags.humanFlags(Map.of(), 0x100));
  }

  @Test
  void highestIntBitDoesNotLoopForever() {
    assertEquals("<unknown 0x40000000>", FrameFlags.humanFlags(Map.of(), 0x40000000));
  }

  @Test
  void tablesHaveTheReferenceValues() {
    assertEquals(Map.of("stream-begin", 1, "stream-end", 2, "encoded", 4), FrameFlags.STREAM_FLAGS);
    assertEquals(Map.of("new", 1, "continuation", 2, "more", 4, "have-data", 8), FrameFlags.FLAGS_COMMAND_REQUEST);
    assertEquals(Map.of("continuation", 1, "eos", 2), FrameFlags.FLAGS_COMMAND_DATA);
    assertEquals(Map.of("continuation", 1, "eos", 2), FrameFlags.FLAGS_COMMAND_RESPONSE);
    assertEquals(List.of("new", "continuation", "more", "have-data"),
        List.copyOf(FrameFlags.FLAGS_COMMAND_REQUEST.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> FrameFlags.STREAM_FLAGS.put("x", 8));
  }

  @Test
  void forTypeMapsEachType() {
    for (Framing framing : Framing.values()) {
      assertEquals(Optional.of(FrameFlags.FLAGS_COMMAND_REQUEST), FrameFlags.forType(framing, 1));
      assertEquals(Optional.of(FrameFlags.FLAGS_COMMAND_DATA), FrameFlags.forType(framing, 2));
      assertEquals(Optional.of(FrameFlags.FLAGS_COMMAND_RESPONSE), FrameFlags.forType(framing, 3));
      for (int t : new int[] {5, 6, 7}) {
        assertEquals(Optional.of(Map.of()), FrameFlags.forType(framing, t), "type " + t);
      }
      for (int t : new int[] {0, 4, 15, 16, -1}) {
        assertEquals(Optional.empty(), FrameFlags.forType(framing, t), "type " + t);
      }
    }
    assertEquals(Optional.of(Map.of()), FrameFlags.forType(Framing.V0005, 8));
    assertEquals(Optional.empty(), FrameFlags.forType(Framing.V0005, 9));
    assertEquals(Optional.of(Map.of("continuation", 1, "eos", 2)), FrameFlags.forType(Framing.V0006, 8));
    assertEquals(Optional.of(Map.of("continuation", 1, "eos", 2)), FrameFlags.forType(Framing.V0006, 9));
  }
}
