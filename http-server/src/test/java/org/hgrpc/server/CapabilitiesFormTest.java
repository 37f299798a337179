package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.Test;

/** The capabilities map of each API: 4.7's examples under 0001, 4.8's typed form under 0003. */
class CapabilitiesFormTest {
  private final AtomicBoolean advertised = new AtomicBoolean(true);
  private final CommandRegistry registry = CommandRegistry.builder()
      .add(Command.of("both", Permission.PULL, List.of(
          ArgumentSpec.optional("flag", false).withDefault(false),
          ArgumentSpec.optional("fields", Set.of(b("a"))).withDefault(Set.of()).withValidValues(List.of(b("a"), b("b"))),
          ArgumentSpec.required("key", b("k"))), call -> CommandResponse.empty()))
      .add(Command.of("newonly", Permission.PULL, List.of(ArgumentSpec.optional("filter", Map.of()).withType("list")),
          call -> CommandResponse.empty())
          .withApis(EnumSet.of(ExchangeApi.HTTP_V2_0003))
          .withCapabilityExtras(Map.of(b("recommendedbatchsize"), 5L))
          .withAdvertised(advertised::get))
      .capability(b("extra"), b("value"))
      .build();

  @Test
  void api0001KeepsItsExamplesAndOnlyItsCommands() throws Exception {
    Map<Object, Object> caps = CapabilitiesCommand.describe(registry, ExchangeApi.HTTP_V2_0001);
    Map<?, ?> commands = (Map<?, ?>) caps.get(b("commands"));
    assertEquals(Set.of(b("both"), b("capabilities")), commands.keySet());
    Map<Object, Object> args = new LinkedHashMap<>();
    args.put(b("flag"), false);
    args.put(b("fields"), Set.of(b("a")));
    args.put(b("key"), b("k"));
    assertEquals(args, ((Map<?, ?>) commands.get(b("both"))).get(b("args")));
    assertEquals(List.of(Map.of(b("name"), b("zlib"))), caps.get(b("compression")));
    assertEquals(List.of(b("application/mercurial-exp-framing-0005")), caps.get(b("framingmediatypes")));
    assertEquals(b("value"), caps.get(b("extra")));
  }

  @Test
  void api0003DescribesTypesDefaultsValidValuesAndExtras() throws Exception {
    Map<Object, Object> caps = CapabilitiesCommand.describe(registry, ExchangeApi.HTTP_V2_0003);
    Map<?, ?> commands = (Map<?, ?>) caps.get(b("commands"));
    assertEquals(Set.of(b("both"), b("capabilities"), b("newonly")), commands.keySet());
    Map<?, ?> args = (Map<?, ?>) ((Map<?, ?>) commands.get(b("both"))).get(b("args"));
    assertEquals(Map.of(b("type"), b("bool"), b("required"), false, b("default"), false), args.get(b("flag")));
    assertEquals(Map.of(b("type"), b("set"), b("required"), false, b("default"), Set.of(),
        b("validvalues"), Set.of(b("a"), b("b"))), args.get(b("fields")));
    assertEquals(Map.of(b("type"), b("bytes"), b("required"), true), args.get(b("key")));
    Map<?, ?> newonly = (Map<?, ?>) commands.get(b("newonly"));
    assertEquals(5L, newonly.get(b("recommendedbatchsize")));
    Map<Object, Object> filter = new LinkedHashMap<>();
    filter.put(b("type"), b("list"));
    filter.put(b("required"), false);
    filter.put(b("default"), null);
    assertEquals(filter, ((Map<?, ?>) newonly.get(b("args"))).get(b("filter")));
    assertFalse(caps.containsKey(b("compression")));
    assertEquals(List.of(b("application/mercurial-exp-framing-0006")), caps.get(b("framingmediatypes")));
  }

  @Test
  void aCommandNotAdvertisedNowIsLeftOutButStillServed() throws Exception {
    advertised.set(false);
    Map<?, ?> commands = (Map<?, ?>) CapabilitiesCommand.describe(registry, ExchangeApi.HTTP_V2_0003).get(b("commands"));
    assertFalse(commands.containsKey(b("newonly")));
    assertTrue(registry.get(ExchangeApi.HTTP_V2_0003, b("newonly")).isPresent());
    assertTrue(registry.get(ExchangeApi.HTTP_V2_0001, b("newonly")).isEmpty());
  }

  @Test
  void argumentSpecsRefuseUnknownTypesAndDefaultsOfRequiredArguments() {
    assertThrows(IllegalArgumentException.class, () -> ArgumentSpec.optional("x", 1L).withType("float"));
    assertThrows(IllegalArgumentException.class, () -> ArgumentSpec.required("x", 1L).withDefault(2L));
    assertThrows(IllegalStateException.class, () -> ArgumentSpec.optional("x", null).effectiveType());
    assertEquals("int", ArgumentSpec.optional("x", 1L).effectiveType());
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
