package org.hgrpc.server;

import static org.hgrpc.server.HostileInputTest.RO;
import static org.hgrpc.server.HostileInputTest.assertServesNormally;
import static org.hgrpc.server.HostileInputTest.assertTextError;
import static org.hgrpc.server.HostileInputTest.encode;
import static org.hgrpc.server.HostileInputTest.post;
import static org.hgrpc.server.HostileInputTest.settings;
import static org.hgrpc.server.HostileInputTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.server.HostileInputTest.Raw;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow or stuck clients cannot starve the server: bounded versions of the scenarios of slow
 * uploads, pushes waiting for locks, and command data, with few slots. The long, full-size runs
 * are {@code scripts/admission-load.sh}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdmissionTest {
  static final String RW = "/api/exp-http-v2-0001/rw/";

  /** Reads command data: the one kind of command whose data is buffered. */
  static final Command DATA_SIZE = Command.takingData("datasize", Permission.PULL, List.of(),
      call -> CommandResponse.object(ByteString.latin1("got " + (call.data() == null ? 0 : call.data().size()))));

  static byte[] request(String command, byte[] data) {
    return encode(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), Map.of(),
        data == null ? null : new ByteArrayInputStream(data)));
  }

  @Test
  void tricklingUploadsHoldNoSlot() throws Exception {
    HgrpcServer server = start(settings("hgrpc.max-concurrent-requests=4", "hgrpc.idle-timeout=30"),
        TestCommands.registry());
    List<Raw> tricklers = new ArrayList<>();
    try {
      byte[] body = request("customreadonly", null);
      for (int i = 0; i < 8; i++) {
        Raw raw = Raw.open(server);
        tricklers.add(raw);
        raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + body.length));
      }
      // A byte at a time from each, twice the slots' worth of uploads in progress all along.
      for (int b = 0; b < 5; b++) {
        for (Raw raw : tricklers) {
          raw.send(new byte[] {body[b]});
        }
        Thread.sleep(100);
        assertServesNormally(server);
      }
      for (int i = 0; i < 20; i++) {
        assertServesNormally(server);
      }
      // The tricklers still get their answers once their bodies are whole.
      for (Raw raw : tricklers) {
        raw.send(Arrays.copyOfRange(body, 5, body.length));
        assertEquals(200, raw.readResponse(Duration.ofSeconds(10)).status());
      }
    } finally {
      for (Raw raw : tricklers) {
        raw.close();
      }
      server.close();
    }
  }

  @Test
  void pushesWaitingForALockHaveTheirOwnBudgetAndReadsGoOn() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch lockReleased = new CountDownLatch(1);
    // Stands for a pushkey waiting for the repository's lock.
    Command lockWait = Command.of("lockwait", Permission.PUSH, List.of(), call -> {
      entered.countDown();
      if (!lockReleased.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      return CommandResponse.object(ByteString.latin1("pushed"));
    });
    CommandRegistry registry = CommandRegistry.builder().addAll(TestCommands.all()).add(lockWait).build();
    HgrpcServer server = start(settings("hgrpc.max-concurrent-requests=1", "hgrpc.max-concurrent-pushes=1",
        "web.allow-push=*", "web.push_ssl=false"), registry);
    try {
      CompletableFuture<HttpResponse<String>> push = HostileInputTest.HTTP.sendAsync(
          HostileInputTest.request(server, RW + "lockwait", request("lockwait", null)),
          HttpResponse.BodyHandlers.ofString());
      try {
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the push never started");
        long t0 = System.nanoTime();
        HttpResponse<String> second = post(server, RW + "lockwait", request("lockwait", null));
        assertTextError(second, 503,
            "server busy: 1 pushes in progress (hgrpc.max-concurrent-pushes); try again later\n");
        assertTrue(HostileInputTest.millis(t0) < 5000, "the second push waited instead of being refused at once");
        // The one read slot is free: the waiting push holds none.
        for (int i = 0; i < 10; i++) {
          assertServesNormally(server);
        }
      } finally {
        lockReleased.countDown();
      }
      assertEquals(200, push.get(20, TimeUnit.SECONDS).statusCode());
    } finally {
      server.close();
    }
  }

  @Test
  void commandDataForACommandTakingNoneIsRefusedBeforeItIsBuffered() throws Exception {
    // A budget far smaller than the data: had the data been buffered, the budget would answer (413).
    HgrpcServer server = start(settings("hgrpc.max-buffered-bytes=256k"), TestCommands.registry());
    try {
      HttpResponse<String> r = post(server, RO + "customreadonly", request("customreadonly", new byte[8 << 20]));
      assertTextError(r, 400, "command customreadonly takes no command data; the request announces some"
          + " (expect data flag on request 1)\n");
      assertServesNormally(server);
    } finally {
      server.close();
    }
  }

  @Test
  void bufferedBytesPastTheServerWideBudgetAre503AndPastItAlone413() throws Exception {
    CommandRegistry registry = CommandRegistry.builder().addAll(TestCommands.all()).add(DATA_SIZE).build();
    HgrpcServer server = start(settings("hgrpc.max-buffered-bytes=1m", "hgrpc.idle-timeout=30"), registry);
    try {
      byte[] big = request("datasize", new byte[600 << 10]);
      try (Raw holder = Raw.open(server)) {
        // One request holds most of the budget while its body is still arriving.
        holder.send(holder.requestHead(RO + "datasize", "Content-Length: " + big.length));
        holder.send(Arrays.copyOf(big, 500 << 10));
        Thread.sleep(300);
        HttpResponse<String> r = post(server, RO + "datasize", big);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("server busy: request bodies being received hold "), r.body());
        assertTrue(r.body().endsWith(" of 1048576 bytes (hgrpc.max-buffered-bytes); try again later\n"), r.body());
        holder.send(Arrays.copyOfRange(big, 500 << 10, big.length));
        Raw.Response first = holder.readResponse(Duration.ofSeconds(10));
        assertEquals(200, first.status(), first.toString());
      }
      // Given back: the same request now fits.
      HttpResponse<byte[]> again = HostileInputTest.postBytes(server, RO + "datasize", big);
      assertEquals(200, again.statusCode());
      assertTrue(HostileInputTest.humanFrames(again.body()).contains("got 614400"));

      HttpResponse<String> tooLarge = post(server, RO + "datasize", request("datasize", new byte[2 << 20]));
      assertTextError(tooLarge, 413, "request body too large to hold: it needs more than 917504 bytes, the most one"
          + " request may hold of the 1048576 the server holds for request bodies (hgrpc.max-buffered-bytes)\n");
      assertServesNormally(server);
    } finally {
      server.close();
    }
  }

  @Test
  void oneAddressCanHaveOnlySoManyRequestsInProgress() throws Exception {
    HgrpcServer server = start(settings("hgrpc.max-requests-per-client=2", "hgrpc.idle-timeout=30"),
        TestCommands.registry());
    byte[] body = request("customreadonly", null);
    try (Raw a = Raw.open(server); Raw b = Raw.open(server)) {
      for (Raw raw : List.of(a, b)) {
        raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + body.length));
        raw.send(Arrays.copyOf(body, 3));
      }
      Thread.sleep(300);
      assertTextError(post(server, RO + "customreadonly", body), 503,
          "server busy: 2 requests in progress from 127.0.0.1 (hgrpc.max-requests-per-client); try again later\n");
      a.send(Arrays.copyOfRange(body, 3, body.length));
      assertEquals(200, a.readResponse(Duration.ofSeconds(10)).status());
      assertServesNormally(server);
    } finally {
      server.close();
    }
  }

  @Test
  void limitsThatLetBodiesOutgrowTheHeapAreWarnedAboutAtStart() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0)
        .settings(settings("hgrpc.max-buffered-bytes=1024g")).registry(TestCommands.registry())
        .errorLog(new PrintStream(log, true, StandardCharsets.UTF_8)).build().start();
    try {
      String text = log.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("hgrpc: warning: hgrpc.max-buffered-bytes is 1099511627776 bytes: request bodies"
          + " being received may take up to 4 times that on the heap"), text);
    } finally {
      server.close();
    }
  }
}
