package org.hgrpc.client.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hgrpc.client.HttpVectorsAccess;
import org.hgrpc.client.cli.HgrpcCli;
import org.hgrpc.client.cli.Io;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ServerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every recipe of {@code docs/curl.md} as written. A recipe is an {@code sh} block after
 * a {@code <!-- recipe: KIND -->} marker, followed by a {@code text} block with what its last
 * command prints:
 *
 * <ul>
 *   <li>{@code live}: against the embedded server started as the doc's {@code <!-- serve -->}
 *       block says ({@code --config} options and all, on a free port instead of 8000);
 *   <li>{@code recorded "NAME"}: the request (URL path and body file) must be the recorded
 *       exchange NAME's, whose recorded response then goes down the pipeline;
 *   <li>{@code local}: no server.
 * </ul>
 *
 * <p>{@code curl} is emulated with {@code java.net.http} (its options used in the doc:
 * {@code --data-binary @FILE}, {@code -H}, {@code -w '%{http_code}'}, {@code -sS}), and
 * {@code hgrpc} is the CLI run in-process. {@code hgrpc frames encode ... -o FILE} writes to a
 * temporary file that must equal the committed FILE.
 */
class CurlRecipesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path DOC = ROOT.resolve("docs").resolve("curl.md");
  private static final String DOC_BASE = "http://127.0.0.1:8000/";
  private static final Pattern MARKER = Pattern.compile("<!-- recipe: (live|local|recorded \"([^\"]+)\") -->");

  private static HgrpcServer server;

  @TempDir
  static Path tmp;

  /** One recipe of the doc. */
  record Recipe(String kind, String vector, List<String> commands, String expected, int line) {}

  @BeforeAll
  static void startTheDocumentedServer() throws Exception {
    List<String> words = ShellWords.split(block(Files.readString(DOC), "<!-- serve -->", "sh").get(0));
    assertEquals(List.of("java", "-jar", "server/target/hgrpc-server.jar", "serve"), words.subList(0, 4));
    // As ServeCommand builds its server: API on, then each --config.
    HgrcConfig config = HgrcConfig.empty().withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    for (int i = 4; i < words.size(); i++) {
      if (words.get(i).equals("--config")) {
        config = config.withOverride(words.get(++i));
      } else if (words.get(i).equals("-p") || words.get(i).equals("-a")) {
        i++; // port and address: a free port on the loopback instead
      }
    }
    CommandRegistry registry = CommandRegistry.builder()
        .loadProviders(new ServerContext(Optional.empty(), config), CurlRecipesTest.class.getClassLoader()).build();
    server = HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(config))
        .registry(registry).errorLog(new PrintStream(new ByteArrayOutputStream(), true)).build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void theDocHasRecipesOfEveryKind() throws Exception {
    List<Recipe> recipes = recipes();
    assertTrue(recipes.size() >= 10, "recipes: " + recipes.size());
    for (String kind : List.of("live", "local", "recorded")) {
      assertTrue(recipes.stream().anyMatch(r -> r.kind().equals(kind)), kind);
    }
  }

  @Test
  void everyCommittedExampleIsUsedByARecipe() throws Exception {
    String doc = Files.readString(DOC);
    try (Stream<Path> files = Files.list(ROOT.resolve("docs").resolve("examples"))) {
      files.forEach(f -> assertTrue(doc.contains("docs/examples/" + f.getFileName()), f + " is not in curl.md"));
    }
  }

  @TestFactory
  Stream<DynamicTest> recipesWorkAsWritten() throws Exception {
    return recipes().stream().map(r -> DynamicTest.dynamicTest("curl.md line " + r.line() + " (" + r.kind() + ")",
        () -> run(r)));
  }

  private void run(Recipe recipe) throws Exception {
    byte[] output = new byte[0];
    for (String command : recipe.commands()) {
      output = runPipeline(recipe, ShellWords.split(command));
    }
    assertEquals(recipe.expected(), new String(output, StandardCharsets.UTF_8));
  }

  private byte[] runPipeline(Recipe recipe, List<String> words) throws Exception {
    byte[] data = new byte[0];
    List<String> stage = new ArrayList<>();
    List<List<String>> stages = new ArrayList<>();
    for (String w : words) {
      if (w.equals("|")) {
        stages.add(stage);
        stage = new ArrayList<>();
      } else {
        stage.add(w);
      }
    }
    stages.add(stage);
    for (List<String> s : stages) {
      String program = s.get(0);
      if (program.equals("curl")) {
        data = curl(recipe, s.subList(1, s.size()));
      } else if (program.equals("hgrpc")) {
        data = hgrpc(s.subList(1, s.size()), data);
      } else {
        throw new AssertionError("the recipes use curl and hgrpc only, not " + program);
      }
    }
    return data;
  }

  /** The CLI in-process; {@code frames encode -o FILE} must reproduce the committed FILE. */
  private static byte[] hgrpc(List<String> args, byte[] stdin) throws Exception {
    List<String> a = new ArrayList<>();
    Path committed = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-o") || arg.equals("--output")) && args.subList(0, 2).equals(List.of("frames", "encode"))) {
        committed = ROOT.resolve(args.get(++i));
        a.add(arg);
        a.add(tmp.resolve(committed.getFileName()).toString());
      } else {
        a.add(arg.startsWith("docs/") ? ROOT.resolve(arg).toString() : arg);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HgrpcCli.run(new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false), a.toArray(new String[0]));
    assertEquals(0, code, "hgrpc " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
    if (committed != null) {
      assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(tmp.resolve(committed.getFileName())),
          committed + " is not what its command makes");
    }
    return out.toByteArray();
  }

  /** What curl would print for these options. */
  private static byte[] curl(Recipe recipe, List<String> args) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = null;
    Path bodyFile = null;
    String format = null;
    String url = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-sS":
          break;
        case "-H": {
          String h = args.get(++i);
          int colon = h.indexOf(':');
          headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
          break;
        }
        case "--data-binary": {
          String v = args.get(++i);
          assertTrue(v.startsWith("@"), v);
          bodyFile = ROOT.resolve(v.substring(1));
          body = Files.readAllBytes(bodyFile);
          break;
        }
        case "-w":
          format = args.get(++i);
          break;
        default:
          assertFalse(a.startsWith("-"), "curl option not emulated: " + a);
          url = a;
      }
    }
    assertTrue(url != null && url.startsWith(DOC_BASE), "the recipes use " + DOC_BASE + ": " + url);
    if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
      headers.put("Content-Type", "application/x-www-form-urlencoded"); // what curl sends for --data-binary
    }

    int status;
    byte[] response;
    if (recipe.kind().equals("recorded")) {
      HttpVectorsAccess.Recorded v = HttpVectorsAccess.recorded(recipe.vector());
      assertEquals(v.path(), URI.create(url).getRawPath() + (URI.create(url).getRawQuery() == null ? ""
          : "?" + URI.create(url).getRawQuery()), "the URL of " + recipe.vector());
      assertArrayEquals(v.requestBody(), body, bodyFile + " is not the reference client's request");
      assertEquals("application/mercurial-exp-framing-0005", headers.get("Content-Type"));
      assertEquals("application/mercurial-exp-framing-0005", headers.get("Accept"));
      status = v.status();
      response = v.responseBody();
    } else {
      assertEquals("live", recipe.kind());
      URI uri = server.uri().resolve(url.substring(DOC_BASE.length()));
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
      headers.forEach(request::header);
      request.method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body));
      HttpResponse<byte[]> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      status = r.statusCode();
      response = r.body();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(response);
    if (format != null) {
      String w = format.replace("%{http_code}", Integer.toString(status)).replace("\\n", "\n");
      assertFalse(w.contains("%{"), "curl -w variable not emulated: " + format);
      out.writeBytes(w.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  // ---- reading the doc ----

  static List<Recipe> recipes() throws Exception {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    List<Recipe> recipes = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i).strip());
      if (!m.matches()) {
        continue;
      }
      int at = i + 1;
      int[] next = new int[1];
      List<String> script = fence(lines, at, "sh", next);
      List<String> expected = fence(lines, next[0], "text", next);
      String kind = m.group(1).startsWith("recorded") ? "recorded" : m.group(1);
      recipes.add(new Recipe(kind, m.group(2), commands(script), String.join("\n", expected) + "\n", i + 1));
      i = next[0] - 1;
    }
    return recipes;
  }

  /** The lines of the first fenced block of {@code language} at or after {@code from}; sets where it ended. */
  private static List<String> fence(List<String> lines, int from, String language, int[] end) {
    int i = from;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    assertEquals("```" + language, lines.get(i).strip(), "a ```" + language + " block at line " + (i + 1));
    List<String> body = new ArrayList<>();
    i++;
    while (!lines.get(i).strip().equals("```")) {
      body.add(lines.get(i++));
    }
    end[0] = i + 1;
    return body;
  }

  /** The commands of a script: continuation lines joined, comments and blank lines dropped. */
  private static List<String> commands(List<String> script) {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String c = current.toString().strip();
      current.setLength(0);
      if (!c.isEmpty() && !c.startsWith("#")) {
        commands.add(c);
      }
    }
    return commands;
  }

  /** The first command of the block after {@code marker}. */
  private static List<String> block(String doc, String marker, String language) {
    List<String> lines = List.of(doc.substring(doc.indexOf(marker) + marker.length()).split("\n", -1));
    int[] end = new int[1];
    return commands(fence(lines, 1, language, end));
  }
}
