package org.hgrpc.server.exchange;

import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.spi.Command;

/** The server's own argument check, for tests that run commands without a server. */
public final class ArgumentValidation {
  private ArgumentValidation() {}

  /** {@link CommandArguments#validate}: unknown and missing arguments fail as the server fails them under 0001. */
  public static Map<ByteString, Object> validate(Command command, Map<Object, Object> args) {
    return CommandArguments.validate(command, args);
  }

  /** {@link CommandArguments#validate} worded as the server words it under {@code api}. */
  public static Map<ByteString, Object> validate(ExchangeApi api, Command command, Map<Object, Object> args) {
    return CommandArguments.validate(api, command, args);
  }
}
