package org.hgrpc.client;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;

/**
 * One command to run: its name, its arguments and, optionally, the permission it needs.
 * Immutable; {@link #withArg} and {@link #withPermission} return copies.
 *
 * <p>Every Mercurial argument is bytes on the wire, so argument values are converted when the
 * call is made: a {@link String} becomes its UTF-8 bytes, a {@link Node} its 20 bytes, a
 * {@code byte[]} a {@link ByteString}; lists, sets and maps are converted element by element
 * (map keys the same way); {@link ByteString}, integers, booleans and {@code null} are sent as
 * they are. Anything else is refused at once with an {@link IllegalArgumentException}.
 *
 * <p>Without an explicit permission the client looks the command up in the server's
 * capabilities and posts it to the {@code rw} URL when it needs {@code push}, else to
 * {@code ro}.
 */
public final class CommandCall {
  private final String command;
  private final Map<String, Object> args;
  private final Permission permission;

  private CommandCall(String command, Map<String, Object> args, Permission permission) {
    this.command = command;
    this.args = args;
    this.permission = permission;
  }

  /** A call of {@code command} without arguments. */
  public static CommandCall of(String command) {
    return of(command, Map.of());
  }

  /** A call of {@code command} with {@code args}, converted as the class comment says. */
  public static CommandCall of(String command, Map<String, ?> args) {
    Objects.requireNonNull(command, "command");
    if (command.isEmpty() || command.contains("/")) {
      throw new IllegalArgumentException("invalid command name: '" + command + "'");
    }
    Map<String, Object> converted = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : args.entrySet()) {
      converted.put(Objects.requireNonNull(e.getKey(), "argument name"), toWire(e.getValue()));
    }
    return new CommandCall(command, Collections.unmodifiableMap(converted), null);
  }

  /** This call with one more argument (or another value for {@code name}). */
  public CommandCall withArg(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(args);
    copy.put(Objects.requireNonNull(name, "name"), toWire(value));
    return new CommandCall(command, Collections.unmodifiableMap(copy), permission);
  }

  /** This call posted with {@code permission}'s URL whatever the server's capabilities say. */
  public CommandCall withPermission(Permission permission) {
    return new CommandCall(command, args, Objects.requireNonNull(permission, "permission"));
  }

  /** The command name. */
  public String command() {
    return command;
  }

  /** The arguments, already converted to the values sent. */
  public Map<String, Object> args() {
    return args;
  }

  /** The permission asked for explicitly, if any. */
  public Optional<Permission> permission() {
    return Optional.ofNullable(permission);
  }

  /** The arguments as the CBOR map of the request: byte-string keys. */
  Map<ByteString, Object> wireArgs() {
    Map<ByteString, Object> m = new LinkedHashMap<>();
    args.forEach((k, v) -> m.put(ByteString.utf8(k), v));
    return m;
  }

  /** The command name as bytes. */
  ByteString wireName() {
    return ByteString.utf8(command);
  }

  private static Object toWire(Object value) {
    if (value == null || value instanceof ByteString || value instanceof Long || value instanceof Boolean
        || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof String) {
      return ByteString.utf8((String) value);
    }
    if (value instanceof Node) {
      return ((Node) value).bytes();
    }
    if (value instanceof byte[]) {
      return ByteString.copyOf((byte[]) value);
    }
    if (value instanceof Map) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        m.put(toWire(e.getKey()), toWire(e.getValue()));
      }
      return Collections.unmodifiableMap(m);
    }
    if (value instanceof Set) {
      Set<Object> s = new LinkedHashSet<>();
      for (Object o : (Set<?>) value) {
        s.add(toWire(o));
      }
      return Collections.unmodifiableSet(s);
    }
    if (value instanceof Collection) {
      List<Object> l = new ArrayList<>();
      for (Object o : (Collection<?>) value) {
        l.add(toWire(o));
      }
      return Collections.unmodifiableList(l);
    }
    throw new IllegalArgumentException("cannot send a " + value.getClass().getName()
        + " as a command argument; use bytes, strings, nodes, integers, booleans, lists, sets or maps");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommandCall && ((CommandCall) o).command.equals(command) && ((CommandCall) o).args.equals(args)
        && ((CommandCall) o).permission == permission;
  }

  @Override
  public int hashCode() {
    return Objects.hash(command, args, permission);
  }

  @Override
  public String toString() {
    return "CommandCall[" + command + " " + args + (permission == null ? "" : " " + permission) + "]";
  }
}
