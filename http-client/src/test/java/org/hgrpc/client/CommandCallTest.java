package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.junit.jupiter.api.Test;

class CommandCallTest {
  @Test
  void valuesAreConvertedToWhatIsSent() {
    CommandCall c = CommandCall.of("x", Map.of("s", "héllo", "n", Node.NULL, "a", new byte[] {1, 2}, "i", 7,
        "l", List.of("a", 1L), "m", Map.of("k", "v"), "set", new LinkedHashSet<>(List.of("q"))));
    Map<String, Object> a = c.args();
    assertEquals(ByteString.utf8("héllo"), a.get("s"));
    assertEquals(Node.NULL.bytes(), a.get("n"));
    assertEquals(ByteString.copyOf(new byte[] {1, 2}), a.get("a"));
    assertEquals(7L, a.get("i"));
    assertEquals(List.of(ByteString.latin1("a"), 1L), a.get("l"));
    assertEquals(Map.of(ByteString.latin1("k"), ByteString.latin1("v")), a.get("m"));
    assertEquals(Set.of(ByteString.latin1("q")), a.get("set"));
    assertEquals(ByteString.latin1("s"), c.wireArgs().keySet().stream().filter(k -> k.utf8().equals("s"))
        .findFirst().orElseThrow());
  }

  @Test
  void unsupportedValuesAreRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CommandCall.of("x").withArg("d", 1.5));
    assertTrue(e.getMessage().startsWith("cannot send a java.lang.Double"), e.getMessage());
  }

  @Test
  void isImmutable() {
    CommandCall base = CommandCall.of("heads");
    CommandCall withArg = base.withArg("publiconly", true);
    CommandCall pushed = withArg.withPermission(Permission.PUSH);
    assertEquals(Map.of(), base.args());
    assertEquals(Optional.empty(), withArg.permission());
    assertEquals(Optional.of(Permission.PUSH), pushed.permission());
    assertEquals(Map.of("publiconly", true), pushed.args());
    assertThrows(UnsupportedOperationException.class, () -> pushed.args().put("x", 1));
    assertEquals(withArg, CommandCall.of("heads", Map.of("publiconly", true)));
  }

  @Test
  void commandNamesMustFitInAUrl() {
    assertThrows(IllegalArgumentException.class, () -> CommandCall.of(""));
    assertThrows(IllegalArgumentException.class, () -> CommandCall.of("a/b"));
  }

  @Test
  void permissions() {
    assertEquals("ro", Permission.PULL.urlPart());
    assertEquals("rw", Permission.PUSH.urlPart());
    assertEquals(Optional.of(Permission.PUSH), Permission.fromWireName("push"));
    assertEquals(Optional.empty(), Permission.fromWireName("admin"));
  }
}
