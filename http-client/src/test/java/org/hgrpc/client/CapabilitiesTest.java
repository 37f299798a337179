package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void readsTheReferenceServersCapabilities() {
    Capabilities caps = Capabilities.parse(Wire.defaultCapabilities());
    assertEquals(Set.of("pull"), caps.command("customreadonly").orElseThrow().permissions());
    assertEquals(Permission.PUSH, caps.command("customreadwrite").orElseThrow().permission());
    assertEquals(Map.of(ByteString.latin1("nodes"), List.of(ByteString.latin1("deadbeef"))),
        caps.command("known").orElseThrow().args());
    assertEquals(List.of("generaldelta", "revlogv1"), caps.rawRepoFormats());
    assertEquals(List.of("zlib"), caps.compression());
  }

  @Test
  void malformedCapabilitiesAreProtocolErrors() {
    assertThrows(ProtocolErrorException.class, () -> Capabilities.parse(List.of()));
    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> Capabilities.parse(
        Map.of(ByteString.latin1("commands"), Map.of(ByteString.latin1("x"), Map.of(ByteString.latin1("permissions"),
            ByteString.latin1("push"))))));
    assertEquals("permissions of command x: expected a list, got byte string b'push'", e.getMessage());
  }

  @Test
  void aMapWithoutCommandsHasNone() {
    assertEquals(Map.of(), Capabilities.parse(Map.of()).commands());
    assertEquals(List.of(), Capabilities.parse(Map.of()).framingMediaTypes());
  }
}
