package org.hgrpc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PermissionTest {
  @Test
  void wireNamesAndUrlPartsAreMercurials() {
    assertEquals("pull", Permission.PULL.wireName());
    assertEquals("push", Permission.PUSH.wireName());
    assertEquals("ro", Permission.PULL.urlPart());
    assertEquals("rw", Permission.PUSH.urlPart());
  }

  @Test
  void fromWireNameKnowsOnlyTheTwo() {
    assertEquals(Optional.of(Permission.PULL), Permission.fromWireName("pull"));
    assertEquals(Optional.of(Permission.PUSH), Permission.fromWireName("push"));
    assertEquals(Optional.empty(), Permission.fromWireName("PUSH"));
    assertEquals(Optional.empty(), Permission.fromWireName("admin"));
  }
}
