package org.hgrpc.repository.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The small example repository bundled with the server, for {@code serve --demo}: a few
 * changesets on {@code default} and {@code stable}, a tag ({@code v1.0}), a bookmark
 * ({@code main}) and a draft changeset. Made by {@code src/demo/make-demo-repository.sh}.
 *
 * <pre>{@code
 * Path repo = DemoRepository.unpack(Files.createTempDirectory("hgrpc-demo"));
 * }</pre>
 */
public final class DemoRepository {
  private static final String RESOURCE = "demo-repository.tar.gz";

  private DemoRepository() {}

  /**
   * Unpacks the demo repository into {@code target} (created if missing).
   *
   * @return the repository's root, the directory holding {@code .hg}
   * @throws UncheckedIOException if it cannot be written
   */
  public static Path unpack(Path target) {
    try (InputStream in = DemoRepository.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the demo repository is missing from the class path (" + RESOURCE + ")");
      }
      TarArchive.extractTarGz(in, target);
      return target.resolve("demo");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the demo repository into " + target + ": " + e.getMessage(), e);
    }
  }
}
