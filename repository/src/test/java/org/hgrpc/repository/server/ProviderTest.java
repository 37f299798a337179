package org.hgrpc.repository.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.zip.GZIPOutputStream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderTest {
  private static final ByteString RAW = ByteString.latin1("rawrepoformats");

  @TempDir
  Path dir;

  private static ServerContext context(Path repo, String hgrc) {
    return new ServerContext(Optional.ofNullable(repo), HgrcConfig.parse(hgrc, "test", null));
  }

  @Test
  void foundByServiceLoader() {
    boolean found = false;
    for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
      found |= p instanceof RepositoryCommandProvider;
    }
    assertTrue(found);
  }

  @Test
  void nothingWithoutARepository() throws Exception {
    RepositoryCommandProvider p = new RepositoryCommandProvider();
    assertTrue(p.commands(context(null, "")).isEmpty());
    assertTrue(p.commands(context(dir, "")).isEmpty(), "a directory without .hg");
    assertTrue(p.capabilities(context(dir, "")).isEmpty());
  }

  @Test
  void commandsWithTheReferencesSpecs() throws Exception {
    Path repo = Fixtures.emptyRepository(dir.resolve("empty"));
    List<Command> commands = new RepositoryCommandProvider().commands(context(repo, ""));
    assertEquals(List.of("branchmap", "heads", "known", "listkeys", "lookup", "pushkey",
        "changesetdata", "manifestdata", "filedata", "filesdata", "rawstorefiledata"),
        commands.stream().map(c -> c.name().utf8()).toList());
    for (Command c : commands) {
      assertEquals(c.name().utf8().equals("pushkey") ? Permission.PUSH : Permission.PULL, c.permission());
    }
  }

  /** The data commands are Mercurial 4.8's: API exp-http-v2-0003 only; the others under both APIs. */
  @Test
  void dataCommandsUnderApi0003Only() throws Exception {
    Path repo = Fixtures.emptyRepository(dir.resolve("empty"));
    for (Command c : new RepositoryCommandProvider().commands(context(repo, ""))) {
      boolean data = c.name().utf8().endsWith("data");
      assertEquals(data ? EnumSet.of(ExchangeApi.HTTP_V2_0003) : EnumSet.allOf(ExchangeApi.class), c.apis(),
          c.name().utf8());
    }
  }

  @Test
  void api0003CapabilitiesListFormatsWhateverStreamClonesAllowAndThePathFilterPrefixes() throws Exception {
    Path fixture = Fixtures.referenceFixture(dir.resolve("fixture"));
    Map<ByteString, Object> caps = new RepositoryCommandProvider().capabilities(context(fixture, ""),
        ExchangeApi.HTTP_V2_0003);
    assertTrue(caps.containsKey(RAW), caps::toString);
    assertEquals(Set.of(ByteString.latin1("path:"), ByteString.latin1("rootfilesin:")),
        caps.get(ByteString.latin1("pathfilterprefixes")));
  }

  @Test
  void rawRepoFormatsOnlyWhenStreamClonesAreAllowed() throws Exception {
    Path empty = Fixtures.emptyRepository(dir.resolve("empty"));
    RepositoryCommandProvider p = new RepositoryCommandProvider();
    assertEquals(Map.of(RAW, List.of(ByteString.latin1("generaldelta"), ByteString.latin1("revlogv1"))),
        p.capabilities(context(empty, "")));
    assertTrue(p.capabilities(context(empty, "[server]\nuncompressed = false\n")).isEmpty());
    Path fixture = Fixtures.referenceFixture(dir.resolve("fixture"));
    assertTrue(p.capabilities(context(fixture, "")).isEmpty(), "a secret changeset forbids stream clones");
    assertFalse(p.capabilities(context(fixture, "[server]\nuncompressedallowsecret = true\n")).isEmpty());
  }

  @Test
  void optionsFromConfiguration() {
    RepositoryOptions o = RepositoryOptions.from(HgrcConfig.parse(
        "[web]\nview = visible\n[phases]\npublish = false\n[experimental]\nevolution = createmarkers exchange\n"
            + "[ui]\ntimeout = 3\n", "t", null));
    assertEquals("visible", o.view());
    assertFalse(o.publishing());
    assertTrue(o.obsoleteExchange());
    assertEquals(3, o.lockTimeout().getSeconds());
    assertTrue(RepositoryOptions.defaults().publishing());
    assertFalse(RepositoryOptions.defaults().obsoleteExchange());
  }

  @Test
  void pythonTruthiness() {
    assertFalse(RepositoryCommands.truthy(null));
    assertFalse(RepositoryCommands.truthy(false));
    assertFalse(RepositoryCommands.truthy(0L));
    assertFalse(RepositoryCommands.truthy(ByteString.EMPTY));
    assertFalse(RepositoryCommands.truthy(List.of()));
    assertTrue(RepositoryCommands.truthy(true));
    assertTrue(RepositoryCommands.truthy(1L));
    assertTrue(RepositoryCommands.truthy(ByteString.latin1("x")));
  }

  @Test
  void tarArchivesCannotEscapeTheTarget() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] header = new byte[512];
    byte[] name = "../evil".getBytes();
    System.arraycopy(name, 0, header, 0, name.length);
    byte[] size = "00000000000\0".getBytes();
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = '0';
    raw.writeBytes(header);
    raw.writeBytes(new byte[1024]);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(raw.toByteArray());
    }
    IOException e = assertThrows(IOException.class,
        () -> TarArchive.extractTarGz(new java.io.ByteArrayInputStream(gz.toByteArray()), dir.resolve("t")));
    assertTrue(e.getMessage().contains("escapes"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("evil")));
  }
}
