package org.hgrpc.server;

import java.util.List;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * Serves the two {@link TestCommands} through the command SPI. {@code WarReplayIT} (server module) packs this
 * class, {@link TestCommands} and a {@code META-INF/services} entry into a jar on the deployed
 * WAR's class path. The services entry exists only in that jar, so that no unit test's
 * {@link java.util.ServiceLoader} finds these commands.
 */
public final class TestCommandProvider implements CommandProvider {
  /** Found by {@link java.util.ServiceLoader}. */
  public TestCommandProvider() {}

  @Override
  public List<Command> commands(ServerContext context) {
    return TestCommands.all();
  }
}
