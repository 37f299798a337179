package org.hgrpc.server;

import java.util.List;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * The {@link TestCommands} for the {@code serve} processes {@link ServeCommandTest} forks, which
 * set the system property {@value #PROPERTY}: without a command besides {@code capabilities}
 * {@code serve} refuses to start. Every other test's {@link java.util.ServiceLoader} finds this
 * provider too, and gets no commands from it.
 */
public final class ServeTestProvider implements CommandProvider {
  static final String PROPERTY = "hgrpc.test.serve-commands";

  /** Found by {@link java.util.ServiceLoader}. */
  public ServeTestProvider() {}

  @Override
  public List<Command> commands(ServerContext context) {
    return Boolean.getBoolean(PROPERTY) ? List.of(TestCommands.CUSTOM_READ_ONLY, TestCommands.CUSTOM_READ_WRITE) : List.of();
  }
}
