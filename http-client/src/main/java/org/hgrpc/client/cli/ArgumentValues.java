package org.hgrpc.client.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.literal.PythonLiteral;

/**
 * Command arguments written as {@code key=value} on the command line.
 *
 * <p>A value beginning with {@code cbor:} is a Python literal as in the human frame syntax
 * ({@code publiconly=cbor:True}, {@code nodes=cbor:[b'\x00\x01...']}) and is sent as written,
 * whatever the server says. Any other value is converted by the type the server's capabilities
 * give the argument ({@link #typed}): a boolean from {@code true/false/yes/no/on/off/1/0}, an
 * integer from decimal, a list or set from comma-separated elements (40 hex digits are a node's
 * 20 bytes, as {@code call} prints nodes), bytes from the text. Without capabilities
 * ({@link #parse}: {@code frames encode}, {@code call --untyped}) the value is its UTF-8 bytes.
 */
final class ArgumentValues {
  private ArgumentValues() {}

  /** The prefix of a literal value. */
  static final String CBOR_PREFIX = "cbor:";

  /** The help text of the untyped syntax. */
  static final String SYNTAX = "KEY=VALUE: VALUE is sent as its UTF-8 bytes; cbor:LITERAL sends a Python literal "
      + "(True, 42, b'\\x00', [b'a'], {b'k': b'v'}) encoded as CBOR.";

  /** The help text of the typed syntax. */
  static final String TYPED_SYNTAX = "KEY=VALUE, VALUE converted by the type the server's capabilities give KEY: "
      + "bool: true, false, yes, no, on, off, 1, 0; int: decimal; list or set: comma-separated elements, "
      + "40 hex digits being a node (as call prints them, a printed JSON array too); bytes: the text's UTF-8. "
      + "KEY=cbor:LITERAL sends a Python literal (True, 42, b'\\x00', [b'a'], {b'k': b'v'}) as written.";

  /** One {@code key=value} as written. */
  record Pair(String name, String text) {
    boolean literal() {
      return text.startsWith(CBOR_PREFIX);
    }

    Object literalValue() {
      return PythonLiteral.parse(text.substring(CBOR_PREFIX.length()));
    }
  }

  /**
   * Splits {@code key=value} pairs at their first {@code =}.
   *
   * @throws IllegalArgumentException naming the pair that is malformed
   */
  static List<Pair> split(List<String> pairs) {
    List<Pair> out = new ArrayList<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + pair + "' is not KEY=VALUE");
      }
      out.add(new Pair(pair.substring(0, eq), pair.substring(eq + 1)));
    }
    return out;
  }

  /**
   * Untyped: each value is its UTF-8 bytes, or its {@code cbor:} literal. A repeated key keeps
   * its last value.
   *
   * @throws IllegalArgumentException naming the pair that is malformed
   */
  static Map<String, Object> parse(List<String> pairs) {
    return untyped(split(pairs));
  }

  /** {@link #parse} of pairs already split. */
  static Map<String, Object> untyped(List<Pair> pairs) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (Pair p : pairs) {
      args.put(p.name(), p.literal() ? p.literalValue() : ByteString.utf8(p.text()));
    }
    return args;
  }

  /**
   * Typed by {@code advertised}, the arguments the server's capabilities give {@code command},
   * by name. A name the command does not take, a value its type does not accept and a missing
   * required argument are refused. A repeated key keeps its last value.
   *
   * @throws IllegalArgumentException naming the argument, the value, and what is accepted
   */
  static Map<String, Object> typed(List<Pair> pairs, String command, Map<String, AdvertisedArgument> advertised) {
    Map<String, Object> args = new LinkedHashMap<>();
    for (Pair p : pairs) {
      AdvertisedArgument arg = advertised.get(p.name());
      if (arg == null) {
        throw new IllegalArgumentException(advertised.isEmpty()
            ? command + " takes no arguments, not '" + p.name() + "'"
            : command + " has no argument '" + p.name() + "'; its arguments: " + describe(advertised));
      }
      args.put(p.name(), p.literal() ? p.literalValue() : arg.convert(command, p.text()));
    }
    List<String> missing = new ArrayList<>();
    advertised.values().stream().filter(a -> a.required() && !args.containsKey(a.name()))
        .forEach(a -> missing.add(a.name()));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(command + " needs " + String.join(", ", missing) + "; its arguments: "
          + describe(advertised));
    }
    return args;
  }

  /** {@code name (type), ...}, e.g. {@code nodes (list), publiconly (bool)}. */
  static String describe(Map<String, AdvertisedArgument> advertised) {
    List<String> parts = new ArrayList<>();
    advertised.values().forEach(a -> parts.add(a.name() + " (" + a.describe() + (a.required() ? ", required" : "")
        + ")"));
    return String.join(", ", parts);
  }

  /** The arguments of a capabilities entry ({@code CommandInfo.args()}), by name, in the server's order. */
  static Map<String, AdvertisedArgument> advertised(Map<ByteString, Object> args) {
    Map<String, AdvertisedArgument> out = new LinkedHashMap<>();
    args.forEach((k, v) -> out.put(k.utf8(), AdvertisedArgument.of(k.utf8(), v)));
    return out;
  }
}
