package org.hgrpc.client;

import java.util.ArrayList;
import java.util.Collection;
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
 *
 * <p>Both generations are read. {@code exp-http-v2-0001} (Mercurial 4.7) describes each argument
 * by an example value ({@code {b'publiconly': False}}) and lists {@code compression} engines;
 * {@code exp-http-v2-0003} (4.8) describes it by a map
 * {@code {type, default, required, validvalues}}, may give a command a
 * {@code recommendedbatchsize}, and lists {@code pathfilterprefixes} and {@code rawrepoformats}
 * but no compression (content encodings are negotiated per request instead). An argument is
 * read in the 4.8 form when its value is a map with a byte-string {@code type} and a boolean
 * {@code required}, the two keys 4.8 always sends.
 */
public final class Capabilities {
  private static final ByteString COMMANDS = Values.key("commands");
  private static final ByteString ARGS = Values.key("args");
  private static final ByteString PERMISSIONS = Values.key("permissions");
  private static final ByteString FRAMING = Values.key("framingmediatypes");
  private static final ByteString COMPRESSION = Values.key("compression");
  private static final ByteString NAME = Values.key("name");
  private static final ByteString RAW_REPO_FORMATS = Values.key("rawrepoformats");
  private static final ByteString PATH_FILTER_PREFIXES = Values.key("pathfilterprefixes");
  private static final ByteString BATCH_SIZE = Values.key("recommendedbatchsize");
  private static final ByteString TYPE = Values.key("type");
  private static final ByteString DEFAULT = Values.key("default");
  private static final ByteString REQUIRED = Values.key("required");
  private static final ByteString VALID_VALUES = Values.key("validvalues");

  /**
   * One argument of a command.
   *
   * @param name the argument's name
   * @param type its type as the server names it ({@code bool}, {@code bytes}, {@code int},
   *     {@code list}, {@code set}, {@code dict}); with the 4.7 form the type of the example value
   * @param defaultValue the value the server uses when it is left out, or {@code null} (the 4.7
   *     form gives none; 4.8 gives {@code None} for some)
   * @param required whether the server refuses a request without it (4.7's form does not say:
   *     false)
   * @param validValues the only values allowed for the elements of a set, empty when any is
   * @param example the 4.7 form's example value, {@code null} in the 4.8 form
   */
  public record Argument(String name, String type, Object defaultValue, boolean required,
      Set<ByteString> validValues, Object example) {
    /** Copies the set. */
    public Argument {
      validValues = Collections.unmodifiableSet(new LinkedHashSet<>(validValues));
    }
  }

  /**
   * One command a server offers.
   *
   * @param name the command name
   * @param args argument names to their description as sent: in the 4.7 form a representative
   *     value of their type ({@code True} for a boolean, a list of byte strings for a list, ...),
   *     in the 4.8 form the map {@code {type, default, required, validvalues}}
   * @param arguments the arguments read from either form, by name
   * @param permissions the permissions it needs: {@code pull}, {@code push}
   * @param recommendedBatchSize how many items the server suggests per request (4.8), or
   *     {@code null}
   */
  public record CommandInfo(String name, Map<ByteString, Object> args, Map<String, Argument> arguments,
      Set<String> permissions, Long recommendedBatchSize) {
    /** Copies the collections. */
    public CommandInfo {
      args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
      arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
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
        Map<String, Argument> arguments = new LinkedHashMap<>();
        Object a = info.get(ARGS);
        if (a != null) {
          for (Map.Entry<?, ?> arg : Values.map(a, "arguments of command " + name).entrySet()) {
            ByteString argName = Values.bytes(arg.getKey(), "argument name of command " + name);
            args.put(argName, arg.getValue());
            arguments.put(argName.utf8(), argument(name, argName.utf8(), arg.getValue()));
          }
        }
        Long batchSize = null;
        if (info.get(BATCH_SIZE) != null) {
          if (!(info.get(BATCH_SIZE) instanceof Long size)) {
            throw new ProtocolErrorException("capabilities: recommendedbatchsize of command " + name
                + " must be an integer, got " + Values.describe(info.get(BATCH_SIZE)));
          }
          batchSize = size;
        }
        Set<String> permissions = new LinkedHashSet<>();
        Object p = info.get(PERMISSIONS);
        if (p != null) {
          for (Object perm : Values.list(p, "permissions of command " + name)) {
            permissions.add(Values.bytes(perm, "permission of command " + name).utf8());
          }
        }
        commands.put(name, new CommandInfo(name, args, arguments, permissions, batchSize));
      }
    }
    return new Capabilities(m, Collections.unmodifiableMap(commands));
  }

  /** One argument from either form (see the class comment). */
  private static Argument argument(String command, String name, Object description) {
    if (description instanceof Map<?, ?> spec && spec.get(TYPE) instanceof ByteString type
        && spec.get(REQUIRED) instanceof Boolean required) {
      Set<ByteString> valid = new LinkedHashSet<>();
      Object v = spec.get(VALID_VALUES);
      if (v != null) {
        String what = "validvalues of argument " + name + " of command " + command;
        Collection<?> values = v instanceof Set<?> set ? set : Values.list(v, what);
        for (Object o : values) {
          valid.add(Values.bytes(o, what));
        }
      }
      return new Argument(name, type.utf8(), spec.get(DEFAULT), required, valid, null);
    }
    return new Argument(name, typeOf(description), null, false, Set.of(), description);
  }

  /** The 4.8 name of the type of a 4.7 example value. */
  private static String typeOf(Object example) {
    if (example instanceof Boolean) {
      return "bool";
    } else if (example instanceof ByteString) {
      return "bytes";
    } else if (example instanceof Long || example instanceof java.math.BigInteger) {
      return "int";
    } else if (example instanceof List) {
      return "list";
    } else if (example instanceof Set) {
      return "set";
    } else if (example instanceof Map) {
      return "dict";
    }
    return example == null ? "none" : example.getClass().getSimpleName();
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

  /**
   * The names of the compression engines the server supports, most preferred first (4.7's
   * form; 4.8 negotiates content encodings per request and lists none here).
   */
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

  /**
   * The path prefixes a {@code pathfilter} argument may use ({@code path:},
   * {@code rootfilesin:}), if advertised (4.8).
   */
  public List<String> pathFilterPrefixes() {
    return texts(raw.get(PATH_FILTER_PREFIXES));
  }

  /** The whole map as decoded. */
  public Map<?, ?> raw() {
    return raw;
  }

  /** The byte strings of a list or set (4.8 sends some of these lists as CBOR sets). */
  private static List<String> texts(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof Collection) {
      for (Object o : (Collection<?>) value) {
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
