package org.hgrpc.server.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * One argument a command accepts, and how the {@code capabilities} of each API describe it.
 *
 * <p>API {@code exp-http-v2-0001} (Mercurial 4.7) advertises an example value per argument
 * ({@code publiconly: False}, {@code nodes: [b'deadbeef']}). API {@code exp-http-v2-0003}
 * (Mercurial 4.8) advertises {@code {type, required, default, validvalues}}: the type is one of
 * {@code bytes}, {@code int}, {@code list}, {@code dict}, {@code set} or {@code bool}, the default is given for optional arguments only, the valid values
 * where the argument names members of a fixed set. An argument declared without a type has the
 * type of its example.
 *
 * @param name the argument's name
 * @param example an example value, CBOR-encodable (the 0001 capabilities)
 * @param required whether a request must give it; optional arguments that are absent are
 *     simply not in {@link CommandInvocation#args()}
 * @param type the 4.8 type name, or null to derive it from {@code example}
 * @param defaultValue what the 0003 capabilities say an absent optional argument means
 *     (CBOR-encodable, may be null); the command itself applies it
 * @param validValues the values the argument's members may take, or null for any
 */
public record ArgumentSpec(ByteString name, Object example, boolean required, String type, Object defaultValue,
    Set<ByteString> validValues) {
  /** The argument types of Mercurial 4.8's {@code wireprotocommand}. */
  public static final List<String> TYPES = List.of("bytes", "int", "list", "dict", "set", "bool");

  /**
   * Requires a name, a known type (if given), and no default for a required argument.
   *
   * @throws IllegalArgumentException for an unknown type or a required argument with a default
   */
  public ArgumentSpec {
    Objects.requireNonNull(name, "name");
    if (type != null && !TYPES.contains(type)) {
      throw new IllegalArgumentException("argument " + name.utf8() + ": unknown type " + type + "; known: " + TYPES);
    }
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("argument " + name.utf8() + " is required and cannot have a default");
    }
    validValues = validValues == null ? null : Set.copyOf(validValues);
  }

  /** An argument without 4.8 metadata: its type is its example's, its default null. */
  public ArgumentSpec(ByteString name, Object example, boolean required) {
    this(name, example, required, null, null, null);
  }

  /** An optional argument. */
  public static ArgumentSpec optional(String name, Object example) {
    return new ArgumentSpec(ByteString.utf8(name), example, false);
  }

  /** A required argument. */
  public static ArgumentSpec required(String name, Object example) {
    return new ArgumentSpec(ByteString.utf8(name), example, true);
  }

  /** This argument with the 4.8 type {@code type} (one of {@link #TYPES}). */
  public ArgumentSpec withType(String type) {
    return new ArgumentSpec(name, example, required, Objects.requireNonNull(type, "type"), defaultValue, validValues);
  }

  /** This optional argument with the advertised default {@code value}. */
  public ArgumentSpec withDefault(Object value) {
    return new ArgumentSpec(name, example, required, type, value, validValues);
  }

  /** This argument with the advertised valid values {@code values}. */
  public ArgumentSpec withValidValues(Collection<ByteString> values) {
    return new ArgumentSpec(name, example, required, type, defaultValue, Set.copyOf(values));
  }

  /**
   * The 4.8 type: the declared one, else the example's ({@code bytes} for a byte string,
   * {@code bool}, {@code int}, {@code list}, {@code dict}, {@code set}).
   *
   * @throws IllegalStateException if neither says
   */
  public String effectiveType() {
    if (type != null) {
      return type;
    }
    if (example instanceof ByteString) {
      return "bytes";
    } else if (example instanceof Boolean) {
      return "bool";
    } else if (example instanceof Long || example instanceof Integer || example instanceof java.math.BigInteger) {
      return "int";
    } else if (example instanceof Set) {
      return "set";
    } else if (example instanceof List) {
      return "list";
    } else if (example instanceof Map) {
      return "dict";
    }
    throw new IllegalStateException("argument " + name.utf8() + " has no type and its example ("
        + example + ") does not imply one; declare it with withType");
  }
}
