package org.hgrpc.server.spi;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.exchange.ExchangeApi;

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
 *
 * <p>A command is served under every API unless it says otherwise ({@link #apis()}): the data
 * commands of Mercurial 4.8 exist under {@code exp-http-v2-0003} only, say. Under 0001 a
 * command may answer raw bytes ({@link CommandResponse.Bytes}); 0003 carries objects only.
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

  /** The APIs that offer this command: all of them unless it says otherwise. */
  default Set<ExchangeApi> apis() {
    return EnumSet.allOf(ExchangeApi.class);
  }

  /**
   * Whether the {@code capabilities} list this command now (asked at each request). A command
   * left out is still served: Mercurial 4.8 leaves {@code rawstorefiledata} out where stream
   * clones are not allowed, and the command answers that they are disabled.
   */
  default boolean advertised() {
    return true;
  }

  /**
   * Extra entries for this command's map in the 0003 capabilities, next to {@code args} and
   * {@code permissions} (Mercurial 4.8's {@code extracapabilitiesfn}: {@code
   * recommendedbatchsize}, say). Keys byte strings, values CBOR-encodable.
   */
  default Map<ByteString, Object> capabilityExtras() {
    return Map.of();
  }

  /** This command, offered under {@code apis} only. */
  default Command withApis(Set<ExchangeApi> apis) {
    Set<ExchangeApi> copy = apis.isEmpty() ? EnumSet.noneOf(ExchangeApi.class) : EnumSet.copyOf(apis);
    return new DelegatingCommand(this) {
      @Override
      public Set<ExchangeApi> apis() {
        return EnumSet.copyOf(copy);
      }
    };
  }

  /** This command, listed in the capabilities only while {@code advertised} says so. */
  default Command withAdvertised(BooleanSupplier advertised) {
    return new DelegatingCommand(this) {
      @Override
      public boolean advertised() {
        return advertised.getAsBoolean();
      }
    };
  }

  /** This command, with {@code extras} in its 0003 capabilities entry. */
  default Command withCapabilityExtras(Map<ByteString, Object> extras) {
    Map<ByteString, Object> copy = Map.copyOf(extras);
    return new DelegatingCommand(this) {
      @Override
      public Map<ByteString, Object> capabilityExtras() {
        return copy;
      }
    };
  }

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
