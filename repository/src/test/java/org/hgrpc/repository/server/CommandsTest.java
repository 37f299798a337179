package org.hgrpc.repository.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.view.LookupFailure;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands through the SPI on the reference fixture: answers and errors beyond the vectors. */
class CommandsTest {
  @TempDir
  static Path dir;
  private static Map<String, Command> commands;

  @BeforeAll
  static void open() throws Exception {
    Path repo = Fixtures.referenceFixture(dir);
    commands = new LinkedHashMap<>();
    RepositoryOptions o = new RepositoryOptions("served", true, true, false, true, Duration.ofSeconds(2));
    new RepositoryCommands(HgRepository.open(repo), o).all().forEach(c -> commands.put(c.name().utf8(), c));
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static Iterator<?> run(String name, Object... keyValues) throws Exception {
    Map<ByteString, Object> args = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      args.put(b((String) keyValues[i]), keyValues[i + 1]);
    }
    CommandResponse r = commands.get(name).execute(new CommandInvocation(1, args, null, null, false));
    return ((CommandResponse.Objects) r).objects();
  }

  @Test
  void workHappensWhenTheResponseIsWritten() throws Exception {
    Iterator<?> lazy = run("lookup", "key", b("doesnotexist"));
    LookupFailure e = assertThrows(LookupFailure.class, lazy::hasNext);
    assertEquals("unknown revision 'doesnotexist'", e.getMessage());
  }

  @Test
  void lookupOfTheWorkingDirectoryIsNull() throws Exception {
    Iterator<?> it = run("lookup", "key", b("2147483647"));
    assertTrue(it.hasNext());
    assertNull(it.next());
    assertTrue(!it.hasNext());
  }

  @Test
  void knownChecksNodeSizes() throws Exception {
    assertEquals(b(""), run("known").next());
    assertEquals(b("10"), run("known", "nodes", List.of(ByteString.wrap(new byte[20]), ByteString.wrap(new byte[20])
        .concat(ByteString.EMPTY).substring(0, 19).concat(b("x")))).next());
    assertEquals("20-byte hash required",
        assertThrows(IllegalArgumentException.class, () -> run("known", "nodes", List.of(b("deadbeef"))).next())
            .getMessage());
    assertEquals("expected string or Unicode object, int found",
        assertThrows(IllegalArgumentException.class, () -> run("known", "nodes", List.of(5L)).next()).getMessage());
  }

  @Test
  void headsPublicOnlyAndTruthiness() throws Exception {
    assertEquals(1, ((List<?>) run("heads", "publiconly", true).next()).size());
    assertEquals(1, ((List<?>) run("heads", "publiconly", 1L).next()).size());
    assertEquals(2, ((List<?>) run("heads", "publiconly", ByteString.EMPTY).next()).size());
  }

  @Test
  void listkeysNamespaces() throws Exception {
    Map<?, ?> ns = (Map<?, ?>) run("listkeys", "namespace", b("namespaces")).next();
    assertEquals(4, ns.size(), "obsolete is listed when markers are exchanged");
    assertEquals(Map.of(), run("listkeys", "namespace", b("obsolete")).next(), "no markers: no keys");
    assertEquals(Map.of(), run("listkeys", "namespace", b("nope")).next());
  }

  @Test
  void pushkeyToOtherNamespaces() throws Exception {
    assertEquals(false, run("pushkey", "namespace", b("namespaces"), "key", b("k"), "old", b(""), "new", b("")).next());
    assertEquals(false, run("pushkey", "namespace", b("nope"), "key", b("k"), "old", b(""), "new", b("")).next());
    assertThrows(RepositoryException.class,
        () -> run("pushkey", "namespace", b("obsolete"), "key", b("dump0"), "old", b(""), "new", b("x")).next());
  }
}
