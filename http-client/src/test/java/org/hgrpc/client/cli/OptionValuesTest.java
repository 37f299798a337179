package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptionValuesTest {
  @Test
  void argumentValues() {
    Map<String, Object> args = ArgumentValues.parse(List.of("namespace=bookmarks", "publiconly=cbor:True",
        "nodes=cbor:[b'\\x00']", "empty=", "eq=a=b"));
    assertEquals(ByteString.latin1("bookmarks"), args.get("namespace"));
    assertEquals(true, args.get("publiconly"));
    assertEquals(List.of(ByteString.fromHex("00")), args.get("nodes"));
    assertEquals(ByteString.EMPTY, args.get("empty"));
    assertEquals(ByteString.latin1("a=b"), args.get("eq"));
    assertThrows(IllegalArgumentException.class, () -> ArgumentValues.parse(List.of("=x")));
    assertThrows(IllegalArgumentException.class, () -> ArgumentValues.parse(List.of("k=cbor:{")));
  }

  @Test
  void durations() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofSeconds(30), c.convert("30"));
    assertEquals(Duration.ofSeconds(5), c.convert("5s"));
    assertEquals(Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("0"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
  }
}
