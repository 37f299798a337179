package org.hgrpc.server.spi;

import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;

/**
 * A wire protocol command the server can run.
 *
 * <p>A minimal command:
 *
 * <pre>{@code
 * Command hello = Command.of("hello", Permission.PULL,
 *     List.of(ArgumentSpec.optional("name", ByteString.utf8("world"))),
 *     call -> CommandResponse.object(
 *         ByteString.utf8("hello " + call.arg("name", ByteString.class, ByteString.utf8("world")).utf8())));
 * }</pre>
 *
 * <p>The server validates arguments against {@link #arguments()} before calling
 * {@link #execute}: unknown arguments and missing required ones fail the command with a
 * command error. {@code execute} may throw {@link org.hgrpc.core.reactor.CommandError} for an
 * error the user should see; any other exception is reported as a server error.
 */
public interface Command {

  /** The command's name, as clients send it. */
  ByteString name();

  /** What the command needs: {@code pull} or {@code push}. */
  Permission permission();

  /** The arguments the command accepts, in the order to advertise them. */
  List<ArgumentSpec> arguments();

  /** Runs the command. */
  CommandResponse execute(CommandInvocation invocation) throws Exception;

  /**
   * Whether the command reads command data ({@link CommandInvocation#data()}). The server
   * refuses command data sent to a command that takes none as soon as it knows the command,
   * before it buffers any of it; none of Mercurial's wire commands takes data.
   *
   * @return false unless the command overrides it (or was made with {@link #takingData})
   */
  default boolean takesData() {
    return false;
  }

  /** Runs a command. */
  @FunctionalInterface
  interface Body {
    /** Runs the command. */
    CommandResponse execute(CommandInvocation invocation) throws Exception;
  }

  /** A command from its parts, taking no command data. */
  static Command of(String name, Permission permission, List<ArgumentSpec> arguments, Body body) {
    return of(name, permission, arguments, false, body);
  }

  /** A command from its parts that reads command data ({@link #takesData()}). */
  static Command takingData(String name, Permission permission, List<ArgumentSpec> arguments, Body body) {
    return of(name, permission, arguments, true, body);
  }

  private static Command of(String name, Permission permission, List<ArgumentSpec> arguments, boolean takesData,
      Body body) {
    ByteString n = ByteString.utf8(name);
    List<ArgumentSpec> args = List.copyOf(arguments);
    return new Command() {
      @Override
      public ByteString name() {
        return n;
      }

      @Override
      public Permission permission() {
        return permission;
      }

      @Override
      public List<ArgumentSpec> arguments() {
        return args;
      }

      @Override
      public CommandResponse execute(CommandInvocation invocation) throws Exception {
        return body.execute(invocation);
      }

      @Override
      public boolean takesData() {
        return takesData;
      }

      @Override
      public String toString() {
        return "Command[" + name + "]";
      }
    };
  }
}
