package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class ServerMessagesTest {
  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  @Test
  void formatsAsTheProtocolDefines() {
    assertEquals("a x b y", ServerMessages.format(b("a %s b %s"), List.of(b("x"), b("y"))));
    assertEquals("100% %d", ServerMessages.format(b("100%% %d"), List.of()));
    assertEquals("missing %s", ServerMessages.format(b("missing %s"), List.of()));
    assertEquals("n=5", ServerMessages.format(b("n=%s"), List.of(5L)));
    assertEquals("trailing %", ServerMessages.format(b("trailing %"), List.of()));
  }

  @Test
  void joinsErrorFrameAtoms() {
    Object atoms = List.of(Map.of(b("msg"), b("abort: %s\n"), b("args"), List.of(b("x"))), Map.of(b("msg"), b("more")));
    assertEquals("abort: x\nmore", ServerMessages.formatAtoms(atoms));
    assertEquals("raw atom", ServerMessages.formatAtoms(List.of(b("raw atom")))); // not a map: shown as is
    assertEquals("plain", ServerMessages.formatAtoms(b("plain")));
  }
}
