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
  void theOldFormsExampleValuesGiveTheArgumentsTypes() {
    Capabilities caps = Capabilities.parse(Wire.defaultCapabilities());
    Capabilities.Argument nodes = caps.command("known").orElseThrow().arguments().get("nodes");
    assertEquals(new Capabilities.Argument("nodes", "list", null, false, Set.of(),
        List.of(ByteString.latin1("deadbeef"))), nodes);
    assertEquals("bool", caps.command("heads").orElseThrow().arguments().get("publiconly").type());
    assertEquals("bytes", caps.command("listkeys").orElseThrow().arguments().get("namespace").type());
    assertEquals(null, caps.command("heads").orElseThrow().recommendedBatchSize());
  }

  @Test
  void theNewFormsArgumentMapsAreRead() {
    Map<Object, Object> spec = Map.of(ByteString.latin1("type"), ByteString.latin1("set"),
        ByteString.latin1("required"), false, ByteString.latin1("default"), List.of(),
        ByteString.latin1("validvalues"), Set.of(ByteString.latin1("parents")));
    Capabilities caps = Capabilities.parse(Map.of(ByteString.latin1("commands"), Map.of(ByteString.latin1("c"),
        Map.of(ByteString.latin1("args"), Map.of(ByteString.latin1("fields"), spec),
            ByteString.latin1("permissions"), List.of(ByteString.latin1("pull")),
            ByteString.latin1("recommendedbatchsize"), 100L))));

    Capabilities.CommandInfo c = caps.command("c").orElseThrow();
    assertEquals(new Capabilities.Argument("fields", "set", List.of(), false, Set.of(ByteString.latin1("parents")),
        null), c.arguments().get("fields"));
    assertEquals(spec, c.args().get(ByteString.latin1("fields")));
    assertEquals(100L, c.recommendedBatchSize());
  }

  @Test
  void malformedCapabilitiesAreProtocolErrors() {
    assertThrows(ProtocolErrorException.class, () -> Capabilities.parse(List.of()));
    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> Capabilities.parse(
        Map.of(ByteString.latin1("commands"), Map.of(ByteString.latin1("x"), Map.of(ByteString.latin1("permissions"),
            ByteString.latin1("push"))))));
    assertEquals("permissions of command x: expected a list, got byte string b'push'", e.getMessage());
    ProtocolErrorException batch = assertThrows(ProtocolErrorException.class, () -> Capabilities.parse(
        Map.of(ByteString.latin1("commands"), Map.of(ByteString.latin1("x"),
            Map.of(ByteString.latin1("recommendedbatchsize"), ByteString.latin1("many"))))));
    assertEquals("capabilities: recommendedbatchsize of command x must be an integer, got byte string b'many'",
        batch.getMessage());
  }

  @Test
  void aMapWithoutCommandsHasNone() {
    assertEquals(Map.of(), Capabilities.parse(Map.of()).commands());
    assertEquals(List.of(), Capabilities.parse(Map.of()).framingMediaTypes());
  }
}
