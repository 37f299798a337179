package org.hgrpc.repository.server.data;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.server.RepositoryCommands;

/**
 * Reading the data commands' arguments with the reference's defaults ({@code fields} an empty
 * set, {@code haveparents} false, {@code pathfilter} none). Values of the wrong shape are the
 * client's error: a {@link CommandError} naming the argument.
 */
final class DataArgs {
  private final Map<ByteString, Object> args;

  DataArgs(Map<ByteString, Object> args) {
    this.args = args;
  }

  Object raw(String name) {
    return args.get(b(name));
  }

  boolean has(String name) {
    return args.containsKey(b(name));
  }

  /** A set argument; a list is taken as a set, as the reference does. Unknown names are ignored there. */
  Set<ByteString> fields() {
    Object v = raw("fields");
    if (v == null) {
      return Set.of();
    }
    if (!(v instanceof Collection)) {
      throw new CommandError(b("fields must be a set of field names, not %s"), List.of(describe(v)));
    }
    Set<ByteString> out = new LinkedHashSet<>();
    for (Object o : (Collection<?>) v) {
      if (o instanceof ByteString) {
        out.add((ByteString) o);
      }
    }
    return out;
  }

  /** A boolean argument, with Python's truthiness as the reference tests it. */
  boolean flag(String name) {
    return RepositoryCommands.truthy(raw(name));
  }

  /** A list argument that must be there (the server checked) and be a list or set. */
  Collection<?> collection(String name) {
    Object v = raw(name);
    if (!(v instanceof Collection)) {
      throw new CommandError(b("%s must be an array, not %s"), List.of(b(name), describe(v)));
    }
    return (Collection<?>) v;
  }

  /** A byte string argument. */
  ByteString bytes(String name) {
    Object v = raw(name);
    if (!(v instanceof ByteString)) {
      throw new CommandError(b("%s must be a byte string, not %s"), List.of(b(name), describe(v)));
    }
    return (ByteString) v;
  }

  /** A short description of a peer's value for error messages. */
  static ByteString describe(Object v) {
    if (v == null) {
      return b("null");
    } else if (v instanceof ByteString) {
      return b("a byte string");
    } else if (v instanceof Boolean) {
      return b("a boolean");
    } else if (v instanceof Number) {
      return b("an integer");
    } else if (v instanceof Map) {
      return b("a map");
    } else if (v instanceof Set) {
      return b("a set");
    } else if (v instanceof List) {
      return b("an array");
    }
    return b(v.getClass().getSimpleName());
  }

  static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
