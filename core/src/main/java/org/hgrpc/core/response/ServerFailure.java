package org.hgrpc.core.response;

import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * The server answered a request with an error frame ({@code error-response}):
 * {@code {b'type': type, b'message': [{b'msg': format, b'args': [...]}, ...]}}. The type says
 * whose fault it is: {@code server} (a failure while running the command), {@code protocol}
 * (the server refused the client's frames) or {@code command}.
 *
 * @param type the error's type; a type that was not a byte string is kept as its text
 * @param message the atoms, formatted and joined ({@link MessageFormatter#formatAtoms})
 * @param rawMessage the {@code message} value as decoded
 */
public record ServerFailure(ByteString type, String message, Object rawMessage) {
  public ServerFailure {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }

  /** The failure an error frame's decoded {@code type} and {@code message} describe. */
  public static ServerFailure of(Object type, Object message) {
    ByteString t = type instanceof ByteString ? (ByteString) type : ByteString.utf8(String.valueOf(type));
    return new ServerFailure(t, MessageFormatter.formatAtoms(message), message);
  }
}
