package org.hgrpc.repository;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.server.RepositoryCommands;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;

/** Runs our repository commands directly through the SPI, as the server would. */
final class ListkeysProbe {
  private ListkeysProbe() {}

  static Object run(Path repo, RepositoryOptions options, String command, Map<ByteString, Object> args)
      throws Exception {
    for (Command c : new RepositoryCommands(HgRepository.open(repo), options).all()) {
      if (c.name().equals(ByteString.latin1(command))) {
        CommandResponse r = c.execute(new CommandInvocation(1, args, null, null, false));
        return ((CommandResponse.Objects) r).objects().next();
      }
    }
    throw new AssertionError("no command " + command);
  }

  static Object listkeys(Path repo, String namespace, boolean obsoleteExchange) throws Exception {
    RepositoryOptions o = new RepositoryOptions("served", true, true, false, obsoleteExchange, Duration.ofSeconds(5));
    return run(repo, o, "listkeys", Map.of(ByteString.latin1("namespace"), ByteString.latin1(namespace)));
  }
}
