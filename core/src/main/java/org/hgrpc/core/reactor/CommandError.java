package org.hgrpc.core.reactor;

import java.util.List;
import org.hgrpc.core.ByteString;

/**
 * Thrown by a command's output iterator to fail the command with a message for the user: the
 * reference's {@code WireprotoCommandError}. The server answers with a command error response
 * rather than a server error.
 */
public class CommandError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ByteString format;
  private final List<ByteString> args;

  /** An error whose message has {@code %s} placeholders filled from {@code args} by the client. */
  public CommandError(ByteString format, List<ByteString> args) {
    super(formatMessage(format, args));
    this.format = format;
    this.args = List.copyOf(args);
  }

  /** An error with a fixed message. */
  public CommandError(String message) {
    this(ByteString.utf8(message), List.of());
  }

  /** The message, with placeholders. */
  public ByteString format() {
    return format;
  }

  /** The placeholder values. */
  public List<ByteString> args() {
    return args;
  }

  /**
   * A server message as clients show it: {@code format} with each {@code %s} replaced by the
   * next argument (byte strings as UTF-8, anything else as its string form), {@code %%} as a
   * literal {@code %}; any other {@code %x}, and {@code %s} beyond the arguments, stay as they are.
   */
  public static String formatMessage(ByteString format, List<?> args) {
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
          Object a = args.get(next++);
          sb.append(a instanceof ByteString ? ((ByteString) a).utf8() : String.valueOf(a));
          i++;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString();
  }

}
