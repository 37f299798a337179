package org.hgrpc.client;

import org.hgrpc.core.ByteString;

/**
 * The server answered a request with an error frame (type {@code error-response}):
 * {@code {b'type': type, b'message': [{b'msg': format, b'args': [...]}, ...]}}. The type says
 * whose fault it is: {@code server} (a failure while running the command), {@code protocol}
 * (the server refused our frames) or {@code command}.
 */
public final class ServerErrorException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final ByteString type;
  private final String serverMessage;

  ServerErrorException(String command, ByteString type, String serverMessage) {
    super(command + ": " + type.utf8() + " error: " + serverMessage);
    this.command = command;
    this.type = type;
    this.serverMessage = serverMessage;
  }

  /** The command the error answers. */
  public String command() {
    return command;
  }

  /** The error's type: {@code server}, {@code protocol} or {@code command}. */
  public ByteString type() {
    return type;
  }

  /** The message atoms, formatted and joined. */
  public String serverMessage() {
    return serverMessage;
  }
}
