package org.hgrpc.server.exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;

/**
 * A request's arguments checked against the command's {@link ArgumentSpec}s, as Mercurial's
 * {@code dispatch} does: no argument the command does not declare, every required one present.
 * A failure is a {@link CommandError}, which the client gets as the command's error response.
 *
 * <p>The two APIs word it as their Mercurial did: under {@code exp-http-v2-0001} the message
 * has a {@code %s} and the names are its argument ({@code args}); under {@code
 * exp-http-v2-0003} (4.8's {@code getargs}) the names are in the message and there are no
 * {@code args}. A client shows the same text either way.
 */
final class CommandArguments {
  private static final ByteString SEPARATOR = ByteString.latin1(", ");

  private CommandArguments() {}

  /**
   * The arguments keyed by their spec's name.
   *
   * @throws CommandError naming the unknown arguments (sorted), or else the missing required ones
   */
  static Map<ByteString, Object> validate(Command command, Map<Object, Object> given) {
    return validate(ExchangeApi.HTTP_V2_0001, command, given);
  }

  /** {@link #validate(Command, Map)} worded as {@code api} words it. */
  static Map<ByteString, Object> validate(ExchangeApi api, Command command, Map<Object, Object> given) {
    Map<ByteString, ArgumentSpec> specs = new LinkedHashMap<>();
    command.arguments().forEach(a -> specs.put(a.name(), a));
    TreeSet<ByteString> unknown = new TreeSet<>();
    Map<ByteString, Object> args = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : given.entrySet()) {
      if (e.getKey() instanceof ByteString && specs.containsKey(e.getKey())) {
        args.put((ByteString) e.getKey(), e.getValue());
      } else {
        unknown.add(e.getKey() instanceof ByteString ? (ByteString) e.getKey()
            : ByteString.utf8(String.valueOf(e.getKey())));
      }
    }
    if (!unknown.isEmpty()) {
      throw failure(api, "unsupported argument to command: ", join(unknown));
    }
    List<ByteString> missing = new ArrayList<>();
    for (ArgumentSpec a : specs.values()) {
      if (a.required() && !args.containsKey(a.name())) {
        missing.add(a.name());
      }
    }
    if (!missing.isEmpty()) {
      throw failure(api, "missing required arguments: ", join(new TreeSet<>(missing)));
    }
    return args;
  }

  private static CommandError failure(ExchangeApi api, String prefix, ByteString names) {
    if (api == ExchangeApi.HTTP_V2_0001) {
      return new CommandError(ByteString.latin1(prefix + "%s"), List.of(names));
    }
    // 4.8 formats the names into the message itself and sends no arguments.
    return new CommandError(ByteString.latin1(prefix).concat(names), List.of());
  }

  private static ByteString join(Iterable<ByteString> names) {
    ByteString all = ByteString.EMPTY;
    for (ByteString n : names) {
      all = all.isEmpty() ? n : all.concat(SEPARATOR).concat(n);
    }
    return all;
  }
}
