package org.hgrpc.core.response;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;

/**
 * Renders the messages a server sends the way clients show them: a format whose {@code %s}
 * placeholders take the arguments in order and whose {@code %%} is a literal {@code %}, as the
 * protocol's human output side-channel defines them. Used for a command error's
 * {@code message}/{@code args} and for the atoms of an error frame.
 *
 * <p>The reference applies Python's {@code %} operator, which raises on a mismatch; a client
 * must never fail while reporting a failure, so any other {@code %x}, and a {@code %s} beyond
 * the arguments, stay as they are.
 */
public final class MessageFormatter {
  private static final ByteString KEY_MSG = ByteString.latin1("msg");
  private static final ByteString KEY_ARGS = ByteString.latin1("args");
  private static final int MAX_DESCRIPTION_CHARS = 100;

  private MessageFormatter() {}

  /** {@code format} with its placeholders filled from {@code args} (byte strings as UTF-8). */
  public static String format(ByteString format, List<?> args) {
    String f = format.utf8();
    StringBuilder sb = new StringBuilder(f.length() + 16);
    int next = 0;
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '%' && i + 1 < f.length()) {
        char d = f.charAt(i + 1);
        if (d == '%') {
          sb.append('%');
          i++;
          continue;
        }
        if (d == 's' && next < args.size()) {
          sb.append(text(args.get(next++)));
          i++;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * The text of an error frame's {@code message}: a list of atoms
   * {@code {b'msg': format, b'args': [...]}}, each formatted, joined without separator (the
   * reference's {@code formatrichmessage}). Anything else, an atom of another shape included,
   * is rendered as it is: an error report should never fail for its own shape.
   */
  public static String formatAtoms(Object message) {
    if (!(message instanceof List)) {
      return text(message);
    }
    StringBuilder sb = new StringBuilder();
    for (Object atom : (List<?>) message) {
      if (atom instanceof Map && ((Map<?, ?>) atom).get(KEY_MSG) instanceof ByteString) {
        Map<?, ?> m = (Map<?, ?>) atom;
        Object args = m.get(KEY_ARGS);
        sb.append(format((ByteString) m.get(KEY_MSG), args instanceof List ? (List<?>) args : List.of()));
      } else {
        sb.append(text(atom));
      }
    }
    return sb.toString();
  }

  /** A value as message text: a byte string as UTF-8, anything else as its string form. */
  public static String text(Object value) {
    return value instanceof ByteString ? ((ByteString) value).utf8() : String.valueOf(value);
  }

  /**
   * A short description of a peer's value for an error message: its kind and a rendering cut
   * at 100 characters, so a hostile value cannot make a message of any size.
   */
  public static String describe(Object value) {
    String type = value == null ? "null" : value instanceof ByteString ? "byte string"
        : value instanceof Map ? "map" : value instanceof List ? "list" : value.getClass().getSimpleName();
    String s = String.valueOf(value);
    return type + " " + (s.length() > MAX_DESCRIPTION_CHARS ? s.substring(0, MAX_DESCRIPTION_CHARS) + "..." : s);
  }
}
