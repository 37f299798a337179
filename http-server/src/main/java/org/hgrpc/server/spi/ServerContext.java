package org.hgrpc.server.spi;

import java.nio.file.Path;
import java.util.Optional;
import org.hgrpc.server.config.HgrcConfig;

/**
 * What a {@link CommandProvider} learns about the server it serves: the repository directory
 * (if any) and the configuration.
 *
 * @param repository the served repository's directory (the one holding {@code .hg}), if any
 * @param config the effective configuration (repository hgrc, then {@code --config} options)
 */
public record ServerContext(Optional<Path> repository, HgrcConfig config) {
  /** Requires both. */
  public ServerContext {
    java.util.Objects.requireNonNull(repository, "repository");
    java.util.Objects.requireNonNull(config, "config");
  }
}
