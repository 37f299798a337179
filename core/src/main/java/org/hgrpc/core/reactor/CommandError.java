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
    super(render(format, args));
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

  private static String render(ByteString format, List<ByteString> args) {
    String s = format.utf8();
    for (ByteString a : args) {
      int i = s.indexOf("%s");
      if (i < 0) {
        break;
      }
      s = s.substring(0, i) + a.utf8() + s.substring(i + 2);
    }
    return s;
  }
}
