package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void byteStringsAreTextWhenPrintableElseHex() {
    assertEquals("\"heads\"", Json.render(ByteString.latin1("heads"), false));
    assertEquals("\"h\u00e9\"", Json.render(ByteString.utf8("h\u00e9"), false));
    assertEquals("\"line\\nnext\\ttab\"", Json.render(ByteString.latin1("line\nnext\ttab"), false));
    assertEquals("\"00ff\"", Json.render(ByteString.fromHex("00ff"), false));
    assertEquals("\"c3\"", Json.render(ByteString.fromHex("c3"), false)); // truncated UTF-8
    assertEquals("\"" + "00".repeat(20) + "\"", Json.render(ByteString.wrap(new byte[20]), false));
    assertEquals("\"\"", Json.render(ByteString.EMPTY, false));
  }

  @Test
  void otherValues() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("k\"q"), List.of(1L, true, BigInteger.TWO.pow(64)));
    m.put(5L, null);
    m.put(ByteString.fromHex("01"), new LinkedHashSet<>(List.of(ByteString.latin1("s"))));
    assertEquals("{\"k\\\"q\":[1,true,18446744073709551616],\"5\":null,\"01\":[\"s\"]}", Json.render(m, false));
    Map<Object, Object> nested = new LinkedHashMap<>();
    nested.put(ByteString.latin1("a"), List.of(1L));
    nested.put(ByteString.latin1("b"), Map.of());
    assertEquals("{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}", Json.render(nested, true));
    assertEquals("[]", Json.render(List.of(), true));
  }

  @Test
  void controlCharactersAreEscapedInText() {
    assertEquals("\"a\\\\b\"", Json.render("a\\b", false));
    assertEquals("\"\\u007f\"", Json.render("\u007f", false));
  }
}
