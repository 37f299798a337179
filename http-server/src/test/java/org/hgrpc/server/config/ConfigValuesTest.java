package org.hgrpc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ConfigValues}: Mercurial's value conversions, without a configuration around them. */
class ConfigValuesTest {

  @Test
  void parseBoolKnowsMercurialsWordsInAnyCase() {
    for (String t : new String[] {"1", "yes", "TRUE", "On", "always"}) {
      assertEquals(Optional.of(true), ConfigValues.parseBool(t), t);
    }
    for (String f : new String[] {"0", "No", "false", "OFF", "never"}) {
      assertEquals(Optional.of(false), ConfigValues.parseBool(f), f);
    }
    assertEquals(Optional.empty(), ConfigValues.parseBool(""));
    assertEquals(Optional.empty(), ConfigValues.parseBool("maybe"));
    assertEquals(Optional.empty(), ConfigValues.parseBool(" yes"), "parsebool does not strip");
  }

  @Test
  void parseIntTakesSignedDecimalsInRange() {
    assertEquals(Optional.of(42), ConfigValues.parseInt(" 42\t"));
    assertEquals(Optional.of(-7), ConfigValues.parseInt("-7"));
    assertEquals(Optional.of(7), ConfigValues.parseInt("+7"));
    assertEquals(Optional.of(Integer.MAX_VALUE), ConfigValues.parseInt("2147483647"));
    assertEquals(Optional.empty(), ConfigValues.parseInt("2147483648"));
    assertEquals(Optional.empty(), ConfigValues.parseInt("0x10"));
    assertEquals(Optional.empty(), ConfigValues.parseInt("1.5"));
    assertEquals(Optional.empty(), ConfigValues.parseInt(""));
  }

  @Test
  void parseBytesTakesMercurialsUnits() {
    assertEquals(Optional.of(10L << 20), ConfigValues.parseBytes("10MB"));
    assertEquals(Optional.of(1L << 30), ConfigValues.parseBytes("1 GB"));
    assertEquals(Optional.of(512L << 10), ConfigValues.parseBytes("512k"));
    assertEquals(Optional.of(2252L), ConfigValues.parseBytes("2.2kb"), "the product is truncated");
    assertEquals(Optional.of(123L), ConfigValues.parseBytes("123"));
    assertEquals(Optional.of(5L), ConfigValues.parseBytes("5b"));
    assertEquals(Optional.empty(), ConfigValues.parseBytes("12 parsecs"));
    assertEquals(Optional.empty(), ConfigValues.parseBytes("1.5"), "a fraction needs a unit");
    assertEquals(Optional.empty(), ConfigValues.parseBytes("99999999999g"), "beyond the range of long");
  }

  @Test
  void asciiStripRemovesOnlyPythonsBytesWhitespace() {
    assertEquals("a b", ConfigValues.asciiStrip(" \t\r\n\u000b\fa b\f "));
    assertEquals("\u00a0x\u00a0", ConfigValues.asciiStrip("\u00a0x\u00a0"), "no-break space is not ASCII whitespace");
    assertEquals(" x", ConfigValues.asciiRstrip(" x \n"));
  }
}
