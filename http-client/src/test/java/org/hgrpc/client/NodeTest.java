package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class NodeTest {
  private static final String HEX = "ddf943f5d05b0fa97ff16fa5f809e64d343f21c6";

  @Test
  void hexRoundTrip() {
    Node n = Node.fromHex(HEX.toUpperCase());
    assertEquals(HEX, n.hex());
    assertEquals(HEX, n.toString());
    assertEquals("ddf943f5d05b", n.shortHex());
    assertEquals(ByteString.fromHex(HEX), n.bytes());
    assertEquals(n, Node.of(ByteString.fromHex(HEX)));
  }

  @Test
  void theNullNode() {
    assertTrue(Node.NULL.isNull());
    assertEquals("0".repeat(40), Node.NULL.hex());
    assertFalse(Node.fromHex(HEX).isNull());
  }

  @Test
  void ordersByBytes() {
    assertTrue(Node.NULL.compareTo(Node.fromHex(HEX)) < 0);
  }

  @Test
  void refusesOtherLengthsAndNonHex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Node.of(ByteString.latin1("abc")));
    assertEquals("a node has 20 bytes, not 3: b'abc'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Node.fromHex("abcd"));
    assertThrows(IllegalArgumentException.class, () -> Node.fromHex("z".repeat(40)));
  }
}
