package org.hgrpc.client;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.reactor.CommandError;

/**
 * Renders the messages a server sends: a format string whose {@code %s} placeholders take the
 * arguments in order and whose {@code %%} is a literal {@code %} (any other {@code %x} stays as
 * it is), as the protocol's human output side-channel defines them. Used for command errors
 * and for the atoms of error frames.
 */
final class ServerMessages {
  private ServerMessages() {}

  private static final ByteString KEY_MSG = ByteString.latin1("msg");
  private static final ByteString KEY_ARGS = ByteString.latin1("args");

  /** {@code format} with its placeholders filled from {@code args}; missing args leave {@code %s}. */
  static String format(ByteString format, List<?> args) {
    return CommandError.formatMessage(format, args);
  }

  /**
   * The text of an error frame's {@code message}: a list of atoms
   * {@code {b'msg': format, b'args': [...]}}, formatted and joined. Anything else is rendered
   * as it is, since an error report should never fail for its own shape.
   */
  static String formatAtoms(Object message) {
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

  /** A value as message text: byte strings as UTF-8, anything else as its string form. */
  static String text(Object value) {
    return value instanceof ByteString ? ((ByteString) value).utf8() : String.valueOf(value);
  }
}
