package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.frame.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Responses consumed while they arrive: incrementally, with back-pressure, timeouts and cancellation. */
class StreamingTest {
  private TestServer server;
  private HgrpcClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = TestServer.start();
    client = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(5)).bufferBytes(1 << 20).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void valuesArriveBeforeTheBodyEnds() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    AtomicBoolean serverWaited = new AtomicBoolean();
    server.raw("slow", (exchange, request) -> {
      Iterator<Frame> frames = TestServer.respond(request, List.of(ByteString.latin1("first"),
          ByteString.latin1("second")).iterator());
      exchange.getResponseHeaders().set("Content-Type", TestServer.FRAMING);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      frames.next().writeTo(out); // the status
      frames.next().writeTo(out); // both values, in one frame...
      out.flush();
      try {
        // ...but the end-of-stream frame waits until the client has seen the first value.
        serverWaited.set(firstSeen.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      frames.forEachRemaining(f -> {
        try {
          f.writeTo(out);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      out.close();
    });

    try (CommandResult r = client.await(client.call("slow", Map.of()))) {
      Iterator<Object> it = r.iterator();
      assertEquals(ByteString.latin1("first"), it.next());
      firstSeen.countDown();
      assertEquals(ByteString.latin1("second"), it.next());
      assertEquals(false, it.hasNext());
    }
    assertTrue(serverWaited.get(), "the first value must arrive while the server still holds the end");
  }

  @Test
  void manyFramesAreDecodedInOrder() {
    int n = 20_000;
    server.command("many", args -> LongStream.range(0, n).boxed().iterator());

    try (CommandResult r = client.await(client.call("many", Map.of()))) {
      long expected = 0;
      for (Object v : r) {
        assertEquals(expected++, v);
      }
      assertEquals(n, expected);
      assertTrue(r.bytesReceived() > 40_000, "bytes: " + r.bytesReceived());
    }
  }

  @Test
  void anIndefiniteByteStringComesInChunksAndAsAStream() throws Exception {
    byte[] data = new byte[3 * 65536 + 123];
    new java.util.Random(5).nextBytes(data);
    server.command("blob", args -> List.of(IndefiniteByteString.split(ByteString.copyOf(data), 65536)).iterator());

    try (CommandResult r = client.await(client.call("blob", Map.of()))) {
      List<Object> chunks = new ArrayList<>();
      r.iterator().forEachRemaining(chunks::add);
      // Four chunks of data, then the empty one the break byte ends.
      assertEquals(5, chunks.size());
      assertTrue(((ByteStringChunk) chunks.get(0)).first());
      assertEquals(ByteString.EMPTY, ((ByteStringChunk) chunks.get(4)).data());
      assertTrue(((ByteStringChunk) chunks.get(4)).last());
      assertEquals(ByteString.copyOf(data), Values.joinChunks(chunks).get(0));
    }
    try (CommandResult r = client.await(client.call("blob", Map.of())); InputStream in = r.bytes()) {
      assertArrayEquals(data, in.readAllBytes());
    }
    try (CommandResult r = client.await(client.call("blob", Map.of()))) {
      assertEquals(ByteString.copyOf(data), r.single());
    }
  }

  @Test
  void theBytesStreamRefusesAValueThatIsNotBytes() throws IOException {
    server.command("mixed", args -> List.of(ByteString.latin1("ab"), 42L).iterator());

    try (CommandResult r = client.await(client.call("mixed", Map.of())); InputStream in = r.bytes()) {
      assertEquals('a', in.read());
      assertEquals('b', in.read());
      ProtocolErrorException e = assertThrows(ProtocolErrorException.class, in::read);
      assertEquals("mixed: expected byte strings, got Long 42", e.getMessage());
    }
  }

  @Test
  void aPublisherDeliversAsTheSubscriberAsks() throws Exception {
    server.command("numbers", args -> LongStream.range(0, 10).boxed().iterator());
    List<Object> received = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done = new CompletableFuture<>();

    try (CommandResult r = client.await(client.call("numbers", Map.of()))) {
      r.publisher().subscribe(new Flow.Subscriber<>() {
        private Flow.Subscription s;

        @Override
        public void onSubscribe(Flow.Subscription s) {
          this.s = s;
          s.request(3);
        }

        @Override
        public void onNext(Object item) {
          received.add(item);
          if (received.size() % 3 == 0) {
            s.request(3);
          }
        }

        @Override
        public void onError(Throwable t) {
          done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
          done.complete(null);
        }
      });
      done.get(10, TimeUnit.SECONDS);
    }
    assertEquals(LongStream.range(0, 10).boxed().collect(Collectors.toList()), received);
  }

  @Test
  void aPublisherReportsAFailure() throws Exception {
    server.raw("broken", (exchange, request) -> {
      List<Frame> frames = new ArrayList<>();
      TestServer.respond(request, List.of(ByteString.latin1("x")).iterator()).forEachRemaining(frames::add);
      TestServer.writeFrames(exchange, frames.subList(0, frames.size() - 1).iterator()); // no end of stream
    });
    CompletableFuture<Throwable> failure = new CompletableFuture<>();

    try (CommandResult r = client.await(client.call("broken", Map.of()))) {
      r.publisher().subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object item) {}

        @Override
        public void onError(Throwable t) {
          failure.complete(t);
        }

        @Override
        public void onComplete() {
          failure.complete(null);
        }
      });
      assertInstanceOf(TruncatedResponseException.class, failure.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aStalledBodyTimesOutAfterTheValuesBeforeIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.raw("stall", (exchange, request) -> {
      Iterator<Frame> frames = TestServer.respond(request, List.of(ByteString.latin1("before")).iterator());
      exchange.getResponseHeaders().set("Content-Type", TestServer.FRAMING);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      frames.next().writeTo(out);
      frames.next().writeTo(out);
      out.flush();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    });
    try (HgrpcClient impatient = HgrpcClient.builder(server.uri()).idleTimeout(Duration.ofMillis(300)).build();
        CommandResult r = impatient.await(impatient.call("stall", Map.of()))) {
      Iterator<Object> it = r.iterator();
      assertEquals(ByteString.latin1("before"), it.next());
      long start = System.nanoTime();
      HgrpcTimeoutException e = assertThrows(HgrpcTimeoutException.class, it::hasNext);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertTrue(e.getMessage().startsWith("no response data from " + server.uri()), e.getMessage());
      assertTrue(millis < 3000, "took " + millis + " ms");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aStalledErrorBodyStillReportsTheStatus() {
    CountDownLatch release = new CountDownLatch(1);
    server.raw("failing", (exchange, request) -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(500, 0);
      exchange.getResponseBody().write("partial expla".getBytes());
      exchange.getResponseBody().flush();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    });
    try (HgrpcClient impatient = HgrpcClient.builder(server.uri()).idleTimeout(Duration.ofMillis(300)).build()) {
      HttpStatusException e = assertThrows(HttpStatusException.class,
          () -> impatient.await(impatient.call("failing", Map.of())));
      assertEquals(500, e.statusCode());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aConnectionClosedBeforeTheAnnouncedLengthIsTruncated() {
    server.raw("short", (exchange, request) -> {
      List<Frame> frames = new ArrayList<>();
      TestServer.respond(request, List.of(ByteString.latin1("x")).iterator()).forEachRemaining(frames::add);
      byte[] body = Wire.encode(frames);
      exchange.getResponseHeaders().set("Content-Type", TestServer.FRAMING);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body, 0, body.length - 4); // inside the last frame's header
      exchange.getResponseBody().flush();
      exchange.getHttpContext().getServer().stop(0); // drops the connection short of the length
    });

    TruncatedResponseException e = assertThrows(TruncatedResponseException.class, () -> {
      try (CommandResult r = client.await(client.call("short", Map.of()))) {
        r.toList();
      }
    });
    assertTrue(e.getMessage().contains("was cut"), e.getMessage());
  }

  /**
   * Counts, at every pull of body bytes from the JDK (the progress listener runs then), how far
   * the client has read ahead of what its consumer took. The client may hold its buffer, plus
   * the value it is decoding, plus the batch that crossed the limit, plus what the consumer is
   * taking (a value, or for raw bytes the batch being read; counted as consumed only after the
   * take returns); frame and CBOR headers add under 0.1 % of the bytes consumed.
   */
  static final class PullCounter implements ProgressListener {
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong maxAhead = new AtomicLong();
    final AtomicLong maxBatch = new AtomicLong();
    final CountDownLatch filled = new CountDownLatch(1);
    final CountDownLatch overrun = new CountDownLatch(1);
    private final AtomicLong lastPulled = new AtomicLong();
    private final long bufferBytes;
    private final long valueBytes;

    PullCounter(long bufferBytes, long valueBytes) {
      this.bufferBytes = bufferBytes;
      this.valueBytes = valueBytes;
    }

    @Override
    public void onProgress(java.net.URI uri, long pulled) {
      maxBatch.accumulateAndGet(pulled - lastPulled.getAndSet(pulled), Math::max);
      long ahead = pulled - consumed.get();
      maxAhead.accumulateAndGet(ahead, Math::max);
      if (ahead >= bufferBytes) {
        filled.countDown();
      }
      if (ahead > bufferBytes + 2 * valueBytes + 2 * maxBatch.get() + consumed.get() / 1000) {
        overrun.countDown();
      }
    }

    String stats() {
      return maxAhead.get() + " bytes ahead at most, batches up to " + maxBatch.get();
    }

    /** Nobody reads: the client must stop once its buffer is full (it would pull 256 MiB in this time). */
    void assertReadingStopsWhileNobodyReads() throws InterruptedException {
      assertTrue(filled.await(10, TimeUnit.SECONDS), "the client reads ahead until its buffer is full");
      assertFalse(overrun.await(500, TimeUnit.MILLISECONDS), "the client read on with nobody consuming: " + stats());
    }

    void assertNeverOverran() {
      assertEquals(1, overrun.getCount(), "the client read more than its buffer ahead: " + stats());
      assertTrue(maxAhead.get() >= bufferBytes, "the buffer was used: " + stats());
    }
  }

  /** A server answering {@code huge} with 256 MiB of zeros in 64 KiB chunks; {@code done} when it stopped writing. */
  private void serveHuge(AtomicReference<Throwable> serverFailure, CountDownLatch done) {
    server.raw("huge", (exchange, request) -> {
      try {
        TestServer.writeFrames(exchange, TestServer.respond(request, List.of(IndefiniteByteString.fromChunks(
            zeros(256L << 20, 64 << 10))).iterator()));
      } catch (IOException | RuntimeException e) {
        serverFailure.set(e);
        throw e;
      } finally {
        done.countDown();
      }
    });
  }

  private HgrpcClient countingClient(int bufferBytes, PullCounter counter) {
    return HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(5))
        .bufferBytes(bufferBytes).progressListener(counter).build();
  }

  @Test
  void anUnreadResultStopsTheReadingOfTheBody() throws Exception {
    int bufferBytes = 1 << 20;
    AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    serveHuge(serverFailure, serverDone);
    PullCounter counter = new PullCounter(bufferBytes, 64 << 10);

    try (HgrpcClient c = countingClient(bufferBytes, counter)) {
      CommandResult r = c.await(c.call("huge", Map.of()));
      Iterator<Object> it = r.iterator();
      counter.consumed.addAndGet(size(it.next()));

      counter.assertReadingStopsWhileNobodyReads();
      long received = r.bytesReceived();
      assertTrue(received < 64L << 20, "received " + received + " bytes without reading them");

      // Reading 32 MiB: the client reads on only as fast as values are consumed.
      while (counter.consumed.get() < 32L << 20) {
        counter.consumed.addAndGet(size(it.next()));
      }
      counter.assertNeverOverran();

      r.close(); // drops the connection: the server's writes fail
      assertTrue(serverDone.await(10, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, serverFailure.get());
      assertThrows(CallCancelledException.class, it::next);
    }
  }

  @Test
  void anUnreadRawResponseStopsTheReadingOfTheBody() throws Exception {
    int bufferBytes = 1 << 20;
    AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    serveHuge(serverFailure, serverDone);
    // Raw bytes are queued as the JDK hands them over: nothing is half decoded.
    PullCounter counter = new PullCounter(bufferBytes, 0);

    try (HgrpcClient c = countingClient(bufferBytes, counter)) {
      InputStream in = c.await(c.callRaw(CommandCall.of("huge")));
      byte[] buffer = new byte[8192];
      counter.consumed.addAndGet(in.read(buffer));

      counter.assertReadingStopsWhileNobodyReads();

      while (counter.consumed.get() < 32L << 20) {
        counter.consumed.addAndGet(in.read(buffer));
      }
      counter.assertNeverOverran();

      in.close(); // drops the connection: the server's writes fail
      assertTrue(serverDone.await(10, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, serverFailure.get());
      assertThrows(CallCancelledException.class, () -> in.read(buffer));
    }
  }

  /** The bytes of a value of a bytes response. */
  private static long size(Object value) {
    return value instanceof ByteStringChunk ? ((ByteStringChunk) value).data().size() : ((ByteString) value).size();
  }

  @Test
  void cancellingTheFutureCancelsTheCall() throws Exception {
    CountDownLatch requestArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.raw("never", (exchange, request) -> {
      requestArrived.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    });
    try {
      CompletableFuture<CommandResult> f = client.call("never", Map.of());
      assertTrue(requestArrived.await(10, TimeUnit.SECONDS));
      f.cancel(true);
      assertThrows(CallCancelledException.class, () -> client.await(f));
    } finally {
      release.countDown();
    }
  }

  @Test
  void closingTheClientFailsAWaitingConsumer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.raw("hang", (exchange, request) -> {
      Iterator<Frame> frames = TestServer.respond(request, List.of(ByteString.latin1("v")).iterator());
      exchange.getResponseHeaders().set("Content-Type", TestServer.FRAMING);
      exchange.sendResponseHeaders(200, 0);
      frames.next().writeTo(exchange.getResponseBody());
      exchange.getResponseBody().flush();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    });
    try {
      CommandResult r = client.await(client.call("hang", Map.of()));
      Iterator<Object> it = r.iterator();
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Thread consumer = new Thread(() -> {
        try {
          it.hasNext();
          outcome.complete(null);
        } catch (RuntimeException e) {
          outcome.complete(e);
        }
      });
      consumer.start();
      // The server sent only the status: the consumer waits (bounded, so TIMED_WAITING) for a value.
      while (consumer.getState() != Thread.State.TIMED_WAITING && !outcome.isDone()) {
        Thread.onSpinWait();
      }
      client.close();
      assertInstanceOf(CallCancelledException.class, outcome.get(10, TimeUnit.SECONDS));
    } finally {
      release.countDown();
    }
  }

  @Test
  void theIteratorEndsCleanly() {
    server.command("one", args -> List.of(ByteString.latin1("v")).iterator());
    try (CommandResult r = client.await(client.call("one", Map.of()))) {
      Iterator<Object> it = r.iterator();
      it.next();
      assertEquals(false, it.hasNext());
      assertThrows(NoSuchElementException.class, it::next);
    }
  }

  @Test
  void streamOfValues() {
    server.command("numbers", args -> LongStream.range(0, 5).boxed().iterator());
    try (CommandResult r = client.await(client.call("numbers", Map.of()))) {
      assertEquals(10L, r.stream().mapToLong(v -> (Long) v).sum());
    }
  }

  @Test
  void progressIsReported() throws Exception {
    server.command("blob", args -> List.of(ByteString.wrap(new byte[200_000])).iterator());
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    try (HgrpcClient c = HgrpcClient.builder(server.uri()).progressListener((uri, bytes) -> seen.add(bytes)).build();
        CommandResult r = c.await(c.call("blob", Map.of()))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      r.bytes().transferTo(out);
      assertEquals(200_000, out.size());
    }
    assertTrue(seen.get(seen.size() - 1) > 200_000, seen.toString());
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) >= seen.get(i - 1) || seen.get(i) < 1000, "bytes must grow per exchange: " + seen);
    }
  }

  /** {@code total} zero bytes in chunks of {@code size}, made as they are taken. */
  static Iterator<ByteString> zeros(long total, int size) {
    ByteString chunk = ByteString.wrap(new byte[size]);
    return new Iterator<>() {
      private long left = total;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public ByteString next() {
        int n = (int) Math.min(size, left);
        left -= n;
        return n == size ? chunk : chunk.substring(0, n);
      }
    };
  }
}
