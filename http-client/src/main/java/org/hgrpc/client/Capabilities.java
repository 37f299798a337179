package org.hgrpc.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;

/**
 * What a server offers through the frame-based API: the answer of the {@code capabilities}
 * command, also found in the handshake under {@code apis}. Unknown keys are kept in
 * {@link #raw()}.
 */
public final class Capabilities {
  private static final ByteString COMMANDS = Values.key("commands");
  private static final ByteString ARGS = Values.key("args");
  private static final ByteString PERMISSIONS = Values.key("permissions");
  private static final ByteString FRAMING = Values.key("framingmediatypes");
  private static final ByteString COMPRESSION = Values.key("compression");
  private static final ByteString NAME = Values.key("name");
  private static final ByteString RAW_REPO_FORMATS = Values.key("rawrepoformats");

  /**
   * One command a server offers.
   *
   * @param name the command name
   * @param args argument names to a representative value of their type ({@code True} for a
   *     boolean, a list of byte strings for a list, ...)
   * @param permissions the permissions it needs: {@code pull}, {@code push}
   */
  public record CommandInfo(String name, Map<ByteString, Object> args, Set<String> permissions) {
    /** Copies the collections. */
    public CommandInfo {
      args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
      permissions = Collections.unmodifiableSet(new LinkedHashSet<>(permissions));
    }

    /** {@link Permission#PUSH} when the command needs push, else {@link Permission#PULL}. */
    public Permission permission() {
      return permissions.contains(Permission.PUSH.wireName()) ? Permission.PUSH : Permission.PULL;
    }
  }

  private final Map<?, ?> raw;
  private final Map<String, CommandInfo> commands;

  private Capabilities(Map<?, ?> raw, Map<String, CommandInfo> commands) {
    this.raw = raw;
    this.commands = commands;
  }

  /**
   * Reads a capabilities map.
   *
   * @throws ProtocolErrorException if {@code value} is not a map or its {@code commands} entry
   *     is malformed
   */
  public static Capabilities parse(Object value) {
    Map<?, ?> m = Values.map(value, "capabilities");
    Map<String, CommandInfo> commands = new LinkedHashMap<>();
    Object c = m.get(COMMANDS);
    if (c != null) {
      for (Map.Entry<?, ?> e : Values.map(c, "capabilities commands").entrySet()) {
        String name = Values.bytes(e.getKey(), "capabilities command name").utf8();
        Map<?, ?> info = Values.map(e.getValue(), "capabilities of command " + name);
        Map<ByteString, Object> args = new LinkedHashMap<>();
        Object a = info.get(ARGS);
        if (a != null) {
          for (Map.Entry<?, ?> arg : Values.map(a, "arguments of command " + name).entrySet()) {
            args.put(Values.bytes(arg.getKey(), "argument name of command " + name), arg.getValue());
          }
        }
        Set<String> permissions = new LinkedHashSet<>();
        Object p = info.get(PERMISSIONS);
        if (p != null) {
          for (Object perm : Values.list(p, "permissions of command " + name)) {
            permissions.add(Values.bytes(perm, "permission of command " + name).utf8());
          }
        }
        commands.put(name, new CommandInfo(name, args, permissions));
      }
    }
    return new Capabilities(m, Collections.unmodifiableMap(commands));
  }

  /** The commands, by name, in the server's order. */
  public Map<String, CommandInfo> commands() {
    return commands;
  }

  /** The command named {@code name}, if the server offers it. */
  public Optional<CommandInfo> command(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  /** The framing media types the server accepts. */
  public List<String> framingMediaTypes() {
    return texts(raw.get(FRAMING));
  }

  /** The names of the compression engines the server supports, most preferred first. */
  public List<String> compression() {
    List<String> names = new ArrayList<>();
    if (raw.get(COMPRESSION) instanceof List) {
      for (Object o : (List<?>) raw.get(COMPRESSION)) {
        if (o instanceof Map && ((Map<?, ?>) o).get(NAME) instanceof ByteString) {
          names.add(((ByteString) ((Map<?, ?>) o).get(NAME)).utf8());
        }
      }
    }
    return List.copyOf(names);
  }

  /** The repository storage formats ({@code revlogv1}, {@code generaldelta}, ...), if advertised. */
  public List<String> rawRepoFormats() {
    return texts(raw.get(RAW_REPO_FORMATS));
  }

  /** The whole map as decoded. */
  public Map<?, ?> raw() {
    return raw;
  }

  private static List<String> texts(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List) {
      for (Object o : (List<?>) value) {
        if (o instanceof ByteString) {
          out.add(((ByteString) o).utf8());
        }
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "Capabilities[commands=" + commands.keySet() + "]";
  }
}
