package org.hgrpc.server;

import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/** The two commands the reference's HTTP tests register, and a registry holding them. */
public final class TestCommands {
  private TestCommands() {}

  public static final Command CUSTOM_READ_ONLY = Command.of("customreadonly", Permission.PULL, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadonly bytes response")));

  public static final Command CUSTOM_READ_WRITE = Command.of("customreadwrite", Permission.PUSH, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadwrite bytes response")));

  /**
   * The two commands, for a registry that also has others.
   *
   * @return {@link #CUSTOM_READ_ONLY} and {@link #CUSTOM_READ_WRITE}
   */
  public static List<Command> all() {
    return List.of(CUSTOM_READ_ONLY, CUSTOM_READ_WRITE);
  }

  /**
   * A registry of the two commands only.
   *
   * @return the registry
   */
  public static CommandRegistry registry() {
    return CommandRegistry.builder().add(CUSTOM_READ_ONLY).add(CUSTOM_READ_WRITE).build();
  }
}
