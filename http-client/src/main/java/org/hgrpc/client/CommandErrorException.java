package org.hgrpc.client;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;

/**
 * The command ran and reported a failure: its response began with
 * {@code {b'status': b'error', b'error': {b'message': format, b'args': [...]}}}. The message
 * of this exception is the format with its {@code %s} placeholders filled in; the raw parts
 * stay available for callers that localize or log them.
 */
public final class CommandErrorException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final ByteString format;
  private final transient List<Object> args;
  private final transient Map<?, ?> raw;

  CommandErrorException(String command, ByteString format, List<Object> args, Map<?, ?> raw) {
    super(command + ": " + ServerMessages.format(format, args));
    this.command = command;
    this.format = format;
    this.args = List.copyOf(args);
    this.raw = raw;
  }

  /** The command that failed. */
  public String command() {
    return command;
  }

  /** The message as sent, with {@code %s} placeholders. */
  public ByteString format() {
    return format;
  }

  /** The placeholder values as sent (usually {@link ByteString}s). */
  public List<Object> args() {
    return args;
  }

  /** The formatted message, without the command name. */
  public String formattedMessage() {
    return ServerMessages.format(format, args);
  }

  /** The whole {@code error} map as decoded. */
  public Map<?, ?> raw() {
    return raw;
  }
}
