package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Back-pressure with framing 0006: a content-encoded response is read only as fast as its
 * decoded values are consumed, with each encoding. The data are pseudo-random, so the encoded
 * body is about as large as the decoded data and the counting of {@link StreamingTest.PullCounter}
 * (body bytes pulled against decoded bytes consumed) holds as it does for framing 0005; the
 * consumer checks every byte against the generator, so the decoding is checked too.
 */
class Streaming0006Test {
  private static final long TOTAL = 256L << 20;
  private static final int CHUNK = 64 << 10;
  private static final long SEED = 6;

  @ParameterizedTest
  @ValueSource(strings = {ContentEncodings.IDENTITY, ContentEncodings.ZLIB, ContentEncodings.ZSTD_8MB})
  void anUnreadEncodedResultStopsTheReadingOfTheBody(String encoding) throws Exception {
    int bufferBytes = 1 << 20;
    AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    StreamingTest.PullCounter counter = new StreamingTest.PullCounter(bufferBytes, CHUNK);
    try (TestServer server = TestServer.start(Framing.V0006, ContentEncodings.of(encoding));
        HgrpcClient c = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(5))
            .idleTimeout(Duration.ofSeconds(5)).bufferBytes(bufferBytes).progressListener(counter).build()) {
      serveRandom(server, serverFailure, serverDone);
      CommandResult r = c.await(c.call("huge", Map.of()));
      assertEquals(Framing.V0006, c.serverInfo().framing());
      Iterator<Object> it = r.iterator();
      Iterator<ByteString> expected = random(TOTAL, CHUNK);
      counter.consumed.addAndGet(take(it, expected));

      counter.assertReadingStopsWhileNobodyReads();
      assertTrue(r.bytesReceived() < 64L << 20, "received " + r.bytesReceived() + " bytes without reading them");

      while (counter.consumed.get() < 32L << 20) {
        counter.consumed.addAndGet(take(it, expected));
      }
      counter.assertNeverOverran();

      r.close();
      assertTrue(serverDone.await(20, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, serverFailure.get());
      assertThrows(CallCancelledException.class, it::next);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ContentEncodings.ZLIB, ContentEncodings.ZSTD_8MB})
  void anUnreadEncodedRawResponseStopsTheReadingOfTheBody(String encoding) throws Exception {
    int bufferBytes = 1 << 20;
    AtomicReference<Throwable> serverFailure = new AtomicReference<>();
    CountDownLatch serverDone = new CountDownLatch(1);
    StreamingTest.PullCounter counter = new StreamingTest.PullCounter(bufferBytes, 0);
    try (TestServer server = TestServer.start(Framing.V0006, ContentEncodings.of(encoding));
        HgrpcClient c = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(5))
            .idleTimeout(Duration.ofSeconds(5)).bufferBytes(bufferBytes).progressListener(counter).build()) {
      serveRandom(server, serverFailure, serverDone);
      InputStream in = c.await(c.callRaw(CommandCall.of("huge")));
      byte[] buffer = new byte[8192];
      int first = in.readNBytes(buffer, 0, 64);
      counter.consumed.addAndGet(first);
      // The body starts with the stream-settings frame (type 9) naming the encoding.
      assertEquals(9, (buffer[7] & 0xff) >> 4);
      int length = (buffer[0] & 0xff) | (buffer[1] & 0xff) << 8 | (buffer[2] & 0xff) << 16;
      assertEquals(List.of(ByteString.latin1(encoding)),
          org.hgrpc.core.cbor.CborDecoder.decodeAll(ByteString.wrap(java.util.Arrays.copyOfRange(buffer, 8, 8 + length))));

      counter.assertReadingStopsWhileNobodyReads();
      while (counter.consumed.get() < 32L << 20) {
        counter.consumed.addAndGet(in.read(buffer));
      }
      counter.assertNeverOverran();

      in.close();
      assertTrue(serverDone.await(20, TimeUnit.SECONDS));
      assertInstanceOf(IOException.class, serverFailure.get());
    }
  }

  /**
   * Takes the next value (a chunk of the indefinite byte string) and checks it against the
   * generator's bytes; returns its size.
   */
  private static long take(Iterator<Object> it, Iterator<ByteString> expected) {
    Object v = it.next();
    ByteString got = v instanceof ByteStringChunk chunk ? chunk.data() : (ByteString) v;
    // The decoder hands out the chunks as the server wrote them.
    assertArrayEquals(expected.next().toByteArray(), got.toByteArray());
    return got.size();
  }

  private static void serveRandom(TestServer server, AtomicReference<Throwable> serverFailure, CountDownLatch done) {
    server.raw("huge", (exchange, request) -> {
      try {
        server.send(exchange, server.answer(request, List.of(IndefiniteByteString.fromChunks(random(TOTAL, CHUNK)))
            .iterator()));
      } catch (IOException | RuntimeException e) {
        serverFailure.set(e);
        throw e;
      } finally {
        done.countDown();
      }
    });
  }

  /** {@code total} pseudo-random bytes (the same for every call) in chunks of {@code size}. */
  static Iterator<ByteString> random(long total, int size) {
    SplittableRandom random = new SplittableRandom(SEED);
    return new Iterator<>() {
      private long left = total;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public ByteString next() {
        byte[] b = new byte[(int) Math.min(size, left)];
        random.nextBytes(b);
        left -= b.length;
        return ByteString.wrap(b);
      }
    };
  }
}
