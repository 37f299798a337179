package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.repository.model.Bookmarks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a server in the middle of pushes, in a loop: a server JVM
 * ({@code org.hgrpc.server.Main serve}) takes bookmark pushkeys from four client threads as
 * fast as they come and is killed at a random moment; then Mercurial must find the repository
 * sound ({@code hg verify}), the bookmarks file must parse and hold every bookmark the server
 * acknowledged, and the next server start must leave no stale lock; finally one more write
 * must leave no temporary file of the killed writes behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerCrashTest {
  private static final int ROUNDS = 6;
  private static final int CLIENTS = 4;
  private static final String FRAMING = "application/mercurial-exp-framing-0005";

  @TempDir
  Path tmp;

  @BeforeAll
  static void requireHg() {
    Hg.require();
  }

  @Test
  void killedMidPushTheRepositoryStaysSoundAndNothingAcknowledgedIsLost() throws Exception {
    Path repo = tmp.resolve("repo");
    String node = TestRepos.oneCommit(repo);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int killsLeavingLocks = 0;
    int temporaryFilesLeft = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Server server = Server.start(repo, tmp.resolve("log-" + round));
      assertNoLocks(repo, "after the start of round " + round);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String prefix = "r" + round + "c" + c + "-";
        Thread t = new Thread(() -> {
          for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
            String name = prefix + i;
            try {
              if (pushBookmark(http, server.port, name, node)) {
                acknowledged.add(name);
              }
            } catch (IOException e) {
              return; // the server is gone
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        t.start();
        clients.add(t);
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(300, 900));
      server.process.destroyForcibly();
      assertTrue(server.process.waitFor(20, TimeUnit.SECONDS));
      for (Thread t : clients) {
        t.interrupt();
        t.join(10_000);
      }

      if (Stream.of(".hg/wlock", ".hg/store/lock").anyMatch(l -> Files.exists(repo.resolve(l), LinkOption.NOFOLLOW_LINKS))) {
        killsLeavingLocks++;
      }
      temporaryFilesLeft += temporaryFiles(repo).size();
      Hg.run(repo, "verify");
      Bookmarks marks = HgRepository.open(repo).snapshot().bookmarks();
      for (String name : acknowledged) {
        assertTrue(marks.get(ByteString.latin1(name)) != null, "acknowledged bookmark " + name + " lost");
      }
    }
    assertTrue(acknowledged.size() > ROUNDS, "too few pushes to test anything: " + acknowledged.size());
    // What the kills hit differs from run to run; the report says how much this run tried.
    System.out.println("ServerCrashTest: " + ROUNDS + " kills, " + acknowledged.size() + " acknowledged pushes, "
        + killsLeavingLocks + " kills left a lock, " + temporaryFilesLeft + " temporary files left");

    Server last = Server.start(repo, tmp.resolve("log-last"));
    try {
      assertNoLocks(repo, "after the last start");
      assertTrue(pushBookmark(http, last.port, "after-the-crashes", node));
      assertEquals(List.of(), temporaryFiles(repo), "temporary files after a write");
    } finally {
      last.process.destroy();
      last.process.waitFor(20, TimeUnit.SECONDS);
    }
    String listed = Hg.run(repo, "bookmarks", "-T", "{bookmark}\\n");
    for (String name : acknowledged) {
      assertTrue(listed.contains(name + "\n"), "hg bookmarks lacks " + name);
    }
  }

  private static void assertNoLocks(Path repo, String when) {
    for (String lock : List.of(".hg/wlock", ".hg/store/lock", ".hg/wlock.break", ".hg/store/lock.break")) {
      assertFalse(Files.exists(repo.resolve(lock), LinkOption.NOFOLLOW_LINKS), lock + " " + when);
    }
  }

  private static List<Path> temporaryFiles(Path repo) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : List.of(repo.resolve(".hg"), repo.resolve(".hg/store"))) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith("~")).forEach(out::add);
      }
    }
    return out;
  }

  /** One {@code pushkey} over HTTP (API 0001): whether the server answered True. */
  private static boolean pushBookmark(HttpClient http, int port, String name, String node)
      throws IOException, InterruptedException {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0005)
        .withHasMultipleSend(false).withBufferSends(true));
    Map<ByteString, Object> args = new LinkedHashMap<>();
    args.put(ByteString.latin1("namespace"), ByteString.latin1("bookmarks"));
    args.put(ByteString.latin1("key"), ByteString.latin1(name));
    args.put(ByteString.latin1("old"), ByteString.EMPTY);
    args.put(ByteString.latin1("new"), ByteString.latin1(node));
    client.callCommand(ByteString.latin1("pushkey"), args, null);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ((Action.SendFrames) client.flushCommands()).frames().forEachRemaining(f -> body.writeBytes(f.encode()));
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/exp-http-v2-0001/rw/pushkey"))
        .header("Content-Type", FRAMING).header("Accept", FRAMING).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      return false;
    }
    ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    try {
      new FrameDecoder(Limits.DEFAULTS).feed(r.body(), 0, r.body().length, f -> payloads.writeBytes(f.payload().toByteArray()));
      List<Object> values = CborDecoder.decodeAll(ByteString.wrap(payloads.toByteArray()));
      return values.size() == 2 && Boolean.TRUE.equals(values.get(1));
    } catch (Exception e) {
      return false; // a response cut by the kill
    }
  }

  /** A server JVM serving {@code repo} for pushes, and its port. */
  private record Server(Process process, int port) {
    static Server start(Path repo, Path log) throws IOException {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "org.hgrpc.server.Main", "serve",
          "-R", repo.toString(), "-a", "127.0.0.1", "-p", "0", "-A", log.toString(), "-E", log + ".err",
          "--config", "web.push_ssl=false", "--config", "web.allow-push=*");
      Process p = new ProcessBuilder(cmd)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".stderr").toFile())).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      // The start-up lines (version, repository, APIs, push, protocols), then "listening at" last.
      String line = out.readLine();
      for (int i = 0; i < 20 && line != null && !line.startsWith("listening at "); i++) {
        line = out.readLine();
      }
      if (line == null || !line.startsWith("listening at ")) {
        p.destroyForcibly();
        throw new IllegalStateException("server did not start: " + line);
      }
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // Keep the pipe open and empty.
          }
        } catch (IOException e) {
          // Gone.
        }
      });
      drain.setDaemon(true);
      drain.start();
      // "listening at http://127.0.0.1:PORT/ (bound to 127.0.0.1:PORT)"
      int port = URI.create(line.substring("listening at ".length()).split(" ")[0]).getPort();
      return new Server(p, port);
    }
  }
}
