package org.hgrpc.client;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.response.CommandFailure;

/**
 * The command ran and reported a failure: its response began with
 * {@code {b'status': b'error', b'error': {b'message': format, b'args': [...]}}}. The message
 * of this exception is the format with its {@code %s} placeholders filled in; the raw parts
 * stay available for callers that localize or log them.
 */
public final class CommandErrorException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final transient CommandFailure failure;

  CommandErrorException(String command, CommandFailure failure) {
    super(command + ": " + failure.formattedMessage());
    this.command = command;
    this.failure = failure;
  }

  /** The command that failed. */
  public String command() {
    return command;
  }

  /** The message as sent, with {@code %s} placeholders. */
  public ByteString format() {
    return failure.format();
  }

  /** The placeholder values as sent (usually {@link ByteString}s). */
  public List<Object> args() {
    return failure.args();
  }

  /** The formatted message, without the command name. */
  public String formattedMessage() {
    return failure.formattedMessage();
  }

  /** The whole {@code error} map as decoded. */
  public Map<?, ?> raw() {
    return failure.raw();
  }
}
