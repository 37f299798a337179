package org.hgrpc.core.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class CanonicalOrderTest {

  private static ByteString b(String latin1) {
    return ByteString.latin1(latin1);
  }

  @Test
  void canonicalOrderSortsByTypeNameThenValue() {
    List<Object> values = new ArrayList<>(Arrays.asList(
        "str", Set.of(1L), List.of(), 1L, new BigInteger("18446744073709551616"), -1L,
        new BigInteger("-18446744073709551616"), Map.of(), b("a"), b(""), true, false, null));
    values.sort(CanonicalOrder.COMPARATOR);
    assertEquals(Arrays.asList(
        null, false, true, b(""), b("a"), Map.of(), new BigInteger("-18446744073709551616"),
        -1L, 1L, new BigInteger("18446744073709551616"), List.of(), Set.of(1L), "str"), values);
  }

  @Test
  void canonicalOrderWithinTypes() {
    assertTrue(CanonicalOrder.COMPARATOR.compare(b("\u007f"), b("\u0080")) < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(b("a"), b("aa")) < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(Long.MAX_VALUE, new BigInteger("9223372036854775808")) < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(new BigInteger("-9223372036854775809"), Long.MIN_VALUE) < 0);
    assertEquals(0, CanonicalOrder.COMPARATOR.compare(5L, 5L));
    assertEquals(0, CanonicalOrder.COMPARATOR.compare(null, null));
    // By code point, not UTF-16 unit: U+FFFF sorts before U+1F600.
    assertTrue(CanonicalOrder.COMPARATOR.compare("\uffff", "\uD83D\uDE00") < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(List.of(1L, 2L), List.of(1L, 3L)) < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(List.of(1L), List.of(1L, 0L)) < 0);
    assertTrue(CanonicalOrder.COMPARATOR.compare(List.of(true), List.of(2L)) < 0);
  }

  @Test
  void canonicalOrderRejectsWhatPythonCannotOrder() {
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalOrder.COMPARATOR.compare(Map.of(1L, 2L), Map.of(1L, 3L)));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalOrder.COMPARATOR.compare(Set.of(1L), Set.of(2L)));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalOrder.COMPARATOR.compare(List.of(1L), List.of(b("a"))));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalOrder.COMPARATOR.compare(1, 2));
    assertEquals(0, CanonicalOrder.COMPARATOR.compare(Map.of(1L, 2L), Map.of(1L, 2L)));
  }
}
