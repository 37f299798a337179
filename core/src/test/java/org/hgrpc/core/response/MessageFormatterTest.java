package org.hgrpc.core.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class MessageFormatterTest {
  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  @Test
  void fillsPlaceholdersAsClientsShowThem() {
    assertEquals("a x b y", MessageFormatter.format(b("a %s b %s"), List.of(b("x"), b("y"))));
    assertEquals("100% %d", MessageFormatter.format(b("100%% %d"), List.of()));
    assertEquals("missing %s", MessageFormatter.format(b("missing %s"), List.of()));
    assertEquals("n=5", MessageFormatter.format(b("n=%s"), List.of(5L)));
    assertEquals("trailing %", MessageFormatter.format(b("trailing %"), List.of()));
    assertEquals("none=null", MessageFormatter.format(b("none=%s"), Arrays.asList((Object) null)));
    assertEquals("h\u00e9", MessageFormatter.format(b("h%s"), List.of(b("\u00e9"))));
  }

  @Test
  void joinsErrorFrameAtoms() {
    Object atoms = List.of(Map.of(b("msg"), b("abort: %s\n"), b("args"), List.of(b("x"))), Map.of(b("msg"), b("more")));
    assertEquals("abort: x\nmore", MessageFormatter.formatAtoms(atoms));
    assertEquals("raw atom", MessageFormatter.formatAtoms(List.of(b("raw atom")))); // not a map: shown as is
    assertEquals("plain", MessageFormatter.formatAtoms(b("plain")));
    assertEquals("{1=2}", MessageFormatter.formatAtoms(List.of(Map.of(1L, 2L))));
    assertEquals("null", MessageFormatter.formatAtoms(null));
  }

  @Test
  void describesAValueBriefly() {
    assertEquals("byte string b'abc'", MessageFormatter.describe(b("abc")));
    assertEquals("null null", MessageFormatter.describe(null));
    assertEquals("Long 7", MessageFormatter.describe(7L));
    assertEquals("list [1]", MessageFormatter.describe(List.of(1L)));
    String longOne = MessageFormatter.describe(b("x".repeat(500)));
    assertEquals("byte string b'" + "x".repeat(98) + "...", longOne);
  }
}
