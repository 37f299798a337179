package org.hgrpc.client.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hgrpc.client.Node;
import org.hgrpc.core.ByteString;

/**
 * One argument of a command as the server's capabilities describe it, and the conversion of
 * the text a user wrote on the command line to the value of that type.
 *
 * <p>Servers describe arguments in two shapes, both read by {@link #of}:
 * <ul>
 *   <li>API {@code exp-http-v2-0001} (Mercurial 4.6/4.7) gives an example value:
 *       {@code publiconly: False}, {@code nodes: [b'deadbeef']}, {@code namespace: b'ns'}; the
 *       example's CBOR type is the argument's type, and nothing is said about being required.
 *   <li>Mercurial 4.8 gives a map {@code {type: b'bool', required: False, default: False,
 *       validvalues: {...}}} with {@code type} one of {@code bool}, {@code int}, {@code bytes},
 *       {@code list}, {@code set}, {@code dict}.
 * </ul>
 *
 * @param name the argument's name
 * @param type how its text is converted
 * @param required whether the server needs it (only the 4.8 shape says so)
 * @param validValues the values a list or set may hold, or a bytes argument may be; empty for any
 */
record AdvertisedArgument(String name, Type type, boolean required, Set<ByteString> validValues) {

  /** The argument types, by the names of Mercurial 4.8's capabilities. */
  enum Type {
    BOOL, INT, BYTES, LIST, SET, DICT,
    /** An example of a type we do not convert (none, or an unknown one): the text's bytes are sent. */
    UNKNOWN;

    /** The name Mercurial uses. */
    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The words a boolean argument accepts, true ones first. */
  static final List<String> TRUE_WORDS = List.of("true", "yes", "on", "1");
  static final List<String> FALSE_WORDS = List.of("false", "no", "off", "0");

  private static final Pattern NODE_HEX = Pattern.compile("[0-9a-fA-F]{" + 2 * Node.LENGTH + "}");
  private static final ByteString TYPE = ByteString.latin1("type");
  private static final ByteString REQUIRED = ByteString.latin1("required");
  private static final ByteString DEFAULT = ByteString.latin1("default");
  private static final ByteString VALID_VALUES = ByteString.latin1("validvalues");
  private static final Set<ByteString> DESCRIPTION_KEYS = Set.of(TYPE, REQUIRED, DEFAULT, VALID_VALUES);

  /** Copies the set. */
  AdvertisedArgument {
    validValues = Collections.unmodifiableSet(new LinkedHashSet<>(validValues));
  }

  /**
   * The argument {@code name} of a capabilities entry whose value is {@code advertised}: a 4.8
   * description map, or else a 0001 example value.
   */
  static AdvertisedArgument of(String name, Object advertised) {
    if (advertised instanceof Map && isDescription((Map<?, ?>) advertised)) {
      Map<?, ?> m = (Map<?, ?>) advertised;
      Type type = Type.valueOf(typeName(m).toUpperCase(Locale.ROOT));
      Set<ByteString> valid = new LinkedHashSet<>();
      if (m.get(VALID_VALUES) instanceof Collection) {
        for (Object v : (Collection<?>) m.get(VALID_VALUES)) {
          if (v instanceof ByteString) {
            valid.add((ByteString) v);
          }
        }
      }
      return new AdvertisedArgument(name, type, Boolean.TRUE.equals(m.get(REQUIRED)), valid);
    }
    return new AdvertisedArgument(name, exampleType(advertised), false, Set.of());
  }

  /**
   * Whether {@code m} is a 4.8 description rather than a dict example: its {@code type} names
   * one of the types and it has no keys but the description's.
   */
  private static boolean isDescription(Map<?, ?> m) {
    String type = typeName(m);
    if (type == null || !DESCRIPTION_KEYS.containsAll(m.keySet())) {
      return false;
    }
    for (Type t : Type.values()) {
      if (t != Type.UNKNOWN && t.wireName().equals(type)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code type} entry as text (bytes in Mercurial's maps, a CBOR text string accepted too), or null. */
  private static String typeName(Map<?, ?> m) {
    Object t = m.get(TYPE);
    return t instanceof ByteString ? ((ByteString) t).utf8() : t instanceof String ? (String) t : null;
  }

  private static Type exampleType(Object example) {
    if (example instanceof Boolean) {
      return Type.BOOL;
    }
    if (example instanceof Long || example instanceof Integer || example instanceof BigInteger) {
      return Type.INT;
    }
    if (example instanceof ByteString) {
      return Type.BYTES;
    }
    if (example instanceof Set) {
      return Type.SET;
    }
    if (example instanceof List) {
      return Type.LIST;
    }
    if (example instanceof Map) {
      return Type.DICT;
    }
    return Type.UNKNOWN;
  }

  /**
   * The value to send for {@code text}, written for this argument of {@code command}.
   *
   * @throws IllegalArgumentException naming the argument, the text and what is accepted
   */
  Object convert(String command, String text) {
    switch (type) {
      case BOOL:
        return bool(command, text);
      case INT:
        return integer(command, text);
      case LIST:
        return elements(command, text);
      case SET:
        return Collections.unmodifiableSet(new LinkedHashSet<>(elements(command, text)));
      case DICT:
        throw new IllegalArgumentException("argument " + name + " of " + command + " is a dict: write it as a "
            + "literal, " + name + "=" + ArgumentValues.CBOR_PREFIX + "{b'key': b'value'}");
      case BYTES:
        return checkValid(command, ByteString.utf8(text));
      default:
        return ByteString.utf8(text);
    }
  }

  private Boolean bool(String command, String text) {
    String word = text.strip().toLowerCase(Locale.ROOT);
    if (TRUE_WORDS.contains(word)) {
      return true;
    }
    if (FALSE_WORDS.contains(word)) {
      return false;
    }
    List<String> words = new ArrayList<>(TRUE_WORDS);
    words.addAll(FALSE_WORDS);
    throw new IllegalArgumentException("argument " + name + " of " + command + " is a boolean: '" + text
        + "' is none of " + String.join(", ", words));
  }

  private Object integer(String command, String text) {
    try {
      BigInteger n = new BigInteger(text.strip());
      return n.bitLength() < 64 ? (Object) n.longValueExact() : n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("argument " + name + " of " + command + " is an integer: '" + text
          + "' is not a decimal number");
    }
  }

  /**
   * Comma-separated elements; 40 hex digits are a node (its 20 bytes), anything else is text.
   * The JSON array {@code call --compact} prints ({@code ["ddf9...","29c9..."]}) is accepted
   * too, so a command's printed nodes can be passed back as they are.
   */
  private List<Object> elements(String command, String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1).strip();
    }
    List<Object> out = new ArrayList<>();
    if (t.isEmpty()) {
      return out;
    }
    for (String part : t.split(",", -1)) {
      String e = part.strip();
      if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
        e = e.substring(1, e.length() - 1);
      }
      out.add(checkValid(command, NODE_HEX.matcher(e).matches() ? ByteString.fromHex(e) : ByteString.utf8(e)));
    }
    return out;
  }

  private ByteString checkValid(String command, ByteString value) {
    if (!validValues.isEmpty() && !validValues.contains(value)) {
      List<String> valid = new ArrayList<>();
      validValues.forEach(v -> valid.add(Json.bytesText(v)));
      Collections.sort(valid);
      throw new IllegalArgumentException("argument " + name + " of " + command + ": '" + Json.bytesText(value)
          + "' is not one of " + String.join(", ", valid));
    }
    return value;
  }

  /** How errors describe the type: Mercurial's name, {@code text} for an unknown one. */
  String describe() {
    return type == Type.UNKNOWN ? "text" : type.wireName();
  }
}
