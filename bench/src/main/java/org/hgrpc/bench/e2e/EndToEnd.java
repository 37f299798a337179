package org.hgrpc.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hgrpc.bench.Fixtures;

/**
 * The end-to-end and streaming runs, each against its baseline in the same run, written as
 * JSON ({@code --out FILE}).
 *
 * <p><b>Load</b>: a {@link BenchServer} JVM serves hgrpc and the bare servlet; {@link LoadGen}
 * (in this JVM) sends the {@code capabilities} and {@code heads} requests over keep-alive
 * connections, alternating bare and hgrpc rounds of the same number of requests after a
 * warm-up of both. Reported: the median of the rounds' requests/s, p50 and p99 latency over all
 * measured requests, and hgrpc's share of the bare servlet's requests/s: the median of the
 * rounds' ratios (each round's hgrpc run against the bare run just before it, so that load
 * from elsewhere on a shared machine hits both sides of a ratio alike). Then one more hgrpc
 * round of each under JFR, summarized by {@link JfrSummary}.
 *
 * <p><b>Streaming</b>: a {@link BenchServer} JVM with {@code -Xmx64m}; for each round a
 * {@link StreamClient} JVM with {@code -Xmx64m} reads {@code --stream-bytes} from the bare
 * servlet, then one from hgrpc. Reported: the median MB/s of each, the median of the rounds'
 * ratios, and the heap of both sides (the peak, just before a collection, and the most retained
 * just after one). Then one shorter hgrpc run with JFR on both sides.
 *
 * <p><b>Encoded streaming</b> (API {@code exp-http-v2-0003}, framing 0006): per content
 * encoder, a {@link BenchServer} JVM with {@code -Xmx64m} of its own (so that its peak
 * resident set is that encoder's); each round, for each encoder in turn, a {@link StreamClient}
 * JVM with {@code -Xmx64m} reads {@code --encoded-bytes} of {@link org.hgrpc.bench.TextPayload}
 * offering only that encoder, checking the byte count and CRC-32. Reported: the median MB/s
 * (of decoded payload), the median of the rounds' ratios to identity, the bytes on the wire,
 * and both sides' heap peaks and peak resident sets (VmHWM).
 *
 * <p>Options: {@code --out FILE}, {@code --connections N} (16), {@code --requests N} per
 * round (10000), {@code --warmup N} (10000), {@code --rounds N} (5), {@code --stream-bytes N}
 * (1 GiB), {@code --stream-rounds N} (2), {@code --profile-dir DIR} (where the JFR files go;
 * none: no profiling), {@code --profile-stream-bytes N} (256 MiB), {@code --skip-load},
 * {@code --skip-stream}, {@code --encoded-bytes N} (1 GiB), {@code --encoded-rounds N} (2),
 * {@code --encoders LIST} ({@code identity,zlib,zstd-8mb}), {@code --skip-encoded}, and
 * {@code --compare-jar JAR}: another build's {@code benchmarks.jar}
 * (say, with a fix) whose server and stream client run as a third contender in every round, so
 * that a change is measured before and after in the same run ({@code compareRatio},
 * {@code hgrpcVsCompare}).
 */
public final class EndToEnd {
  private EndToEnd() {}

  private static final Map<String, String> OPTIONS = new LinkedHashMap<>(Map.of(
      "out", "e2e.json", "connections", "16", "requests", "10000", "warmup", "10000", "rounds", "5",
      "stream-bytes", String.valueOf(1L << 30), "stream-rounds", "2", "profile-dir", "", "profile-stream-bytes",
      String.valueOf(256L << 20), "compare-jar", ""));

  static {
    OPTIONS.putAll(Map.of("repos", "", "repo-connections", "4", "repo-requests", "5000", "repo-warmup", "5000",
        "hg-requests", "400", "repo-rounds", "3", "hg-connections", "4"));
    OPTIONS.putAll(Map.of("encoded-bytes", String.valueOf(1L << 30), "encoded-rounds", "2", "encoders",
        "identity,zlib,zstd-8mb"));
  }

  public static void main(String[] args) throws Exception {
    boolean skipLoad = false;
    boolean skipStream = false;
    boolean skipEncoded = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--skip-load")) {
        skipLoad = true;
      } else if (a.equals("--skip-stream")) {
        skipStream = true;
      } else if (a.equals("--skip-encoded")) {
        skipEncoded = true;
      } else if (a.startsWith("--") && OPTIONS.containsKey(a.substring(2)) && i + 1 < args.length) {
        OPTIONS.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + a + "; options: " + OPTIONS.keySet()
            + ", --skip-load, --skip-stream, --skip-encoded");
      }
    }
    Path profileDir = OPTIONS.get("profile-dir").isEmpty() ? null : Path.of(OPTIONS.get("profile-dir"));
    if (profileDir != null) {
      Files.createDirectories(profileDir);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    if (!skipLoad) {
      result.put("load", load(profileDir));
    }
    if (!skipStream) {
      result.put("stream", stream(profileDir));
    }
    if (!skipEncoded) {
      result.put("encodedStream", encodedStream());
    }
    if (!OPTIONS.get("repos").isEmpty()) {
      Map<String, Object> repos = new LinkedHashMap<>();
      for (String spec : OPTIONS.get("repos").split(",")) {
        int eq = spec.indexOf('=');
        String name = spec.substring(0, eq);
        repos.put(name, repoLoad(name, Path.of(spec.substring(eq + 1)).toAbsolutePath(), profileDir));
      }
      result.put("repos", repos);
    }
    Path out = Path.of(OPTIONS.get("out"));
    Files.writeString(out, Json.pretty(result));
    System.err.println("e2e: wrote " + out);
  }

  private static int opt(String name) {
    return Integer.parseInt(OPTIONS.get(name));
  }

  // ---- load ----

  private static final List<String> LOAD_SERVER_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
  private static final List<String> STREAM_JVM = List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch");

  /** The class path of the {@code --compare-jar} contender, or null. */
  private static String compareJar() {
    String jar = OPTIONS.get("compare-jar");
    return jar.isEmpty() ? null : Path.of(jar).toAbsolutePath().toString();
  }

  private static Map<String, Object> load(Path profileDir) throws Exception {
    int connections = opt("connections");
    int requests = opt("requests");
    int warmup = opt("warmup");
    int rounds = opt("rounds");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connections", connections);
    out.put("requestsPerRound", requests);
    out.put("rounds", rounds);
    String compare = compareJar();
    try (Child server = Child.start("load-server", LOAD_SERVER_JVM, null, BenchServer.class.getName());
        Child other = compare == null ? null
            : Child.start("load-server-compare", LOAD_SERVER_JVM, compare, BenchServer.class.getName())) {
      String[] ready = server.readLine().split(" ");
      // Contenders in the order each round runs them: the baseline first.
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("bare", Integer.parseInt(ready[2]));
      ports.put("hgrpc", Integer.parseInt(ready[1]));
      if (other != null) {
        ports.put("compare", Integer.parseInt(other.readLine().split(" ")[1]));
      }
      int hgrpcPort = ports.get("hgrpc");
      Map<String, Object> commands = new LinkedHashMap<>();
      for (String command : List.of("capabilities", "heads")) {
        String path = BenchServer.API + command;
        byte[] body = Fixtures.commandRequest(command);
        Map<String, byte[]> requestBytes = new LinkedHashMap<>();
        ports.forEach((name, port) -> requestBytes.put(name, LoadGen.post(port, path, Fixtures.FRAMING_TYPE, body)));
        byte[] expected = fetch(hgrpcPort, requestBytes.get("hgrpc"));
        for (String name : ports.keySet()) {
          if (!Arrays.equals(expected, fetch(ports.get(name), requestBytes.get(name)))) {
            throw new IllegalStateException(name + " does not answer " + command + " as hgrpc does");
          }
        }
        log("load %s: %d response bytes; warm-up %d requests each", command, expected.length, warmup);
        for (String name : ports.keySet()) {
          LoadGen.run(ports.get(name), requestBytes.get(name), expected, connections, warmup);
        }
        Map<String, List<LoadGen.Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
          StringBuilder line = new StringBuilder();
          for (String name : ports.keySet()) {
            LoadGen.Result res = LoadGen.run(ports.get(name), requestBytes.get(name), expected, connections, requests);
            results.computeIfAbsent(name, k -> new ArrayList<>()).add(res);
            line.append(String.format(" %s %.0f req/s", name, res.throughput()));
          }
          log("load %s round %d:%s", command, r + 1, line);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("responseBytes", expected.length);
        for (String name : ports.keySet()) {
          c.put(name, summarize(results.get(name)));
        }
        pairedRatios(c, results, LoadGen.Result::throughput);
        commands.put(command, c);
      }
      out.put("commands", commands);
      if (profileDir != null) {
        Path jfr = profileDir.resolve("load-server.jfr").toAbsolutePath();
        server.command("jfr-start");
        for (String command : List.of("capabilities", "heads")) {
          byte[] req = LoadGen.post(hgrpcPort, BenchServer.API + command, Fixtures.FRAMING_TYPE,
              Fixtures.commandRequest(command));
          LoadGen.run(hgrpcPort, req, fetch(hgrpcPort, req), connections, 2 * requests);
        }
        server.command("jfr-stop " + jfr);
        out.put("profile", JfrSummary.summarize(jfr));
        log("load: profile in %s", jfr);
      }
      server.command("quit");
      if (other != null) {
        other.command("quit");
      }
    }
    return out;
  }

  /**
   * Puts {@code ratio} (hgrpc against bare) and, with a compare contender, {@code compareRatio}
   * (it against bare) and {@code hgrpcVsCompare}: each the median of the rounds' ratios.
   */
  private static <T> void pairedRatios(Map<String, Object> into, Map<String, List<T>> results,
      java.util.function.ToDoubleFunction<T> rate) {
    into.put("ratio", pairedRatio(results.get("hgrpc"), results.get("bare"), rate));
    into.put("roundRatios", ratios(results.get("hgrpc"), results.get("bare"), rate));
    if (results.containsKey("compare")) {
      into.put("compareRatio", pairedRatio(results.get("compare"), results.get("bare"), rate));
      into.put("hgrpcVsCompare", pairedRatio(results.get("hgrpc"), results.get("compare"), rate));
      into.put("hgrpcVsCompareRounds", ratios(results.get("hgrpc"), results.get("compare"), rate));
    }
  }

  private static <T> List<Double> ratios(List<T> a, List<T> b, java.util.function.ToDoubleFunction<T> rate) {
    List<Double> l = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      l.add(rate.applyAsDouble(a.get(i)) / rate.applyAsDouble(b.get(i)));
    }
    return l;
  }

  private static <T> double pairedRatio(List<T> a, List<T> b, java.util.function.ToDoubleFunction<T> rate) {
    return median(ratios(a, b, rate).stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static byte[] fetch(int port, byte[] request) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write(request);
      return new LoadGen.Reader(s.getInputStream()).readResponse();
    }
  }

  private static Map<String, Object> summarize(List<LoadGen.Result> results) {
    int total = results.stream().mapToInt(LoadGen.Result::requests).sum();
    long[] all = new long[total];
    int at = 0;
    List<Double> perRound = new ArrayList<>();
    for (LoadGen.Result r : results) {
      System.arraycopy(r.latenciesNanos(), 0, all, at, r.requests());
      at += r.requests();
      perRound.add(r.throughput());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestsPerSecond", median(results));
    m.put("roundsRequestsPerSecond", perRound);
    m.put("p50Millis", LoadGen.percentile(all, 50) / 1e6);
    m.put("p99Millis", LoadGen.percentile(all, 99) / 1e6);
    return m;
  }

  private static double median(List<LoadGen.Result> results) {
    return median(results.stream().mapToDouble(LoadGen.Result::throughput).toArray());
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  // ---- real repositories ----

  /**
   * The load on a real repository: for each command of {@link RepoWorkload}, rounds of the bare
   * servlet, hgrpc (a {@link BenchServer} with {@code --repo}) and Debian's {@code hg serve} on
   * the same repository (its own protocol, version 1, with far fewer requests: it is two
   * orders of magnitude slower; a connection per request, see {@link LoadGen#runClosing}),
   * after a warm-up of each.
   */
  private static Map<String, Object> repoLoad(String name, Path dir, Path profileDir) throws Exception {
    int connections = opt("repo-connections");
    int commandRequests = opt("repo-requests");
    int commandWarmup = opt("repo-warmup");
    int hgCommandRequests = opt("hg-requests");
    int hgConnections = opt("hg-connections");
    int rounds = opt("repo-rounds");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("repository", dir.toString());
    out.put("connections", connections);
    out.put("hgConnections", hgConnections);
    out.put("rounds", rounds);
    Map<String, RepoWorkload.Request> workload = RepoWorkload.of(dir);
    // Its logs to /dev/null: a log line per request into a pipe nobody reads stops it after a
    // few hundred requests.
    Process hg = new ProcessBuilder("hg", "serve", "-R", dir.toString(), "-a", "127.0.0.1", "-p", "0",
        "-A", "/dev/null", "-E", "/dev/null", "--config", "ui.report_untrusted=false").redirectErrorStream(true)
        .start();
    try (Child server = Child.start("repo-server-" + name, LOAD_SERVER_JVM, null, BenchServer.class.getName(),
        "--repo", dir.toString())) {
      String listening = new BufferedReader(new InputStreamReader(hg.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("bound to [^:]+:(\\d+)").matcher(
          String.valueOf(listening));
      if (!m.find()) {
        throw new IllegalStateException("hg serve did not start: " + listening);
      }
      int hgPort = Integer.parseInt(m.group(1));
      String[] ready = server.readLine().split(" ");
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("bare", Integer.parseInt(ready[2]));
      ports.put("hgrpc", Integer.parseInt(ready[1]));
      Map<String, Object> commands = new LinkedHashMap<>();
      for (Map.Entry<String, RepoWorkload.Request> w : workload.entrySet()) {
        String command = w.getKey();
        byte[] body = w.getValue().hgrpcBody();
        Map<String, byte[]> requestBytes = new LinkedHashMap<>();
        ports.forEach((n, port) -> requestBytes.put(n, LoadGen.post(port, BenchServer.API + command,
            Fixtures.FRAMING_TYPE, body)));
        byte[] expected = fetch(ports.get("hgrpc"), requestBytes.get("hgrpc"));
        if (!Arrays.equals(expected, fetch(ports.get("bare"), requestBytes.get("bare")))) {
          throw new IllegalStateException("bare does not answer " + command + " as hgrpc does");
        }
        Map<String, Object> c0 = new LinkedHashMap<>();
        byte[] hgRequest = w.getValue().v1Request(hgPort);
        byte[] hgExpected = LoadGen.fetchClosing(hgPort, hgRequest);
        // Large answers (listkeys of 5,000 bookmarks: 300 KB) get fewer requests, so that every
        // command takes seconds, not minutes: as many as 8 KiB answers would get for the same bytes.
        int requests = scaled(commandRequests, expected.length, 500);
        int warmup = scaled(commandWarmup, expected.length, 500);
        int hgRequests = scaled(hgCommandRequests, hgExpected.length, 40);
        c0.put("requestsPerRound", requests);
        c0.put("hgRequestsPerRound", hgRequests);
        log("repo %s %s: %d response bytes (hg serve: %d); warm-up %d requests each (hg serve %d)", name, command,
            expected.length, hgExpected.length, warmup, hgRequests / 2);
        for (String n : ports.keySet()) {
          LoadGen.run(ports.get(n), requestBytes.get(n), expected, connections, warmup);
        }
        LoadGen.runClosing(hgPort, hgRequest, hgExpected, hgConnections, hgRequests / 2);
        Map<String, List<LoadGen.Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
          StringBuilder line = new StringBuilder();
          for (String n : ports.keySet()) {
            LoadGen.Result res = LoadGen.run(ports.get(n), requestBytes.get(n), expected, connections, requests);
            results.computeIfAbsent(n, k -> new ArrayList<>()).add(res);
            line.append(String.format(" %s %.0f req/s", n, res.throughput()));
          }
          LoadGen.Result res = LoadGen.runClosing(hgPort, hgRequest, hgExpected, hgConnections, hgRequests);
          results.computeIfAbsent("hg", k -> new ArrayList<>()).add(res);
          line.append(String.format(" hg-serve %.0f req/s", res.throughput()));
          log("repo %s %s round %d:%s", name, command, r + 1, line);
        }
        Map<String, Object> c = c0;
        c.put("responseBytes", expected.length);
        c.put("hgResponseBytes", hgExpected.length);
        for (String n : results.keySet()) {
          c.put(n, summarize(results.get(n)));
        }
        pairedRatios(c, results, LoadGen.Result::throughput);
        c.put("hgrpcVsHg", pairedRatio(results.get("hgrpc"), results.get("hg"), LoadGen.Result::throughput));
        commands.put(command, c);
      }
      out.put("commands", commands);
      if (profileDir != null) {
        Path jfr = profileDir.resolve("repo-" + name + "-server.jfr").toAbsolutePath();
        server.command("jfr-start");
        int hgrpcPort = ports.get("hgrpc");
        for (Map.Entry<String, RepoWorkload.Request> w : workload.entrySet()) {
          byte[] req = LoadGen.post(hgrpcPort, BenchServer.API + w.getKey(), Fixtures.FRAMING_TYPE,
              w.getValue().hgrpcBody());
          byte[] answer = fetch(hgrpcPort, req);
          LoadGen.run(hgrpcPort, req, answer, connections, scaled(commandRequests, answer.length, 500));
        }
        server.command("jfr-stop " + jfr);
        out.put("profile", JfrSummary.summarize(jfr));
        log("repo %s: profile in %s", name, jfr);
      }
      server.command("quit");
    } finally {
      hg.destroy();
      hg.waitFor(10, TimeUnit.SECONDS);
    }
    return out;
  }

  /** {@code n} requests, fewer for answers above 8 KiB (as many as give the same bytes), at least {@code min}. */
  private static int scaled(int n, int answerBytes, int min) {
    return (int) Math.max(Math.min(n, min), Math.min(n, (long) n * 8192 / Math.max(1, answerBytes)));
  }

  // ---- streaming ----

  private static Map<String, Object> stream(Path profileDir) throws Exception {
    long size = Long.parseLong(OPTIONS.get("stream-bytes"));
    int rounds = opt("stream-rounds");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bytes", size);
    out.put("rounds", rounds);
    out.put("heap", "-Xmx64m");
    String compare = compareJar();
    try (Child server = Child.start("stream-server", STREAM_JVM, null, BenchServer.class.getName());
        Child other = compare == null ? null
            : Child.start("stream-server-compare", STREAM_JVM, compare, BenchServer.class.getName())) {
      String[] ready = server.readLine().split(" ");
      // Contender: its server (for heap stats), its URI, its client's class path and mode.
      record Contender(Child server, String uri, String classPath, String mode) {}
      Map<String, Contender> contenders = new LinkedHashMap<>();
      contenders.put("bare", new Contender(server, "http://127.0.0.1:" + ready[2] + "/", null, "bare"));
      contenders.put("hgrpc", new Contender(server, "http://127.0.0.1:" + ready[1] + "/", null, "hgrpc"));
      contenders.put("hgrpc-h2", new Contender(server, "http://127.0.0.1:" + ready[1] + "/", null, "hgrpc-h2"));
      if (other != null) {
        contenders.put("compare", new Contender(other, "http://127.0.0.1:" + other.readLine().split(" ")[1] + "/",
            compare, "hgrpc"));
      }
      // A short warm-up of every path, so that the servers' JIT is not measured.
      for (Contender c : contenders.values()) {
        runClient(c.classPath(), c.mode(), c.uri(), 64L << 20, null);
        c.server().command("stats");
      }
      Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, Contender> e : contenders.entrySet()) {
          Contender c = e.getValue();
          Map<String, Object> run = runClient(c.classPath(), c.mode(), c.uri(), size, null);
          run.put("server", Json.read(c.server().command("stats")));
          results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(run);
          log("stream %s round %d: %.0f MB/s, client peak heap %.1f MiB, server peak heap %.1f MiB", e.getKey(), r + 1,
              ((Number) run.get("mbPerSecond")).doubleValue(), mib(run.get("peakHeapBytes")),
              mib(((Map<?, ?>) run.get("server")).get("peakHeapBytes")));
        }
      }
      for (String name : contenders.keySet()) {
        out.put(name, streamSummary(results.get(name)));
      }
      pairedRatios(out, results, run -> ((Number) run.get("mbPerSecond")).doubleValue());
      out.put("h2Ratio", pairedRatio(results.get("hgrpc-h2"), results.get("bare"),
          run -> ((Number) run.get("mbPerSecond")).doubleValue()));
      if (profileDir != null) {
        long psize = Long.parseLong(OPTIONS.get("profile-stream-bytes"));
        Path serverJfr = profileDir.resolve("stream-server.jfr").toAbsolutePath();
        Path clientJfr = profileDir.resolve("stream-client.jfr").toAbsolutePath();
        server.command("jfr-start");
        runClient(null, "hgrpc", contenders.get("hgrpc").uri(), psize, clientJfr);
        server.command("jfr-stop " + serverJfr);
        out.put("profileServer", JfrSummary.summarize(serverJfr));
        out.put("profileClient", JfrSummary.summarize(clientJfr));
        log("stream: profiles in %s and %s", serverJfr, clientJfr);
      }
      server.command("quit");
      if (other != null) {
        other.command("quit");
      }
    }
    return out;
  }

  // ---- encoded streaming ----

  private static Map<String, Object> encodedStream() throws Exception {
    long size = Long.parseLong(OPTIONS.get("encoded-bytes"));
    int rounds = opt("encoded-rounds");
    List<String> encoders = List.of(OPTIONS.get("encoders").split(","));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("api", "exp-http-v2-0003");
    out.put("payload", "TextPayload");
    out.put("bytes", size);
    out.put("rounds", rounds);
    out.put("heap", "-Xmx64m");
    Map<String, Child> servers = new LinkedHashMap<>();
    try {
      Map<String, String> uris = new LinkedHashMap<>();
      for (String encoder : encoders) {
        Child server = Child.start("encoded-server-" + encoder, STREAM_JVM, null, BenchServer.class.getName());
        servers.put(encoder, server);
        uris.put(encoder, "http://127.0.0.1:" + server.readLine().split(" ")[1] + "/");
      }
      for (String encoder : encoders) {
        runClient(null, "encoded:" + encoder, uris.get(encoder), 64L << 20, null);
        servers.get(encoder).command("stats");
      }
      Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (String encoder : encoders) {
          Map<String, Object> run = runClient(null, "encoded:" + encoder, uris.get(encoder), size, null);
          run.put("server", Json.read(servers.get(encoder).command("stats")));
          results.computeIfAbsent(encoder, k -> new ArrayList<>()).add(run);
          Map<?, ?> server = (Map<?, ?>) run.get("server");
          log("encoded stream %s round %d: %.0f MB/s, wire/payload %.3f, client heap peak %.1f MiB, RSS peak %.0f MiB;"
              + " server heap peak %.1f MiB, RSS peak %.0f MiB", encoder, r + 1,
              ((Number) run.get("mbPerSecond")).doubleValue(),
              ((Number) run.get("wireBytes")).doubleValue() / ((Number) run.get("bytes")).doubleValue(),
              mib(run.get("peakHeapBytes")), mib(bytesOr0(run, "peakRssBytes")),
              mib(server.get("peakHeapBytes")), mib(bytesOr0(server, "peakRssBytes")));
        }
      }
      for (String encoder : encoders) {
        Map<String, Object> m = streamSummary(results.get(encoder));
        List<Map<String, Object>> runs = results.get(encoder);
        m.put("wireBytes", runs.get(0).get("wireBytes"));
        m.put("crc32", runs.get(0).get("crc32"));
        m.put("clientPeakRssBytes", runs.stream().mapToLong(x -> bytesOr0(x, "peakRssBytes")).max().orElse(0));
        m.put("serverPeakRssBytes", runs.stream().mapToLong(x -> bytesOr0(x.get("server"), "peakRssBytes")).max()
            .orElse(0));
        if (results.containsKey("identity")) {
          m.put("ratioToIdentity", pairedRatio(runs, results.get("identity"),
              x -> ((Number) x.get("mbPerSecond")).doubleValue()));
        }
        out.put(encoder, m);
      }
      for (Child server : servers.values()) {
        server.command("quit");
      }
    } finally {
      for (Child server : servers.values()) {
        server.close();
      }
    }
    return out;
  }

  /** A size in a JSON map, 0 where it is absent (peak resident sets exist only on Linux). */
  private static long bytesOr0(Object map, String key) {
    Object v = ((Map<?, ?>) map).get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }

  private static double mib(Object bytes) {
    return ((Number) bytes).doubleValue() / (1 << 20);
  }

  private static Map<String, Object> streamSummary(List<Map<String, Object>> runs) {
    double[] rates = runs.stream().mapToDouble(r -> ((Number) r.get("mbPerSecond")).doubleValue()).toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mbPerSecond", median(rates));
    m.put("roundsMbPerSecond", Arrays.stream(rates).boxed().toList());
    m.put("clientPeakHeapBytes", runs.stream().mapToLong(r -> ((Number) r.get("peakHeapBytes")).longValue()).max()
        .orElse(0));
    m.put("serverPeakHeapBytes", runs.stream()
        .mapToLong(r -> ((Number) ((Map<?, ?>) r.get("server")).get("peakHeapBytes")).longValue()).max().orElse(0));
    m.put("clientMaxAfterGcBytes", runs.stream().mapToLong(r -> ((Number) r.get("maxAfterGcBytes")).longValue())
        .max().orElse(0));
    m.put("serverMaxAfterGcBytes", runs.stream()
        .mapToLong(r -> ((Number) ((Map<?, ?>) r.get("server")).get("maxAfterGcBytes")).longValue()).max().orElse(0));
    m.put("clientGcCount", runs.stream().mapToLong(r -> ((Number) r.get("gcCount")).longValue()).max().orElse(0));
    m.put("runs", runs);
    return m;
  }

  private static Map<String, Object> runClient(String classPath, String mode, String uri, long size, Path jfr)
      throws Exception {
    List<String> jvm = STREAM_JVM;
    List<String> args = new ArrayList<>(List.of(mode, uri, String.valueOf(size)));
    if (jfr != null) {
      args.add(jfr.toString());
    }
    try (Child client = Child.start("stream-client-" + mode, jvm, classPath, StreamClient.class.getName(),
        args.toArray(new String[0]))) {
      String line = client.readLine();
      int exit = client.waitFor();
      if (exit != 0) {
        throw new IllegalStateException("stream client exited with " + exit);
      }
      return new LinkedHashMap<>(Json.read(line));
    }
  }

  private static final long START = System.nanoTime();

  static void log(String format, Object... args) {
    System.err.println(String.format("e2e [%3d s]: ", (System.nanoTime() - START) / 1_000_000_000L)
        + String.format(format, args));
  }

  /** A child JVM running a main class of this jar; its standard error goes to ours. */
  static final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private Child(String name, Process process) {
      this.name = name;
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts {@code mainClass} of {@code classPath} (null: ours) with {@code jvmArgs}. */
    static Child start(String name, List<String> jvmArgs, String classPath, String mainClass, String... args)
        throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmArgs);
      cmd.add("-cp");
      cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
      cmd.add(mainClass);
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new Child(name, p);
    }

    String readLine() throws IOException {
      String line = out.readLine();
      if (line == null) {
        throw new IOException(name + " ended without answering");
      }
      return line;
    }

    /** Sends a command line and returns the answer line. */
    String command(String line) throws IOException {
      in.println(line);
      return line.equals("quit") ? "" : readLine();
    }

    int waitFor() throws InterruptedException {
      return process.waitFor();
    }

    @Override
    public void close() throws Exception {
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
