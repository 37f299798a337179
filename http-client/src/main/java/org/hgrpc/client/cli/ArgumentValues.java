package org.hgrpc.client.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.literal.PythonLiteral;

/**
 * Command arguments written as {@code key=value} on the command line. A value is bytes: the
 * UTF-8 of the text after {@code =}, unless it begins with {@code cbor:}, in which case the
 * rest is a Python literal as in the human frame syntax ({@code publiconly=cbor:True},
 * {@code nodes=cbor:[b'\x00\x01...']}).
 */
final class ArgumentValues {
  private ArgumentValues() {}

  /** The prefix of a literal value. */
  static final String CBOR_PREFIX = "cbor:";

  /** The help text of the syntax. */
  static final String SYNTAX = "KEY=VALUE: VALUE is sent as its UTF-8 bytes; cbor:LITERAL sends a Python literal "
      + "(True, 42, b'\\x00', [b'a'], {b'k': b'v'}) encoded as CBOR.";

  /**
   * Parses {@code key=value} pairs in order; a repeated key keeps its last value.
   *
   * @throws IllegalArgumentException naming the pair that is malformed
   */
  static Map<String, Object> parse(List<String> pairs) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + pair + "' is not KEY=VALUE");
      }
      args.put(pair.substring(0, eq), value(pair.substring(eq + 1)));
    }
    return args;
  }

  private static Object value(String text) {
    if (text.startsWith(CBOR_PREFIX)) {
      return PythonLiteral.parse(text.substring(CBOR_PREFIX.length()));
    }
    return ByteString.utf8(text);
  }
}
