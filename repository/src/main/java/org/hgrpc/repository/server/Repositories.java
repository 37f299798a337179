package org.hgrpc.repository.server;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.hgrpc.repository.HgRepository;

/**
 * One {@link HgRepository} per directory for the life of the process, so that the commands and
 * the capabilities of a provider share the cached state.
 */
final class Repositories {
  private static final ConcurrentHashMap<Path, HgRepository> OPEN = new ConcurrentHashMap<>();

  private Repositories() {}

  static HgRepository open(Path dir) {
    return OPEN.computeIfAbsent(dir.toAbsolutePath().normalize(), HgRepository::open);
  }
}
