package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a user runs it: a forked {@code java -cp ... org.hgrpc.server.Main serve}
 * (it cannot return while serving), its {@code listening at} line, its access log, its exit on
 * SIGTERM and its exit codes and messages for bad invocations.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServeCommandTest {
  static final String FRAMING = "application/mercurial-exp-framing-0005";
  static final Pattern LISTENING = Pattern.compile(
      "listening at http://127\\.0\\.0\\.1:(\\d+)/ \\(bound to 127\\.0\\.0\\.1:(\\d+)\\)");
  /**
   * The combined log format plus the duration: host ident authuser [date] "request" status bytes
   * "referer" "user-agent" milliseconds. (It was NCSA's common format, without the last three,
   * before the access log gained the user agent and the duration.)
   */
  static final Pattern NCSA = Pattern.compile(
      "(\\S+) - (\\S+) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] \"([^\"]*)\" (\\d{3}) (\\d+|-)"
          + " \"([^\"]*)\" \"([^\"]*)\" (\\d+)");
  /** The error log's stop line after SIGTERM. */
  static final Pattern STOPPED = Pattern.compile("\\[\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z\\] stopped \\(SIGTERM\\)\n");
  /** 128 + SIGTERM(15): the JVM's exit status when SIGTERM ends it after running its shutdown hooks. */
  static final int SIGTERM_EXIT = 143;

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void servesLogsAccessAndExitsOnSigterm() throws Exception {
    Served s = serve("--config", "web.name=serve test");
    String first = listeningLine(s);
    Matcher m = LISTENING.matcher(first);
    assertTrue(m.matches(), "listening line: " + first);
    int port = Integer.parseInt(m.group(1));
    assertEquals(m.group(1), m.group(2), "the URL and the bound address name the same port");
    assertTrue(port > 0, first);

    // The built-in capabilities command, and a plain GET.
    HttpResponse<byte[]> caps = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/exp-http-v2-0001/ro/capabilities"))
        .timeout(Duration.ofSeconds(10)).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(frames("capabilities"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, caps.statusCode());
    assertEquals(FRAMING, caps.headers().firstValue("Content-Type").orElse(null));
    assertTrue(new String(caps.body(), StandardCharsets.ISO_8859_1).contains("capabilities"));
    HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, api.statusCode());

    // One NCSA line per request, on standard output (--accesslog defaults to '-').
    String capsLine = s.stdout.poll(10, TimeUnit.SECONDS);
    String apiLine = s.stdout.poll(10, TimeUnit.SECONDS);
    assertNotNull(apiLine, "access log lines; got " + capsLine);
    assertAccessLine(capsLine, "POST /api/exp-http-v2-0001/ro/capabilities HTTP/1.1", 200, caps.body().length);
    assertAccessLine(apiLine, "GET /api HTTP/1.1", 200, api.body().getBytes(StandardCharsets.UTF_8).length);

    // SIGTERM: shutdown hooks stop Jetty; the JVM exits with 128 + 15. Through the process
    // handle: Process.destroy would also close our ends of its pipes, losing the stop line.
    s.process.toHandle().destroy();
    assertTrue(s.process.waitFor(15, TimeUnit.SECONDS), "serve did not exit on SIGTERM");
    assertEquals(SIGTERM_EXIT, s.process.exitValue(), () -> "stderr: " + s.stderr());
    s.drain();
    assertTrue(STOPPED.matcher(s.stderr()).matches(), "a clean shutdown logs one stop line: " + s.stderr());
    assertTrue(s.stdout.isEmpty(), "nothing more on stdout: " + s.stdout);
    assertThrows(ConnectException.class, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      }
    }, "the port is released");
  }

  @Test
  void accessLogToFileAndErrorLogToFile() throws Exception {
    Path access = dir.resolve("access.log");
    Path errors = dir.resolve("error.log");
    Served s = serve("--accesslog", access.toString(), "--errorlog", errors.toString());
    int port = port(s);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/exp-http-v2-0001/ro/nosuchcommand"))
        .timeout(Duration.ofSeconds(10)).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(frames("nosuchcommand"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    String line = null;
    for (int i = 0; i < 100 && line == null; i++) {
      List<String> lines = Files.exists(access) ? Files.readAllLines(access) : List.of();
      line = lines.isEmpty() ? null : lines.get(0);
      if (line == null) {
        Thread.sleep(100);
      }
    }
    assertNotNull(line, "no access line in the file");
    assertAccessLine(line, "POST /api/exp-http-v2-0001/ro/nosuchcommand HTTP/1.1", 404,
        r.body().getBytes(StandardCharsets.UTF_8).length);
    s.process.destroy();
    assertTrue(s.process.waitFor(15, TimeUnit.SECONDS));
    assertEquals(SIGTERM_EXIT, s.process.exitValue());
    s.drain();
    assertTrue(s.stdout.isEmpty(), "access lines go to the file only: " + s.stdout);
    // The error log: the 404's cause (the body the server sent), then the stop.
    List<String> errorLines = Files.readAllLines(errors);
    assertEquals(2, errorLines.size(), errorLines.toString());
    assertTrue(errorLines.get(0).matches("\\[[0-9T:.Z-]+\\] 404 POST /api/exp-http-v2-0001/ro/nosuchcommand \\(user -\\):"
        + " unknown wire protocol command: nosuchcommand"), errorLines.get(0));
    assertTrue(STOPPED.matcher(errorLines.get(1) + "\n").matches(), errorLines.get(1));
    assertEquals("", s.stderr(), "the error log went to the file");
  }

  @Test
  void repositoryHgrcIsReadAndConfigOverridesIt() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve(".hg"));
    Files.writeString(repo.resolve(".hg").resolve("hgrc"), "[experimental]\nweb.apiserver = false\n");
    Served off = serve("-R", repo.toString());
    HttpResponse<String> r = get(port(off), "/api");
    assertEquals(404, r.statusCode());
    assertEquals("Experimental API server endpoint not enabled", r.body());
    Served on = serve("-R", repo.toString(), "--config", "experimental.web.apiserver=true");
    assertEquals(200, get(port(on), "/api").statusCode());
  }

  @Test
  void repositoryWithoutHgIsAnAbort() throws Exception {
    Path notRepo = Files.createDirectories(dir.resolve("not-a-repo"));
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "-R", notRepo.toString());
    assertEquals(255, r.exit, r.toString());
    assertEquals("abort: repository " + notRepo + " not found!\n", r.stderr);
    assertEquals("", r.stdout);
  }

  @Test
  void malformedConfigIsAnAbortWithMercurialsMessage() throws Exception {
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "--config", "foo");
    assertEquals(255, r.exit, r.toString());
    assertEquals("abort: malformed --config option: 'foo' (use --config section.name=value)\n", r.stderr);
    Result noDot = run("serve", "-p", "0", "-a", "127.0.0.1", "--config", "web=1");
    assertEquals(255, noDot.exit, noDot.toString());
    assertEquals("abort: malformed --config option: 'web=1' (use --config section.name=value)\n", noDot.stderr);
  }

  @Test
  void badConfigValueIsAnAbortNamingTheSetting() throws Exception {
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "--config", "web.push_ssl=maybe");
    assertEquals(255, r.exit, r.toString());
    assertEquals("abort: web.push_ssl is not a boolean ('maybe')\n", r.stderr);
    Result range = run("serve", "-p", "0", "-a", "127.0.0.1", "--config", "hgrpc.max-cbor-depth=0");
    assertEquals(255, range.exit, range.toString());
    assertEquals("abort: hgrpc.max-cbor-depth is out of range ('0'): must be between 1 and 1024\n", range.stderr);
    Result connections = run("serve", "-p", "0", "-a", "127.0.0.1", "--config", "hgrpc.max-connections-per-ip=-1");
    assertEquals(255, connections.exit, connections.toString());
    assertEquals("abort: hgrpc.max-connections-per-ip is out of range ('-1'): must be between 0 and 2147483647\n",
        connections.stderr);
  }

  @Test
  void malformedRepositoryHgrcIsAnAbort() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve(".hg"));
    Path hgrc = repo.resolve(".hg").resolve("hgrc");
    Files.writeString(hgrc, "garbage\n");
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "-R", repo.toString());
    assertEquals(255, r.exit, r.toString());
    assertTrue(r.stderr.contains("parse error at " + hgrc + ":1: garbage"), r.stderr);
  }

  @Test
  void portInUseIsAnAbort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Result r = run("serve", "-p", Integer.toString(port), "-a", "127.0.0.1");
      assertEquals(255, r.exit, r.toString());
      assertTrue(r.stderr.startsWith("abort: cannot start server at '127.0.0.1:" + port + "': "), r.stderr);
      assertTrue(r.stderr.contains("Address already in use"), "the cause is kept: " + r.stderr);
      assertFalse(r.stdout.contains("listening at"), r.stdout);
    }
  }

  @Test
  void missingCertificateIsAnAbort() throws Exception {
    Path missing = dir.resolve("missing.pem");
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "--certificate", missing.toString());
    assertEquals(255, r.exit, r.toString());
    assertTrue(r.stderr.startsWith("abort: ") && r.stderr.contains("missing.pem"), r.stderr);
  }

  @Test
  void helpExitsZero() throws Exception {
    Result serveHelp = run("serve", "--help");
    assertEquals(0, serveHelp.exit, serveHelp.toString());
    assertTrue(serveHelp.stdout.startsWith("Usage: hgrpc-server serve"), serveHelp.stdout);
    for (String flag : List.of("-p, --port", "-a, --address", "-R, --repository", "--config", "--accesslog",
        "--errorlog", "--certificate")) {
      assertTrue(serveHelp.stdout.contains(flag), flag + " in\n" + serveHelp.stdout);
    }
    Result topHelp = run("--help");
    assertEquals(0, topHelp.exit, topHelp.toString());
    assertTrue(topHelp.stdout.startsWith("Usage: hgrpc-server"), topHelp.stdout);
    Result helpServe = run("help", "serve");
    assertEquals(0, helpServe.exit, helpServe.toString());
    assertEquals(serveHelp.stdout, helpServe.stdout);
  }

  @Test
  void helpStatesTheExitStatusOfSigterm() throws Exception {
    // The footer documents the exit codes; after SIGTERM the status is 143 (see servesLogsAccessAndExitsOnSigterm).
    Result r = run("serve", "--help");
    assertEquals(0, r.exit);
    String footer = r.stdout.substring(r.stdout.indexOf("Exit codes"));
    assertTrue(footer.contains(Integer.toString(SIGTERM_EXIT)), "help says: " + footer.strip());
  }

  @Test
  void noRepositoryAndNoCommandsIsAnAbortNotASilentStart() throws Exception {
    Result r = runIn(dir, command(false, "serve", "-p", "0", "-a", "127.0.0.1"));
    assertEquals(255, r.exit, r.toString());
    assertEquals("abort: no repository found in '" + dir.toRealPath() + "' (.hg not found)! (use -R DIR, or --demo"
        + " for an example repository)\n", r.stderr);
    assertFalse(r.stdout.contains("listening at"), r.stdout);
  }

  @Test
  void repositoryWithoutRepositoryCommandsIsAnAbort() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo").resolve(".hg")).getParent();
    Result r = runIn(dir, command(false, "serve", "-p", "0", "-a", "127.0.0.1", "-R", repo.toString()));
    assertEquals(255, r.exit, r.toString());
    assertTrue(r.stderr.startsWith("abort: no command serves the repository " + repo.toAbsolutePath()
        + ": the repository commands (hgrpc-repository) are not on the class path"), r.stderr);
  }

  @Test
  void repositoryIsFoundFromASubdirectoryAsHgServeDoes() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo").resolve(".hg")).getParent();
    Files.writeString(repo.resolve(".hg").resolve("hgrc"), "[experimental]\nweb.apiserver = false\n");
    Path sub = Files.createDirectories(repo.resolve("a").resolve("b"));
    Process p = new ProcessBuilder(command("serve", "-p", "0", "-a", "127.0.0.1")).directory(sub.toFile()).start();
    processes.add(p);
    BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = stdout.readLine();
    List<String> startup = new ArrayList<>();
    while (first != null && !first.startsWith("listening at ")) {
      startup.add(first);
      first = stdout.readLine();
    }
    assertTrue(startup.contains("repository: " + repo.toRealPath() + " at /") || startup.contains("repository: " + repo + " at /"),
        "the repository found is named: " + startup);
    Matcher m = LISTENING.matcher(String.valueOf(first));
    assertTrue(m.matches(), "listening line: " + first);
    // The root's .hg/hgrc is read: it turned the API server off.
    HttpResponse<String> r = get(Integer.parseInt(m.group(1)), "/api");
    assertEquals(404, r.statusCode());
    assertEquals("Experimental API server endpoint not enabled", r.body());
  }

  @Test
  void prefixServesUnderAPathAndPidFileHoldsTheProcessId() throws Exception {
    Path pid = dir.resolve("serve.pid");
    Served s = serve("--prefix", "/repos/one/", "--pid-file", pid.toString());
    String first = listeningLine(s);
    Matcher m = Pattern.compile("listening at http://127\\.0\\.0\\.1:(\\d+)/repos/one/ \\(bound to 127\\.0\\.0\\.1:\\d+\\)")
        .matcher(String.valueOf(first));
    assertTrue(m.matches(), "listening line: " + first + "; stderr: " + s.stderr());
    int port = Integer.parseInt(m.group(1));
    assertEquals(200, get(port, "/repos/one/api").statusCode());
    assertEquals(404, get(port, "/api").statusCode());
    // Outside the prefix Jetty answers, as curl asks (Accept: */*): text like every other answer, not an HTML page.
    HttpResponse<String> outside = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/?cmd=capabilities")).header("Accept", "*/*").timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, outside.statusCode());
    assertTrue(outside.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), outside.headers().map()::toString);
    assertFalse(outside.body().contains("<"), outside.body());
    assertEquals(s.process.pid() + "\n", Files.readString(pid));
  }

  @Test
  void startupLinesNameVersionRepositoryApisPushProtocolsAndMetrics() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo").resolve(".hg")).getParent();
    Files.writeString(repo.resolve(".hg").resolve("hgrc"), "[web]\nallow-push = alice, bob\npush_ssl = false\n");
    Served s = serve("-R", repo.toString(), "--metrics-port", "0");
    String listening = listeningLine(s);
    assertTrue(LISTENING.matcher(listening).matches(), listening);
    assertEquals(7, s.startup.size(), s.startup.toString());
    assertEquals("hgrpc-server (development build)", s.startup.get(0));
    assertEquals("repository: " + repo.toAbsolutePath() + " at /", s.startup.get(1));
    assertEquals("  apis: exp-http-v2-0001, exp-http-v2-0003", s.startup.get(2));
    assertEquals("  push: allowed for alice, bob over http and https", s.startup.get(3));
    assertEquals("protocols: HTTP/1.1, HTTP/2 (h2c by upgrade or prior knowledge)", s.startup.get(4));
    assertEquals("connections: at most 1024, 256 per client address (hgrpc.max-connections,"
        + " hgrpc.max-connections-per-ip)", s.startup.get(5));
    Matcher metrics = Pattern.compile("metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(s.startup.get(6));
    assertTrue(metrics.matches(), s.startup.get(6));
    HttpResponse<String> scrape = get(Integer.parseInt(metrics.group(1)), "/metrics");
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "the metrics port serves Prometheus text");
    assertEquals(200, get(Integer.parseInt(LISTENING.matcher(listening).replaceAll("$1")), "/healthz").statusCode());
  }

  @Test
  void pushDisabledAndApiServerOffAreReported() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo").resolve(".hg")).getParent();
    Files.writeString(repo.resolve(".hg").resolve("hgrc"), "[experimental]\nweb.apiserver = false\n");
    Served s = serve("-R", repo.toString());
    listeningLine(s);
    assertTrue(s.startup.contains("  apis: none (experimental.web.apiserver is off)"), s.startup.toString());
    assertTrue(s.startup.contains("  push: disabled (web.allow-push empty)"), s.startup.toString());
    assertFalse(s.startup.stream().anyMatch(l -> l.startsWith("metrics:")), "metrics are off by default");
  }

  @Test
  void connectionLimitsComeFromTheConfigurationAndAreReported() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo").resolve(".hg")).getParent();
    Files.writeString(repo.resolve(".hg").resolve("hgrc"), "[hgrpc]\nmax-connections = 10\n");
    Served s = serve("-R", repo.toString(), "--config", "hgrpc.max-connections-per-ip=0");
    listeningLine(s);
    assertTrue(s.startup.contains("connections: at most 10, no limit per client address (hgrpc.max-connections,"
        + " hgrpc.max-connections-per-ip)"), s.startup.toString());
  }

  @Test
  void webConfServesEachRepositoryAtItsPathWithItsOwnHgrc() throws Exception {
    Path one = Files.createDirectories(dir.resolve("repos").resolve("one").resolve(".hg")).getParent();
    Path two = Files.createDirectories(dir.resolve("repos").resolve("two").resolve(".hg")).getParent();
    Path team = Files.createDirectories(dir.resolve("team"));
    Path a = Files.createDirectories(team.resolve("a").resolve(".hg")).getParent();
    Path b = Files.createDirectories(team.resolve("sub").resolve("b").resolve(".hg")).getParent();
    // two's own hgrc turns the API server off; one inherits the web-conf's [web] section.
    Files.writeString(two.resolve(".hg").resolve("hgrc"), "[experimental]\nweb.apiserver = false\n");
    Path conf = dir.resolve("hgweb.config");
    Files.writeString(conf, "[paths]\none = repos/one\nrepos/two = " + two + "\nteam = team/*\n\n"
        + "[web]\nallow-push = *\npush_ssl = false\n");
    Served s = serve("--web-conf", conf.toString());
    String listening = listeningLine(s);
    Matcher m = LISTENING.matcher(listening);
    assertTrue(m.matches(), listening);
    int port = Integer.parseInt(m.group(1));
    assertEquals(List.of("hgrpc-server (development build)",
        "repository: " + one + " at /one/", "  apis: exp-http-v2-0001, exp-http-v2-0003", "  push: allowed for * over http and https",
        "repository: " + two + " at /repos/two/", "  apis: none (experimental.web.apiserver is off)",
        "  push: allowed for * over http and https",
        "repository: " + a + " at /team/a/", "  apis: exp-http-v2-0001, exp-http-v2-0003", "  push: allowed for * over http and https",
        "protocols: HTTP/1.1, HTTP/2 (h2c by upgrade or prior knowledge)",
        "connections: at most 1024, 256 per client address (hgrpc.max-connections, hgrpc.max-connections-per-ip)"),
        s.startup,
        "team/* finds the repositories directly in team only (not " + b + ")");

    HttpResponse<String> index = get(port, "/");
    assertEquals(200, index.statusCode());
    assertEquals("/one/\n/repos/two/\n/team/a/\n", index.body());
    assertEquals(200, get(port, "/one/api").statusCode());
    assertEquals(200, get(port, "/team/a/api").statusCode());
    HttpResponse<String> off = get(port, "/repos/two/api");
    assertEquals(404, off.statusCode());
    assertEquals("Experimental API server endpoint not enabled", off.body());
    assertEquals(404, get(port, "/three/api").statusCode());
    // Each repository's commands, at its own path.
    HttpResponse<byte[]> caps = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/one/api/exp-http-v2-0001/ro/capabilities"))
        .timeout(Duration.ofSeconds(10)).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(frames("capabilities"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, caps.statusCode());
    assertTrue(new String(caps.body(), StandardCharsets.ISO_8859_1).contains("customreadonly"));
  }

  @Test
  void webConfRecursiveGlobAndCollections() throws Exception {
    Path team = Files.createDirectories(dir.resolve("team"));
    Path a = Files.createDirectories(team.resolve("a").resolve(".hg")).getParent();
    Path b = Files.createDirectories(team.resolve("sub").resolve("b").resolve(".hg")).getParent();
    Path coll = Files.createDirectories(dir.resolve("coll"));
    Path c = Files.createDirectories(coll.resolve("x").resolve("c").resolve(".hg")).getParent();
    Path conf = dir.resolve("hgweb.config");
    Files.writeString(conf, "[paths]\nall = team/**\n[collections]\ncoll = coll\n");
    Served s = serve("--web-conf", conf.toString());
    int port = port(s);
    assertEquals("/all/a/\n/all/sub/b/\n/x/c/\n", get(port, "/").body());
    assertTrue(s.startup.contains("repository: " + a + " at /all/a/"), s.startup.toString());
    assertTrue(s.startup.contains("repository: " + b + " at /all/sub/b/"), s.startup.toString());
    assertTrue(s.startup.contains("repository: " + c + " at /x/c/"), s.startup.toString());
    assertEquals(200, get(port, "/all/sub/b/api").statusCode());
  }

  @Test
  void webConfErrorsAreAborts() throws Exception {
    Path conf = dir.resolve("hgweb.config");
    Files.writeString(conf, "[paths]\none = missing\n");
    Result r = run("serve", "-p", "0", "-a", "127.0.0.1", "--web-conf", conf.toString());
    assertEquals(255, r.exit, r.toString());
    assertEquals("abort: " + conf + ": [paths] one = missing: repository " + dir.resolve("missing")
        + " not found (.hg not found)\n", r.stderr);
    Files.writeString(conf, "[web]\nallow-push = *\n");
    Result empty = run("serve", "-p", "0", "-a", "127.0.0.1", "--web-conf", conf.toString());
    assertEquals("abort: web-conf " + conf + " names no repository (add a [paths] or [collections] section)\n",
        empty.stderr);
    Result both = run("serve", "-p", "0", "-a", "127.0.0.1", "--web-conf", conf.toString(), "-R", dir.toString());
    assertEquals("abort: --web-conf cannot be combined with -R or --demo\n", both.stderr);
  }

  @Test
  void logFormatJsonWritesOneObjectPerLine() throws Exception {
    Served s = serve("--log-format", "json");
    int port = port(s);
    assertEquals(200, get(port, "/api").statusCode());
    String line = s.stdout.poll(10, TimeUnit.SECONDS);
    assertNotNull(line);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    assertEquals("GET", json.get("method").asText());
    assertEquals("/api", json.get("uri").asText());
    assertEquals(200, json.get("status").asInt());
    assertTrue(json.has("durationMs") && json.has("user"), line);
    Result bad = run("serve", "-p", "0", "-a", "127.0.0.1", "--log-format", "xml");
    assertEquals(255, bad.exit, bad.toString());
    assertEquals("abort: hgrpc.log-format is not text or json ('xml')\n", bad.stderr);
  }

  @Test
  void daemonIsRefusedWithWhereToGoInstead() throws Exception {
    Result r = run("serve", "-d");
    assertEquals(255, r.exit, r.toString());
    assertTrue(r.stderr.startsWith("abort: --daemon is not supported: run the server under a service manager"), r.stderr);
  }

  @Test
  void noCommandIsAUsageErrorThatShowsServe() throws Exception {
    Result r = run();
    assertEquals(2, r.exit, r.toString());
    assertTrue(r.stderr.startsWith("hgrpc-server: missing command; to start the server: hgrpc-server serve"), r.stderr);
    assertTrue(r.stderr.contains("serve"), r.stderr);
    assertEquals("", r.stdout);
  }

  @Test
  void unknownOptionIsAUsageError() throws Exception {
    Result r = run("serve", "--no-such-option");
    assertEquals(2, r.exit, r.toString());
    assertTrue(r.stderr.contains("Unknown option: '--no-such-option'"), r.stderr);
  }

  @Test
  void aUsageErrorIsOneLineAndWhereTheHelpIsNotTheWholeHelp() throws Exception {
    Result r = run("serve", "--no-such-option");
    assertEquals("hgrpc-server: Unknown option: '--no-such-option'\n"
        + "Try 'hgrpc-server serve --help' for more information.\n", r.stderr.replace("\r\n", "\n"));
    assertEquals("", r.stdout);
    Result missing = run("serve", "-p");
    assertEquals(2, missing.exit, missing.toString());
    assertEquals("hgrpc-server: Missing required parameter for option '--port' (<port>)\n"
        + "Try 'hgrpc-server serve --help' for more information.\n", missing.stderr.replace("\r\n", "\n"));
    Result typo = run("serv");
    assertEquals(2, typo.exit, typo.toString());
    assertTrue(typo.stderr.startsWith("hgrpc-server: Unmatched argument at index 0: 'serv'\n"), typo.stderr);
    assertTrue(typo.stderr.contains("serve"), "the suggestion: " + typo.stderr);
    assertTrue(typo.stderr.endsWith("Try 'hgrpc-server --help' for more information.\n"), typo.stderr);
  }

  // ================================================================= helpers

  static byte[] frames(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), Map.of(), null)
        .forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertAccessLine(String line, String request, int status, long bytes) {
    assertNotNull(line, "no access line");
    Matcher m = NCSA.matcher(line);
    assertTrue(m.matches(), "NCSA line: " + line);
    assertEquals("127.0.0.1", m.group(1), line);
    assertEquals("-", m.group(2), line);
    assertEquals(request, m.group(4), line);
    assertEquals(Integer.toString(status), m.group(5), line);
    assertEquals(Long.toString(bytes), m.group(6), line);
  }

  private List<String> command(String... args) {
    return command(true, args);
  }

  /** The forked command line; {@code withCommands}: {@link ServeTestProvider} offers its commands. */
  private static List<String> command(boolean withCommands, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-D" + ServeTestProvider.PROPERTY + "=" + withCommands,
        Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** A serve run to its end (for invocations that must exit by themselves). */
  private Result run(String... args) throws Exception {
    return runIn(dir, command(args));
  }

  private Result runIn(Path cwd, List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(cwd.toFile()).start();
    processes.add(p);
    p.getOutputStream().close();
    var out = new java.util.concurrent.CompletableFuture<String>();
    var err = new java.util.concurrent.CompletableFuture<String>();
    pump(p.getInputStream(), out);
    pump(p.getErrorStream(), err);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not exit: " + String.join(" ", command));
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static boolean exitsSoon(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void pump(java.io.InputStream in, java.util.concurrent.CompletableFuture<String> into) {
    Thread t = new Thread(() -> {
      try {
        into.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        into.complete("(read failed: " + e + ")");
      }
    });
    t.setDaemon(true);
    t.start();
  }

  /** A serve started with {@code -p 0 -a 127.0.0.1} and {@code args}; stdout lines arrive in a queue. */
  private Served serve(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("serve", "-p", "0", "-a", "127.0.0.1"));
    all.addAll(List.of(args));
    Process p = new ProcessBuilder(command(all.toArray(new String[0]))).directory(dir.toFile()).start();
    processes.add(p);
    Served s = new Served(p);
    Thread out = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          s.stdout.add(line);
        }
      } catch (IOException e) {
        // When the process exits, the JDK drains and closes its pipe under a blocked reader,
        // which then sees "Stream closed": that is the end of output, not output. The reader can
        // see it a moment before isAlive() turns false (seen under load), so wait for the exit.
        if (!"Stream closed".equals(e.getMessage()) || !exitsSoon(p)) {
          s.stdout.add("(read failed: " + e + ")");
        }
      } finally {
        s.stdoutDone.countDown();
      }
    });
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(s.err);
      } catch (IOException e) {
        // the process is gone
      } finally {
        s.stderrDone.countDown();
      }
    });
    err.setDaemon(true);
    err.start();
    return s;
  }

  /**
   * The {@code listening at} line, the last of the start-up lines (each of which is checked to
   * be one); they are kept in {@link Served#startup}.
   */
  static String listeningLine(Served s) throws InterruptedException {
    while (true) {
      String line = s.stdout.poll(10, TimeUnit.SECONDS);
      assertNotNull(line, () -> "no 'listening at' line within 10 s; before it: " + s.startup + "; stderr: " + s.stderr());
      if (line.startsWith("listening at ")) {
        assertTrue(!s.startup.isEmpty() && s.startup.get(0).startsWith("hgrpc-server "),
            "the version comes first: " + s.startup);
        return line;
      }
      assertTrue(STARTUP.matcher(line).matches(), "a start-up line: " + line);
      s.startup.add(line);
    }
  }

  /** The start-up lines before {@code listening at}. */
  static final Pattern STARTUP = Pattern.compile(
      "hgrpc-server .+|repository: .+ at /.*|  apis: .+|  push: .+|protocols: .+|connections: .+|metrics: .+");

  private static int port(Served s) throws InterruptedException {
    String first = listeningLine(s);
    Matcher m = LISTENING.matcher(first);
    assertTrue(m.matches(), first);
    return Integer.parseInt(m.group(1));
  }

  static final class Served {
    final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final List<String> startup = new ArrayList<>();
    final ByteArrayOutputStream err = new ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
      }
    };
    final java.util.concurrent.CountDownLatch stdoutDone = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch stderrDone = new java.util.concurrent.CountDownLatch(1);

    Served(Process process) {
      this.process = process;
    }

    String stderr() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits (bounded) until both output streams of the exited process are read. */
    void drain() throws InterruptedException {
      assertTrue(stdoutDone.await(10, TimeUnit.SECONDS) && stderrDone.await(10, TimeUnit.SECONDS));
    }
  }

  record Result(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }
}
