package org.hgrpc.repository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hgrpc.repository.server.TarArchive;

/** Test repositories: the reference's fixture, and an empty repository as Mercurial 4.7 creates it. */
public final class Fixtures {
  private Fixtures() {}

  /** Unpacks the fixture of the {@code repo} vectors under {@code dir}; returns its root. */
  public static Path referenceFixture(Path dir) throws IOException {
    try (InputStream in = Fixtures.class.getResourceAsStream("/vectors/repo-fixture.tar.gz")) {
      TarArchive.extractTarGz(in, dir);
    }
    return dir.resolve("server");
  }

  /** Unpacks the fixture of the 0006 (hg 4.8) vectors under {@code dir}; returns its root. */
  public static Path repo48Fixture(Path dir) throws IOException {
    try (InputStream in = Fixtures.class.getResourceAsStream("/vectors/v0006/repo48-fixture.tar.gz")) {
      TarArchive.extractTarGz(in, dir);
    }
    return dir.resolve("server");
  }

  /** An empty repository with Mercurial 4.7's default requirements. */
  public static Path emptyRepository(Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".hg").resolve("store"));
    Files.write(dir.resolve(".hg").resolve("requires"),
        "dotencode\nfncache\ngeneraldelta\nrevlogv1\nstore\n".getBytes(StandardCharsets.US_ASCII));
    return dir;
  }
}
