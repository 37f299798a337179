package org.hgrpc.client.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads a duration option: {@code 30} or {@code 30s} seconds, {@code 500ms}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(v));
      }
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("a duration must be positive: '" + value + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (30, 30s, 500ms, 2m)");
    }
  }
}
