package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameReader;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.StoreTextsOf;
import org.hgrpc.server.spi.CommandProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link AbstractHttpReplaySuite} against the WAR ({@code target/hgrpc-server-webapp.war}) in a
 * stock Jetty 12: the build unpacks {@code jetty-home} from Maven Central into {@code
 * target/jetty-home}; this test makes a Jetty base with the {@code http} and {@code ee10-deploy}
 * modules in {@code target/war-it}, deploys the unchanged WAR there several times, runs {@code
 * java -jar start.jar} as a child process on 127.0.0.1 and replays every exchange of the vectors:
 *
 * <ul>
 *   <li>one context per group at {@code /GROUP}, by a context XML whose {@code web.xml} names
 *       the group's hgrc file and its repository (init parameters {@code hgrc} and {@code
 *       repository}): the reference fixture for {@code repo}, the hg 4.8 fixture for the 0006
 *       groups ({@code repo48}, {@code readonly48}, ...), an empty repository for the
 *       others, which also get a jar holding {@link TestCommandProvider} (and its {@code
 *       META-INF/services} entry) on the webapp's class path, found by {@link
 *       java.util.ServiceLoader} as a user's own commands would be;
 *   <li>as {@code webapps/ROOT.war}, the way a user drops it in with its own {@code web.xml}:
 *       the {@code default} group's exchanges that need no command but the built-in {@code
 *       capabilities} (the WAR's {@code web.xml} sets the {@code default} group's hgrc).
 * </ul>
 *
 * <p>Jetty is stopped at the end.
 */
class WarReplayIT extends AbstractHttpReplaySuite {
  private static final String FRAMING = "application/mercurial-exp-framing-0005";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Exchanges of the {@code default} group answered before any command is looked up. */
  static final Set<String> WITHOUT_COMMANDS = Set.of(
      "api root lists apis",
      "unknown api",
      "http v2 root",
      "permission only",
      "unknown permission",
      "unknown command",
      "GET read-only command",
      "GET read-write",
      "GET unknown read-write",
      "read-write needs ssl",
      "debugreflect disabled");

  /** The commands of a group context: the built-in, the repository's and the two test commands. */
  private static final Set<String> GROUP_COMMANDS = Set.of("capabilities", "branchmap", "heads", "known",
      "listkeys", "lookup", "pushkey", "customreadonly", "customreadwrite");

  private static final Pattern CONNECTOR_PORT =
      Pattern.compile("Started \\S*ServerConnector@\\S*\\{[^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private static final Map<String, Path> REPOSITORIES = new java.util.concurrent.ConcurrentHashMap<>();
  private static Path war;
  private static Path base;
  private static Path log;
  private static Process jetty;
  private static Thread killOnExit;
  private static URI root;

  @BeforeAll
  static void startJetty() throws Exception {
    war = Path.of(property("hgrpc.it.war", "target/hgrpc-server-webapp.war")).toAbsolutePath();
    Path home = jettyHome();
    base = Path.of(property("hgrpc.it.dir", "target/war-it")).toAbsolutePath().resolve("jetty-base");
    assertTrue(Files.isRegularFile(war), "no WAR at " + war + ": run mvn verify (package builds it)");
    assertTrue(Files.isRegularFile(home.resolve("start.jar")), "no start.jar in " + home);
    deleteRecursively(base);
    Files.createDirectories(base);
    log = base.resolve("jetty.log");

    long t0 = System.nanoTime();
    Process add = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
        "jetty.home=" + home, "jetty.base=" + base, "--add-modules=http,ee10-deploy")
        .directory(base.toFile()).redirectErrorStream(true)
        .redirectOutput(base.resolve("add-modules.log").toFile()).start();
    if (!add.waitFor(60, TimeUnit.SECONDS)) {
      add.destroyForcibly();
      fail("start.jar --add-modules did not finish in 60 s");
    }
    assertEquals(0, add.exitValue(), () -> "start.jar --add-modules failed:\n" + read(base.resolve("add-modules.log")));
    assertTrue(Files.isRegularFile(base.resolve("start.d/ee10-deploy.ini")), () -> read(base.resolve("add-modules.log")));

    long t1 = System.nanoTime();
    // Jetty unpacks WARs into $JETTY_BASE/work when it exists (instead of java.io.tmpdir).
    Files.createDirectories(base.resolve("work"));
    Path webapps = base.resolve("webapps");
    Files.copy(war, webapps.resolve("ROOT.war"));
    Path commandsJar = writeTestCommandsJar(base.resolve("test-commands/hgrpc-test-commands.jar"));
    for (Map.Entry<String, String> group : groupHgrcs().entrySet()) {
      deployGroup(webapps, group.getKey(), group.getValue(), commandsJar);
    }

    jetty = new ProcessBuilder(java(), "-Xmx256m", "-jar", home.resolve("start.jar").toString(),
        "jetty.home=" + home, "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=0")
        .directory(base.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long t2 = System.nanoTime();
    Process started = jetty;
    killOnExit = new Thread(() -> {
      started.descendants().forEach(ProcessHandle::destroyForcibly);
      started.destroyForcibly();
    });
    Runtime.getRuntime().addShutdownHook(killOnExit);

    int port = awaitStarted();
    root = URI.create("http://127.0.0.1:" + port);
    System.out.printf("WarReplayIT: %s: base made in %d ms, Jetty answering %d ms after launch; %s at %s and %s/GROUP%n",
        home.getFileName(), (t1 - t0) / 1_000_000, (System.nanoTime() - t2) / 1_000_000, war.getFileName(),
        root, root);
  }

  /** Each group's hgrc, from the vectors. */
  private static Map<String, String> groupHgrcs() {
    Map<String, String> hgrcs = new TreeMap<>();
    for (JsonNode row : rows()) {
      hgrcs.putIfAbsent(row.get("group").asText(), row.get("hgrc").asText());
    }
    for (JsonNode row : rows0006()) {
      hgrcs.putIfAbsent(row.get("group").asText(), row.get("hgrc").asText());
    }
    return hgrcs;
  }

  /**
   * The WAR at {@code /GROUP} with a {@code web.xml} of its own: the servlet with init parameters
   * naming the group's hgrc file and its repository; for groups other than {@code repo}, the test
   * commands jar on the class path.
   */
  private static void deployGroup(Path webapps, String group, String hgrc, Path commandsJar) throws IOException {
    Path dir = Files.createDirectories(base.resolve("groups").resolve(group));
    Path hgrcFile = Files.writeString(dir.resolve("hgrc"), hgrc);
    boolean repo48 = group.endsWith("48");
    boolean repo = repo48 || group.equals(REPO_GROUP);
    Path repository = repo48 ? Fixtures.repo48Fixture(dir.resolve("fixture"))
        : repo ? Fixtures.referenceFixture(dir.resolve("fixture")) : Fixtures.emptyRepository(dir.resolve("empty"));
    REPOSITORIES.put(group, repository);
    Path webXml = Files.writeString(dir.resolve("web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <servlet>
            <servlet-name>hgrpc</servlet-name>
            <servlet-class>org.hgrpc.server.HgrpcServlet</servlet-class>
            <init-param><param-name>hgrc</param-name><param-value>%s</param-value></init-param>
            <init-param><param-name>repository</param-name><param-value>%s</param-value></init-param>
            <load-on-startup>1</load-on-startup>
          </servlet>
          <servlet-mapping>
            <servlet-name>hgrpc</servlet-name>
            <url-pattern>/*</url-pattern>
          </servlet-mapping>
        </web-app>
        """.formatted(xml(hgrcFile.toString()), xml(repository.toString())));
    Files.writeString(webapps.resolve(group + ".xml"), """
        <?xml version="1.0"?>
        <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
        <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
          <Set name="contextPath">/%s</Set>
          <Set name="war">%s</Set>
          <Set name="descriptor">%s</Set>
          %s
        </Configure>
        """.formatted(group, xml(war.toString()), xml(webXml.toString()),
        repo ? "" : "<Set name=\"extraClasspath\">" + xml(commandsJar.toString()) + "</Set>"));
  }

  @Override
  protected boolean replays(String group, String name) {
    return true; // every row: each group has its context, with the repository it was recorded on
  }

  /** Every row of the 0006 vectors too: each {@code *48} group has its context on a copy of the 4.8 fixture. */
  @Override
  protected boolean replays0006(String group, String name) {
    return true;
  }

  @Override
  protected Replay0006.StoreTexts storeTexts(String group) {
    return StoreTextsOf.repository(REPOSITORIES.get(group));
  }

  @Override
  protected URI baseUri(String group, String hgrc) {
    return url("/" + group, "");
  }

  @AfterAll
  static void stopJetty() throws Exception {
    if (jetty == null) {
      return;
    }
    List<ProcessHandle> children = jetty.descendants().toList();
    jetty.destroy();
    boolean stopped = jetty.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!stopped) {
      jetty.destroyForcibly();
      jetty.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    System.out.println("WarReplayIT: Jetty's log (" + log + "):\n" + read(log));
    assertTrue(stopped, "Jetty did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
  }

  @Test
  void warHoldsItsLibrariesAndNotTheContainers() throws IOException {
    Set<String> names;
    try (ZipFile zip = new ZipFile(war.toFile())) {
      names = zip.stream().map(e -> e.getName()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> libs = names.stream().filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
        .map(n -> n.substring("WEB-INF/lib/".length())).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(names.contains("WEB-INF/web.xml"), names::toString);
    for (String needed : List.of("hgrpc-http-server-", "hgrpc-repository-", "hgrpc-core-", "jackson-core-",
        "jackson-dataformat-cbor-", "zstd-jni-")) {
      assertTrue(libs.stream().anyMatch(l -> l.startsWith(needed)), () -> "no " + needed + "*.jar in " + libs);
    }
    for (String containers : List.of("jetty-", "jakarta.", "servlet-api", "picocli-", "slf4j-")) {
      assertFalse(libs.stream().anyMatch(l -> l.startsWith(containers) || l.contains(containers)),
          () -> "the container provides " + containers + "*, yet the WAR has " + libs);
    }
  }

  /** The WAR dropped in as it is: its own web.xml (the default group's settings), no repository. */
  @TestFactory
  Stream<DynamicTest> rootWarExchanges() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode row : rows()) {
      if (row.get("group").asText().equals("default") && WITHOUT_COMMANDS.contains(row.get("name").asText())) {
        tests.add(DynamicTest.dynamicTest(row.get("name").asText(), () -> replay(url("", ""), row)));
      }
    }
    assertEquals(WITHOUT_COMMANDS.size(), tests.size(), "every exchange named in WITHOUT_COMMANDS is in the vectors");
    return tests.stream();
  }

  @Test
  void capabilitiesCommandOnRootWar() throws Exception {
    Map<?, ?> caps = capabilities("");
    assertEquals(Set.of(b("capabilities")), ((Map<?, ?>) caps.get(b("commands"))).keySet(), caps::toString);
  }

  /** The WAR's own repository commands and the test commands' jar, both found by ServiceLoader. */
  @Test
  void capabilitiesCommandListsRepositoryAndServiceLoaderCommands() throws Exception {
    Map<?, ?> caps = capabilities("/default");
    Map<?, ?> commands = (Map<?, ?>) caps.get(b("commands"));
    assertEquals(GROUP_COMMANDS.stream().map(WarReplayIT::b).collect(Collectors.toSet()), commands.keySet(),
        caps::toString);
    assertEquals(List.of(b("pull")), ((Map<?, ?>) commands.get(b("customreadonly"))).get(b("permissions")));
    assertEquals(List.of(b("push")), ((Map<?, ?>) commands.get(b("customreadwrite"))).get(b("permissions")));
  }

  /** Runs {@code capabilities} on the read-only URL of {@code context} and decodes its map. */
  private static Map<?, ?> capabilities(String context) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    FrameIterator frames = Frames.createCommandFrames(new FrameStream(1), 1, b("capabilities"), Map.of(), null);
    while (frames.hasNext()) {
      frames.next().writeTo(body);
    }
    HttpResponse<byte[]> resp = HTTP.send(HttpRequest.newBuilder(url(context, "/api/exp-http-v2-0001/ro/capabilities"))
        .timeout(Duration.ofSeconds(20)).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, resp.statusCode(), () -> new String(resp.body(), StandardCharsets.UTF_8));
    assertEquals(Optional.of(FRAMING), resp.headers().firstValue("Content-Type"));

    FrameReader reader = new FrameReader(new ByteArrayInputStream(resp.body()), Limits.DEFAULTS);
    ByteArrayOutputStream cbor = new ByteArrayOutputStream();
    boolean eos = false;
    for (Frame f = reader.readFrame(); f != null; f = reader.readFrame()) {
      assertFalse(eos, "a frame after end of stream: " + f);
      assertEquals(Optional.of(FrameType.COMMAND_RESPONSE), f.type(org.hgrpc.core.Framing.V0005), f::toString);
      assertEquals(1, f.requestId(), f::toString);
      cbor.write(f.payload().toByteArray());
      eos = (f.flags() & FrameConstants.FLAG_COMMAND_RESPONSE_EOS) != 0;
    }
    assertTrue(eos, "the response has no end-of-stream frame");
    List<Object> values = CborDecoder.decodeAll(ByteString.wrap(cbor.toByteArray()));
    assertEquals(2, values.size(), values::toString);
    assertEquals(Map.of(b("status"), b("ok")), values.get(0));
    Map<?, ?> caps = assertInstanceOf(Map.class, values.get(1));
    assertEquals(List.of(b(FRAMING)), caps.get(b("framingmediatypes")), caps::toString);
    assertInstanceOf(Map.class, caps.get(b("commands")), caps::toString);
    return caps;
  }

  /** Waits until Jetty logs that it started and answers HTTP; returns its port. */
  private static int awaitStarted() throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Integer port = null;
    while (System.nanoTime() < deadline) {
      if (!jetty.isAlive()) {
        fail("Jetty exited with " + jetty.exitValue() + " before it started:\n" + read(log));
      }
      String text = read(log);
      if (port == null) {
        Matcher m = CONNECTOR_PORT.matcher(text);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      if (port != null && text.contains("Started oejs.Server@")) {
        try {
          HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
          return port;
        } catch (IOException notYet) {
          // not answering yet
        }
      }
      Thread.sleep(100);
    }
    fail("Jetty did not start within " + START_TIMEOUT.toSeconds() + " s:\n" + read(log));
    return -1;
  }

  /** A jar with the test command provider, the test commands and the provider's services entry. */
  private static Path writeTestCommandsJar(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("META-INF/services/" + CommandProvider.class.getName()));
      out.write((TestCommandProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (Class<?> c : List.of(TestCommandProvider.class, TestCommands.class)) {
        String entry = c.getName().replace('.', '/') + ".class";
        try (InputStream in = WarReplayIT.class.getResourceAsStream("/" + entry)) {
          assertTrue(in != null, "no class file " + entry + " on the test class path");
          out.putNextEntry(new JarEntry(entry));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private static Path jettyHome() throws IOException {
    String home = System.getProperty("hgrpc.it.jetty-home");
    if (home != null) {
      return Path.of(home).toAbsolutePath();
    }
    // Run outside Maven's failsafe: whichever jetty-home the build unpacked.
    try (Stream<Path> dirs = Files.list(Path.of("target/jetty-home"))) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow().toAbsolutePath();
    }
  }

  private static String property(String name, String orElse) {
    return System.getProperty(name, orElse);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static URI url(String context, String path) {
    return URI.create(root + context + path);
  }

  private static String read(Path file) {
    try {
      // Lenient decoding: Jetty may be in the middle of writing a line.
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
