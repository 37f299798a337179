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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hgrpc.client.HttpVectorsAccess;
import org.hgrpc.client.cli.HgrpcCli;
import org.hgrpc.client.cli.Io;
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
 *   <li>{@code live}: against the server the doc's {@code <!-- serve -->} block starts
 *       ({@code serve --demo} and its {@code --config} options, on a free port instead of 8000);
 *   <li>{@code recorded "NAME"}: the request (URL path and body file) must be the recorded
 *       exchange NAME's, and what the pipeline prints must be the doc's both with the recorded
 *       response and with the answer of the server the {@code <!-- serve: fixture -->} block
 *       starts (the conformance fixture, unpacked as the block says);
 *   <li>{@code local}: no server.
 * </ul>
 *
 * <p>A marker ending in {@code exit N} is a recipe whose last pipeline fails: its last command
 * must exit with N, print nothing on standard output, and the text block is what the pipeline
 * prints on standard error. Every other command must succeed, as under
 * {@code set -e -o pipefail}.
 *
 * <p>{@code curl} is emulated with {@code java.net.http} (its options used in the doc:
 * {@code --data-binary @FILE}, {@code -H}, {@code -w '%{http_code}'}, {@code -sS},
 * {@code --fail-with-body}), and {@code hgrpc} is the CLI run in-process. {@code hgrpc frames
 * encode ... -o FILE} writes to a temporary file that must equal the committed FILE; the
 * servers' repositories are unpacked in a temporary directory too, so the checkout is left as
 * it was.
 */
class CurlRecipesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path DOC = ROOT.resolve("docs").resolve("curl.md");
  private static final String DOC_BASE = "http://127.0.0.1:8000/";
  private static final Pattern MARKER =
      Pattern.compile("<!-- recipe: (live|local|recorded \"([^\"]+)\")(?: exit ([0-9]+))? -->");
  /** What curl's {@code --fail-with-body} exits with for an HTTP error status. */
  private static final int CURL_HTTP_ERROR = 22;

  private static DocumentedServer demo;
  private static DocumentedServer fixture;

  @TempDir
  static Path tmp;

  /** One recipe of the doc; {@code exitCode} is what its last command must exit with. */
  record Recipe(String kind, String vector, List<String> commands, String expected, int exitCode, int line) {}

  /** What a pipeline printed, and its status under {@code pipefail}. */
  record Outcome(byte[] out, String err, int status) {}

  /** Where curl's answers come from. */
  private enum Answers {
    /** The demo server. */
    DEMO,
    /** The recorded exchange of a {@code recorded} recipe. */
    RECORDED,
    /** The server serving the conformance fixture. */
    FIXTURE
  }

  @BeforeAll
  static void startTheDocumentedServers() throws Exception {
    String doc = Files.readString(DOC);
    demo = DocumentedServer.start(block(doc, "<!-- serve -->"), ROOT, tmp.resolve("demo"));
    fixture = DocumentedServer.start(block(doc, "<!-- serve: fixture -->"), ROOT, tmp.resolve("fixture"));
  }

  @AfterAll
  static void stop() throws Exception {
    try (DocumentedServer d = demo; DocumentedServer f = fixture) {
      // The error log gives the cause of every refusal, and the recipes show some (a missing
      // Content-Type, ...): those are expected; anything else (a 5xx, a stack trace) is not.
      String log = d.errorLog() + f.errorLog();
      assertEquals(List.of(), log.lines().filter(l -> !l.matches("\\[[0-9T:.Z-]+\\] 4\\d\\d .*")).toList(),
          "the servers logged errors:\n" + log);
    }
  }

  @Test
  void theDocHasRecipesOfEveryKind() throws Exception {
    List<Recipe> recipes = recipes();
    assertTrue(recipes.size() >= 10, "recipes: " + recipes.size());
    for (String kind : List.of("live", "local", "recorded")) {
      assertTrue(recipes.stream().anyMatch(r -> r.kind().equals(kind)), kind);
    }
    assertTrue(recipes.stream().anyMatch(r -> r.exitCode() != 0), "a recipe that fails");
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
    return recipes().stream().map(r -> DynamicTest.dynamicTest("curl.md line " + r.line() + " (" + r.kind()
        + (r.exitCode() != 0 ? ", exit " + r.exitCode() : "") + ")", () -> run(r)));
  }

  private void run(Recipe recipe) throws Exception {
    if (recipe.kind().equals("recorded")) {
      // The reference's answer first, then this server's: both must print what the doc shows.
      run(recipe, Answers.RECORDED);
      run(recipe, Answers.FIXTURE);
    } else {
      run(recipe, Answers.DEMO);
    }
  }

  private void run(Recipe recipe, Answers answers) throws Exception {
    Outcome outcome = null;
    for (int i = 0; i < recipe.commands().size(); i++) {
      String command = recipe.commands().get(i);
      outcome = runPipeline(recipe, answers, ShellWords.split(command));
      boolean last = i == recipe.commands().size() - 1;
      if (!last || recipe.exitCode() == 0) {
        assertEquals(0, outcome.status(), command + " (" + answers + "): " + outcome.err());
      }
    }
    String stdout = new String(outcome.out(), StandardCharsets.UTF_8);
    if (recipe.exitCode() == 0) {
      assertEquals(recipe.expected(), stdout, answers.toString());
    } else {
      assertEquals(recipe.exitCode(), outcome.status(), "the exit status (" + answers + ")");
      assertEquals("", stdout, answers.toString());
      assertEquals(recipe.expected(), outcome.err(), answers + ": standard error");
    }
  }

  /** Runs one command line; its status is the last non-zero status of its stages, as under pipefail. */
  private Outcome runPipeline(Recipe recipe, Answers answers, List<String> words) throws Exception {
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
    Outcome result = new Outcome(new byte[0], "", 0);
    for (List<String> s : stages) {
      String program = s.get(0);
      Outcome o;
      if (program.equals("curl")) {
        o = curl(recipe, answers, s.subList(1, s.size()));
      } else if (program.equals("hgrpc")) {
        o = hgrpc(s.subList(1, s.size()), result.out());
      } else {
        throw new AssertionError("the recipes use curl and hgrpc only, not " + program);
      }
      result = new Outcome(o.out(), result.err() + o.err(), o.status() != 0 ? o.status() : result.status());
    }
    return result;
  }

  /** The CLI in-process; {@code frames encode -o FILE} must reproduce the committed FILE. */
  private static Outcome hgrpc(List<String> args, byte[] stdin) throws Exception {
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
    if (committed != null) {
      assertEquals(0, code, "hgrpc " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
      assertArrayEquals(Files.readAllBytes(committed), Files.readAllBytes(tmp.resolve(committed.getFileName())),
          committed + " is not what its command makes");
    }
    return new Outcome(out.toByteArray(), err.toString(StandardCharsets.UTF_8), code);
  }

  /** What curl would print for these options. */
  private static Outcome curl(Recipe recipe, Answers answers, List<String> args) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = null;
    Path bodyFile = null;
    String format = null;
    String url = null;
    boolean failWithBody = false;
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
        case "--fail-with-body":
          failWithBody = true;
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
    if (answers == Answers.RECORDED) {
      HttpVectorsAccess.Recorded v = HttpVectorsAccess.recorded(recipe.vector());
      assertEquals(v.path(), URI.create(url).getRawPath() + (URI.create(url).getRawQuery() == null ? ""
          : "?" + URI.create(url).getRawQuery()), "the URL of " + recipe.vector());
      assertArrayEquals(v.requestBody(), body, bodyFile + " is not the reference client's request");
      assertEquals("application/mercurial-exp-framing-0005", headers.get("Content-Type"));
      assertEquals("application/mercurial-exp-framing-0005", headers.get("Accept"));
      status = v.status();
      response = v.responseBody();
    } else {
      URI uri = (answers == Answers.DEMO ? demo : fixture).uri().resolve(url.substring(DOC_BASE.length()));
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
    if (failWithBody && status >= 400) {
      return new Outcome(out.toByteArray(), "curl: (22) The requested URL returned error: " + status + "\n",
          CURL_HTTP_ERROR);
    }
    return new Outcome(out.toByteArray(), "", 0);
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
      int exitCode = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
      assertTrue(exitCode != 0 || m.group(3) == null, "line " + (i + 1) + ": a failing recipe exits with 1 or more");
      recipes.add(new Recipe(kind, m.group(2), commands(script), String.join("\n", expected) + "\n", exitCode,
          i + 1));
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

  /** The commands of the {@code sh} block after {@code marker}. */
  private static List<String> block(String doc, String marker) {
    int at = doc.indexOf(marker);
    assertTrue(at >= 0, "the doc has no " + marker + " block");
    List<String> lines = List.of(doc.substring(at + marker.length()).split("\n", -1));
    int[] end = new int[1];
    return commands(fence(lines, 1, "sh", end));
  }
}
