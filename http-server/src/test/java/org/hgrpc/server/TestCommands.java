package org.hgrpc.server;

import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.server.spi.Permission;

/** The two commands the reference's HTTP tests register, and a registry holding them. */
final class TestCommands {
  private TestCommands() {}

  static final Command CUSTOM_READ_ONLY = Command.of("customreadonly", Permission.PULL, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadonly bytes response")));

  static final Command CUSTOM_READ_WRITE = Command.of("customreadwrite", Permission.PUSH, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadwrite bytes response")));

  static CommandRegistry registry() {
    return CommandRegistry.builder().add(CUSTOM_READ_ONLY).add(CUSTOM_READ_WRITE).build();
  }
}
