package org.hgrpc.core.reactor;

import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.response.MessageFormatter;

/**
 * Thrown by a command's output iterator to fail the command with a message for the user: the
 * reference's {@code WireprotoCommandError}. The server answers with a command error response
 * rather than a server error.
 */
public class CommandError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ByteString format;
  private final List<ByteString> args;

  /**
   * An error whose message has {@code %s} placeholders filled from {@code args} by the client;
   * {@link #getMessage()} is the message as a client shows it ({@link MessageFormatter#format}).
   */
  public CommandError(ByteString format, List<ByteString> args) {
    super(MessageFormatter.format(format, args));
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
}
