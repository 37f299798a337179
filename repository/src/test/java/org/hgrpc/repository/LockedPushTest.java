package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.repository.server.RepositoryCommandProvider;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ServerContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes waiting for a lock Mercurial really holds do not starve reads (issue 16's
 * reproduction, bounded): {@code hg debuglocks --set-wlock} holds the repository's wlock while
 * six {@code pushkey} requests arrive at a server with two push slots. Two take the slots and
 * wait for the lock ({@code ui.timeout}); four are refused at once with 503 naming {@code
 * hgrpc.max-concurrent-pushes}; meanwhile every {@code heads} answers 200, though there are only
 * as many read slots as waiting pushes. Once hg lets the
 * lock go, the two waiting pushes succeed, {@code hg bookmarks} shows them, and {@code hg
 * verify} finds the repository sound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LockedPushTest {
  private static final String FRAMING = "application/mercurial-exp-framing-0005";
  private static final int PUSH_SLOTS = 2;
  private static final int PUSHES = 6;
  private static final int READS = 20;

  @TempDir
  Path tmp;

  @BeforeAll
  static void requireHg() {
    Hg.require();
  }

  @Test
  void pushesWaitingForMercurialsLockLeaveReadsServed() throws Exception {
    Path repo = tmp.resolve("repo");
    String node = TestRepos.oneCommit(repo);

    HgrcConfig config = HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true")
        .withOverride("web.allow-push=*")
        .withOverride("web.push_ssl=false")
        .withOverride("hgrpc.max-concurrent-pushes=" + PUSH_SLOTS)
        // As few read slots as pushes wait: were the waiting pushes holding read slots, every heads would get 503.
        .withOverride("hgrpc.max-concurrent-requests=" + PUSH_SLOTS)
        .withOverride("ui.timeout=20"); // how long a pushkey waits for the lock: longer than this test holds it
    CommandRegistry registry = CommandRegistry.builder()
        .addProvider(new RepositoryCommandProvider(), new ServerContext(Optional.of(repo), config)).build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    Process holder = holdWlock(repo);
    try (HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0)
        .settings(ServerSettings.from(config)).registry(registry).build().start()) {
      URI rw = server.uri().resolve("api/exp-http-v2-0001/rw/pushkey");
      URI ro = server.uri().resolve("api/exp-http-v2-0001/ro/heads");
      List<CompletableFuture<HttpResponse<byte[]>>> pushes = new ArrayList<>();
      for (int i = 0; i < PUSHES; i++) {
        pushes.add(http.sendAsync(post(rw, pushBookmark("b" + i, node)), HttpResponse.BodyHandlers.ofByteArray()));
      }

      // Four refusals come at once; two pushes hold the slots, waiting for hg's lock.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (pushes.stream().filter(CompletableFuture::isDone).count() < PUSHES - PUSH_SLOTS) {
        assertTrue(System.nanoTime() < deadline, "the pushes over the budget were not refused at once");
        Thread.sleep(10);
      }
      List<String> refused = new ArrayList<>();
      List<Integer> waiting = new ArrayList<>();
      for (int i = 0; i < PUSHES; i++) {
        CompletableFuture<HttpResponse<byte[]>> f = pushes.get(i);
        if (!f.isDone()) {
          waiting.add(i);
          continue;
        }
        HttpResponse<byte[]> r = f.get();
        assertEquals(503, r.statusCode(), "push b" + i + ": " + text(r));
        refused.add(text(r));
      }
      assertEquals(PUSH_SLOTS, waiting.size(), "pushes waiting for the lock: " + waiting);
      assertEquals(List.of("server busy: 2 pushes in progress (hgrpc.max-concurrent-pushes); try again later\n"),
          refused.stream().distinct().toList(), "every refusal says the push budget is full");

      // Reads are served while the pushes wait (one after the other: the read slots are few).
      long readsStart = System.nanoTime();
      for (int i = 0; i < READS; i++) {
        HttpResponse<byte[]> r = http.send(post(ro, command("heads", Map.of())), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> "heads while pushes wait: " + text(r));
        List<Object> values = decode(r.body());
        assertEquals(2, values.size(), "heads: a status and the heads");
        assertEquals(List.of(ByteString.fromHex(node)), values.get(1));
      }
      long readsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readsStart);
      assertTrue(readsMillis < 10_000, "20 heads took " + readsMillis + " ms");
      for (int i : waiting) {
        assertFalse(pushes.get(i).isDone(), "push b" + i + " still waits for the lock hg holds");
      }

      release(holder, repo);
      for (int i : waiting) {
        HttpResponse<byte[]> r = pushes.get(i).get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), () -> "waiting push after the lock was released: " + text(r));
        assertEquals(Boolean.TRUE, decode(r.body()).get(1), "pushkey's answer");
      }
    } finally {
      holder.destroyForcibly();
      holder.waitFor(10, TimeUnit.SECONDS);
    }

    String bookmarks = Hg.run(repo, "bookmarks", "-T", "{bookmark} {node}\\n");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < PUSHES; i++) {
      if (bookmarks.contains("b" + i + " ")) {
        expected.add("b" + i + " " + node);
      }
    }
    assertEquals(PUSH_SLOTS, expected.size(), "the waiting pushes' bookmarks, and only them: " + bookmarks);
    assertEquals(String.join("\n", expected) + "\n", bookmarks);
    Hg.run(repo, "verify", "-q");
    for (String lock : List.of(".hg/wlock", ".hg/store/lock")) {
      assertFalse(Files.exists(repo.resolve(lock), LinkOption.NOFOLLOW_LINKS), lock + " left behind");
    }
  }

  /** {@code hg debuglocks --set-wlock}: it takes the wlock and holds it until a signal ends it. */
  private static Process holdWlock(Path repo) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("hg", "debuglocks", "--set-wlock").directory(repo.toFile());
    pb.environment().put("HGRCPATH", "");
    pb.environment().put("HGPLAIN", "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process hg = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(repo.resolve(".hg/wlock"), LinkOption.NOFOLLOW_LINKS)) {
      assertTrue(hg.isAlive(), "hg debuglocks --set-wlock exited with " + (hg.isAlive() ? "" : hg.exitValue()));
      assertTrue(System.nanoTime() < deadline, "hg did not take the wlock");
      Thread.sleep(20);
    }
    return hg;
  }

  /** Ends hg's hold (SIGTERM, which it handles by releasing the lock) and waits for the lock to go. */
  private static void release(Process hg, Path repo) throws Exception {
    hg.destroy();
    assertTrue(hg.waitFor(15, TimeUnit.SECONDS), "hg debuglocks did not stop on SIGTERM");
    // A waiting push may hold the wlock already; it must not be hg's any more.
    Path wlock = repo.resolve(".hg/wlock");
    if (Files.isSymbolicLink(wlock)) {
      try {
        String holder = Files.readSymbolicLink(wlock).toString();
        assertFalse(holder.endsWith(":" + hg.pid()), "hg left its wlock behind: " + holder);
      } catch (java.nio.file.NoSuchFileException e) {
        // the push that took it has released it already
      }
    }
  }

  private static HttpRequest post(URI uri, byte[] body) {
    return HttpRequest.newBuilder(uri).header("Content-Type", FRAMING).header("Accept", FRAMING)
        .timeout(Duration.ofSeconds(40)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static byte[] pushBookmark(String name, String node) {
    Map<ByteString, Object> args = new LinkedHashMap<>();
    args.put(ByteString.latin1("namespace"), ByteString.latin1("bookmarks"));
    args.put(ByteString.latin1("key"), ByteString.latin1(name));
    args.put(ByteString.latin1("old"), ByteString.EMPTY);
    args.put(ByteString.latin1("new"), ByteString.latin1(node));
    return command("pushkey", args);
  }

  /** The frames of one command request (API 0001, framing 0005). */
  private static byte[] command(String name, Map<ByteString, Object> args) {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0005)
        .withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(ByteString.latin1(name), args, null);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    ((Action.SendFrames) client.flushCommands()).frames().forEachRemaining(f -> body.writeBytes(f.encode()));
    return body.toByteArray();
  }

  /** The CBOR values of a response's frames: the status map, then the command's answer. */
  private static List<Object> decode(byte[] response) throws Exception {
    ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    new FrameDecoder(Limits.DEFAULTS).feed(response, 0, response.length,
        f -> payloads.writeBytes(f.payload().toByteArray()));
    return CborDecoder.decodeAll(ByteString.wrap(payloads.toByteArray()));
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
