package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.Permission;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameHeader;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.frame.HumanFrames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever a network sends, the server answers with a clear {@code text/plain} 4xx (or the
 * reference's 200 text error for protocol errors), never a 500 or a dropped connection, and
 * keeps serving: after every case a normal {@code customreadonly} request must still get the
 * reference's exact answer.
 *
 * <p>Cases that {@code java.net.http} cannot express (a body that never ends, a body that
 * stops, a header promising more bytes than are sent) use a raw socket and {@link Raw}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {
  static final String FRAMING = "application/mercurial-exp-framing-0005";
  static final String RO = "/api/exp-http-v2-0001/ro/";
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_FRAMES = 16;
  static final int IDLE_TIMEOUT_SECONDS = 2;

  /** The reference's request and answer for {@code customreadonly} (vectors, "read-only command"). */
  static final byte[] NORMAL_REQUEST =
      HexFormat.of().parseHex("1500000100010111a1446e616d654e637573746f6d726561646f6e6c79");
  static final byte[] NORMAL_RESPONSE = HexFormat.of().parseHex(
      "0b00000100020131a146737461747573426f6b1f00000100020031581d637573746f6d726561646f6e6c7920627974657320"
      + "726573706f6e73650000000100020032");

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The server under attack: small body limit, few frames per request, short idle timeout. */
  static HgrpcServer server;

  @BeforeAll
  static void start() throws Exception {
    server = start(settings(
        "hgrpc.max-body-bytes=" + MAX_BODY,
        "hgrpc.max-frames-per-request=" + MAX_FRAMES,
        "hgrpc.idle-timeout=" + IDLE_TIMEOUT_SECONDS), TestCommands.registry());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** After every case: the server still answers a normal request exactly, and promptly. */
  @AfterEach
  void stillServes() throws Exception {
    assertServesNormally(server);
  }

  // ---------------------------------------------------------------- random bytes

  @ParameterizedTest(name = "seed {0}, {1} bytes, small first length {2}")
  @CsvSource({
      "1, 1, false", "2, 5, false", "3, 7, false", "4, 8, false", "5, 9, false", "6, 64, false",
      "7, 1000, false", "8, 4096, false", "9, 65536, false",
      "10, 8, true", "11, 30, true", "12, 100, true", "13, 1000, true", "14, 4096, true", "15, 65536, true",
      "16, 200, true", "17, 3000, true", "18, 40000, true"})
  void randomBytes(long seed, int size, boolean smallFirstLength) throws Exception {
    byte[] body = new byte[size];
    Random random = new Random(seed);
    random.nextBytes(body);
    if (smallFirstLength && size >= 3) {
      // Let the decoder get past the first header, so the reactor sees a (random) frame.
      int len = random.nextInt(Math.min(size, 1000));
      body[0] = (byte) len;
      body[1] = (byte) (len >> 8);
      body[2] = 0;
    }
    Expected expected = Expected.of(body, limits());
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertTextError(r, expected.status, expected.body);
  }

  // ---------------------------------------------------------------- huge declared lengths

  @Test
  void frameHeaderDeclaring16MiBIsRefusedFromTheHeaderAlone() throws Exception {
    byte[] header = header(Limits.PROTOCOL_MAX_FRAME_PAYLOAD, 1, 1, FrameConstants.STREAM_FLAG_BEGIN_STREAM,
        FrameType.COMMAND_REQUEST, FrameConstants.FLAG_COMMAND_REQUEST_NEW);
    // The body is the header and nothing more.
    HttpResponse<String> r = post(server, RO + "customreadonly", header);
    assertTextError(r, 413, "malformed request body: frame payload exceeds maximum size 1048576: 16777215\n");
  }

  @Test
  void frameHeaderDeclaring16MiBIsAnsweredWithoutWaitingForThePayload() throws Exception {
    byte[] header = header(Limits.PROTOCOL_MAX_FRAME_PAYLOAD, 1, 1, FrameConstants.STREAM_FLAG_BEGIN_STREAM,
        FrameType.COMMAND_REQUEST, FrameConstants.FLAG_COMMAND_REQUEST_NEW);
    // Content-Length promises the whole 16 MiB frame; only its header is sent, the connection stays open.
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + (8 + Limits.PROTOCOL_MAX_FRAME_PAYLOAD)));
      raw.send(header);
      long t0 = System.nanoTime();
      Raw.Response r = raw.readResponse(Duration.ofSeconds(10));
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "answered only after " + millis(t0) + " ms");
      r.assertText(413, "malformed request body: frame payload exceeds maximum size 1048576: 16777215\n");
      assertTrue(raw.closedByServer(Duration.ofSeconds(10)), "the rest of the promised body is not waited for");
    }
  }

  @Test
  void bodyOverMaxBodyBytesWithContentLength() throws Exception {
    byte[] body = bigFrameBody(100_000);
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + body.length));
      raw.sendInBackground(body);
      Raw.Response r = raw.readResponse(Duration.ofSeconds(15));
      r.assertText(413, "request body exceeds maximum size of " + MAX_BODY + " bytes\n");
    }
  }

  @Test
  void bodyOverMaxBodyBytesChunked() throws Exception {
    byte[] body = bigFrameBody(100_000);
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Transfer-Encoding: chunked"));
      raw.sendInBackground(Raw.chunked(body, 4096, true));
      Raw.Response r = raw.readResponse(Duration.ofSeconds(15));
      r.assertText(413, "request body exceeds maximum size of " + MAX_BODY + " bytes\n");
    }
  }

  @Test
  void bodyOfExactlyMaxBodyBytesIsNotTooLarge() throws Exception {
    // A single frame filling the limit exactly: not over the limit, so it is judged as frames.
    byte[] body = bigFrameBody(MAX_BODY - 8);
    assertEquals(MAX_BODY, body.length);
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    // The frame is a complete command request whose payload is not CBOR (zeros): a CBOR error, not a 413.
    assertNotEquals(413, r.statusCode(), r.body());
    assertNotEquals(500, r.statusCode(), r.body());
    assertEquals("text/plain", contentType(r));
  }

  // ---------------------------------------------------------------- endless body

  @Test
  void endlessBodyIsCutOffAtTheLimitAndTheConnectionClosed() throws Exception {
    long bound = 64L << 20; // the writer gives up after 64 MiB, 1024 times the limit
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Transfer-Encoding: chunked"));
      AtomicLong written = new AtomicLong();
      AtomicReference<Throwable> writerStop = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = raw.socket.getOutputStream();
          FrameStream stream = new FrameStream(1);
          int flags = FrameConstants.FLAG_COMMAND_REQUEST_NEW | FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES;
          byte[] payload = new byte[32 * 1024];
          while (written.get() < bound) {
            Frame f = stream.makeFrame(1, FrameType.COMMAND_REQUEST, flags, ByteString.wrap(payload));
            flags = FrameConstants.FLAG_COMMAND_REQUEST_CONTINUATION | FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES;
            byte[] chunk = Raw.chunk(f.encode());
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          writerStop.set(e);
        }
      }, "endless-body-writer");
      writer.setDaemon(true);
      writer.start();
      Raw.Response r = raw.readResponse(Duration.ofSeconds(20));
      r.assertText(413, "request body exceeds maximum size of " + MAX_BODY + " bytes\n");
      assertTrue(raw.closedByServer(Duration.ofSeconds(10)), "connection left open after an endless body");
      writer.join(TimeUnit.SECONDS.toMillis(20));
      assertTrue(!writer.isAlive(), "the writer is still writing: the server keeps reading an endless body");
      assertNotNull(writerStop.get(), "the writer reached its bound (" + written.get()
          + " bytes): the server read far past the limit");
    }
  }

  // ---------------------------------------------------------------- stalled and slow bodies

  @Test
  void stalledBodyTimesOutWith408() throws Exception {
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + NORMAL_REQUEST.length));
      raw.send(java.util.Arrays.copyOf(NORMAL_REQUEST, 10)); // then nothing
      long t0 = System.nanoTime();
      Raw.Response r = raw.readResponse(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 10));
      assertTrue(millis(t0) < (IDLE_TIMEOUT_SECONDS + 5) * 1000L, "took " + millis(t0) + " ms");
      assertEquals(408, r.status, "a body that stops coming is a request timeout; got: " + r);
      assertEquals("text/plain", r.contentType());
      assertTrue(r.text().toLowerCase(Locale.ROOT).contains("time"), "message names the timeout: " + r.text());
    }
  }

  @Test
  void slowBodyIsDroppedAndOthersAreServedMeanwhile() throws Exception {
    // One byte per second never trips a 2 s idle timeout by itself; the server must still not let
    // a client hold a request open forever at that rate.
    byte[] body = header(1000, 1, 1, FrameConstants.STREAM_FLAG_BEGIN_STREAM, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW);
    byte[] full = java.util.Arrays.copyOf(body, 1008);
    int maxBytes = 20; // bounds the dribble to ~20 s
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: " + full.length));
      AtomicLong dribbled = new AtomicLong();
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = raw.socket.getOutputStream();
          for (int i = 0; i < maxBytes; i++) {
            out.write(full[i]);
            out.flush();
            dribbled.incrementAndGet();
            Thread.sleep(1000);
          }
        } catch (IOException | InterruptedException e) {
          // the server gave up on us: expected
        }
      }, "slow-body-writer");
      writer.setDaemon(true);
      long t0 = System.nanoTime();
      writer.start();
      Thread.sleep(1500);
      // Meanwhile the server serves others.
      assertServesNormally(server);
      Raw.Response r;
      try {
        r = raw.readResponse(Duration.ofSeconds(maxBytes + 5));
      } finally {
        writer.interrupt();
      }
      long elapsed = millis(t0);
      assertTrue(dribbled.get() < maxBytes,
          "the server waited for the whole slow body (" + dribbled.get() + " bytes over " + elapsed + " ms); got " + r);
      assertEquals(408, r.status, "a too slow body is a request timeout; got: " + r);
      assertEquals("text/plain", r.contentType());
      assertTrue(r.text().toLowerCase(Locale.ROOT).matches("(?s).*(slow|time).*"), "message: " + r.text());
      writer.join(5000);
    }
  }

  @Test
  void clientVanishingMidBodyLeavesTheServerServing() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (Raw raw = Raw.open(server)) {
        raw.send(raw.requestHead(RO + "customreadonly", "Content-Length: 1000"));
        raw.send(java.util.Arrays.copyOf(NORMAL_REQUEST, 12));
      }
    }
    assertServesNormally(server);
  }

  // ---------------------------------------------------------------- deep CBOR

  @Test
  void deeplyNestedCborArgumentsGetAClear4xx() throws Exception {
    HttpResponse<String> r = post(server, RO + "customreadonly", commandFrame(nestedArgsRequest(1000)));
    assertNotEquals(500, r.statusCode(), r.body());
    assertEquals("text/plain", contentType(r), r.body());
    assertEquals("command request is not valid CBOR: CBOR nesting exceeds maximum depth 64\n", r.body());
    assertEquals(400, r.statusCode(), "deep CBOR is a client error (issue: 'deep CBOR: a clear 4xx'); body: " + r.body());
  }

  @Test
  void deeplyNestedCborWithinAConfiguredDepthDoesNotOverflowTheStack() throws Exception {
    // With the largest allowed depth the 1000 levels are decoded; the unknown argument is a command error.
    HgrpcServer deep = start(settings("hgrpc.max-cbor-depth=1024"), TestCommands.registry());
    try {
      HttpResponse<byte[]> r = postBytes(deep, RO + "customreadonly", commandFrame(nestedArgsRequest(1000)));
      assertEquals(200, r.statusCode());
      assertEquals(FRAMING, r.headers().firstValue("Content-Type").orElse(null));
      String frames = humanFrames(r.body());
      assertTrue(frames.contains("command-response") && frames.contains("unsupported argument to command: %s"), frames);
      assertServesNormally(deep);
    } finally {
      deep.close();
    }
  }

  @Test
  void deeplyNestedCborMapsGetAClear4xx() throws Exception {
    // A map nested 1000 deep, in a 2 KiB request: the same clear error as for arrays.
    ByteArrayOutputStream cbor = new ByteArrayOutputStream();
    cbor.write(0xa2);
    cbor.writeBytes(cborBytes("name"));
    cbor.writeBytes(cborBytes("customreadonly"));
    cbor.writeBytes(cborBytes("args"));
    for (int i = 0; i < 1000; i++) {
      cbor.write(0xa1);
      cbor.writeBytes(cborBytes("k"));
    }
    cbor.write(0x00);
    HttpResponse<String> r = post(server, RO + "customreadonly", commandFrame(cbor.toByteArray()));
    assertEquals("text/plain", contentType(r), r.body());
    assertEquals("command request is not valid CBOR: CBOR nesting exceeds maximum depth 64\n", r.body());
    assertEquals(400, r.statusCode(), r.body());
  }

  // ---------------------------------------------------------------- truncated and wrong frames

  @Test
  void truncatedPayloadGets400() throws Exception {
    byte[] body = java.util.Arrays.copyOf(NORMAL_REQUEST, 8 + 10);
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertTextError(r, 400, "malformed request body: frame length error: expected 21; got 10\n");
  }

  @Test
  void truncatedHeaderGets400() throws Exception {
    byte[] body = java.util.Arrays.copyOf(NORMAL_REQUEST, 5);
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("text/plain", contentType(r));
    assertTrue(r.body().startsWith("malformed request body: received incomplete frame: got 5 bytes"), r.body());
  }

  @Test
  void completeRequestFollowedByTruncatedFrameGets400() throws Exception {
    byte[] body = concat(NORMAL_REQUEST, java.util.Arrays.copyOf(NORMAL_REQUEST, 3));
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("text/plain", contentType(r));
    assertTrue(r.body().startsWith("malformed request body: received incomplete frame: got 3 bytes"), r.body());
  }

  @Test
  void framesOnEvenStreamGetTheReferenceTextError() throws Exception {
    // The vectors' "protocol error": the reference answers 200 with the message.
    byte[] body = HexFormat.of().parseHex("1500000100020111a1446e616d654e637573746f6d726561646f6e6c79");
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertTextError(r, 200, "received frame with even numbered stream ID: 2\n");
  }

  @Test
  void firstErrorWinsOverALaterOversizedHeaderInTheSameRead() throws Exception {
    // An even-stream frame, then a header declaring 16 MiB, arriving together. The reference stops
    // at the first bad frame; the answer must not depend on how TCP cut the body.
    byte[] even = HexFormat.of().parseHex("1500000100020111a1446e616d654e637573746f6d726561646f6e6c79");
    byte[] huge = header(Limits.PROTOCOL_MAX_FRAME_PAYLOAD, 3, 1, 0, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW);
    HttpResponse<String> r = post(server, RO + "customreadonly", concat(even, huge));
    assertTextError(r, 200, "received frame with even numbered stream ID: 2\n");
  }

  @Test
  void tooManyFramesPerRequestGets413() throws Exception {
    // customreadonly's 21-byte request cut into 1-byte frames: 21 frames > 16.
    byte[] body = encode(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1("customreadonly"),
        Map.of(), null, 1));
    HttpResponse<String> r = post(server, RO + "customreadonly", body);
    assertTextError(r, 413, "request 1 exceeds maximum of " + MAX_FRAMES + " frames\n");
  }

  @Test
  void framesUpToTheLimitAreFine() throws Exception {
    // Cut into 2-byte frames: 11 frames <= 16; the answer is the normal one.
    byte[] body = encode(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1("customreadonly"),
        Map.of(), null, 2));
    HttpResponse<byte[]> r = postBytes(server, RO + "customreadonly", body);
    assertEquals(200, r.statusCode());
    assertArrayEquals(NORMAL_RESPONSE, r.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad Content-Length | POST /api/exp-http-v2-0001/ro/customreadonly HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: nope\\r\\n\\r\\n | Content-Length",
      "no URI | GARBAGE\\r\\n\\r\\n | URI",
      "bad escape in path | GET /%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | Bad Request"})
  void malformedHttpGetsA400TextMessage(String name, String request, String reason) throws Exception {
    // Jetty refuses these before the servlet runs; the answer must still be a text message, not an HTML page.
    try (Raw raw = Raw.open(server)) {
      raw.send(request.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      Raw.Response r = raw.readResponse(Duration.ofSeconds(10));
      assertEquals(400, r.status, r.toString());
      assertTrue(r.contentType() != null && r.contentType().startsWith("text/plain"), "Content-Type of " + r);
      assertTrue(r.text().contains(reason), "message names the problem: " + r);
    }
  }

  @Test
  void malformedChunkedEncodingMidBodyGets400TextMessage() throws Exception {
    try (Raw raw = Raw.open(server)) {
      raw.send(raw.requestHead(RO + "customreadonly", "Transfer-Encoding: chunked"));
      raw.send(Raw.chunk(java.util.Arrays.copyOf(NORMAL_REQUEST, 10)));
      raw.send("ZZ-not-a-chunk-size\r\n".getBytes(StandardCharsets.ISO_8859_1));
      Raw.Response r = raw.readResponse(Duration.ofSeconds(10));
      assertEquals(400, r.status, r.toString());
      assertTrue(r.contentType() != null && r.contentType().startsWith("text/plain"), "Content-Type of " + r);
      assertTrue(!r.text().isBlank(), "a message saying what was wrong: " + r);
    }
  }

  @Test
  void tooManyRequestsInFlightInOneMultirequestGets413() throws Exception {
    // 1100 tiny command requests, each its own request id, in 31 KiB: over the 1024 in flight.
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    FrameStream stream = new FrameStream(1);
    for (int id = 1; id <= 1100; id++) {
      Frames.createCommandFrames(stream, id, ByteString.latin1("customreadonly"), Map.of(), null)
          .forEachRemaining(f -> body.writeBytes(f.encode()));
    }
    assertTrue(body.size() < MAX_BODY);
    HttpResponse<String> r = post(server, RO + "multirequest", body.toByteArray());
    assertTextError(r, 413, "too many requests in flight: maximum is 1024\n");
  }

  // ---------------------------------------------------------------- concurrency limit

  @Test
  void requestsOverMaxConcurrentRequestsGet503() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Command block = Command.of("block", Permission.PULL, List.of(), call -> {
      entered.countDown();
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      return CommandResponse.object(ByteString.latin1("released"));
    });
    CommandRegistry registry = CommandRegistry.builder().add(TestCommands.CUSTOM_READ_ONLY)
        .add(TestCommands.CUSTOM_READ_WRITE).add(block).build();
    HgrpcServer busy = start(settings("hgrpc.max-concurrent-requests=1"), registry);
    try {
      byte[] blockRequest = encode(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1("block"),
          Map.of(), null));
      CompletableFuture<HttpResponse<byte[]>> first = HTTP.sendAsync(request(busy, RO + "block", blockRequest),
          HttpResponse.BodyHandlers.ofByteArray());
      try {
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the blocking command never started");
        HttpResponse<String> second = post(busy, RO + "customreadonly", NORMAL_REQUEST);
        assertTextError(second, 503, "server busy: more than 1 concurrent requests; try again later\n");
      } finally {
        release.countDown();
      }
      HttpResponse<byte[]> firstResponse = first.get(20, TimeUnit.SECONDS);
      assertEquals(200, firstResponse.statusCode());
      assertTrue(humanFrames(firstResponse.body()).contains("released"), humanFrames(firstResponse.body()));
      // The slot is free again.
      assertServesNormally(busy);
    } finally {
      busy.close();
    }
  }

  // ================================================================= helpers

  static ServerSettings settings(String... overrides) {
    HgrcConfig cfg = HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    for (String o : overrides) {
      cfg = cfg.withOverride(o);
    }
    return ServerSettings.from(cfg);
  }

  /**
   * A server whose error log goes nowhere: every refusal these tests provoke would otherwise be a
   * line on the build's output (the tests check the answers, not the log).
   */
  static HgrpcServer start(ServerSettings settings, CommandRegistry registry) throws Exception {
    return HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings).registry(registry)
        .errorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).build().start();
  }

  static Limits limits() {
    return Limits.DEFAULTS.withMaxFramesPerRequest(MAX_FRAMES);
  }

  /** POSTs {@code customreadonly}'s request and checks the reference's exact answer, within 10 s. */
  static void assertServesNormally(HgrpcServer s) throws Exception {
    HttpResponse<byte[]> r = postBytes(s, RO + "customreadonly", NORMAL_REQUEST);
    assertEquals(200, r.statusCode(), () -> "normal request after the case: " + new String(r.body(),
        StandardCharsets.UTF_8));
    assertEquals(FRAMING, r.headers().firstValue("Content-Type").orElse(null));
    assertArrayEquals(NORMAL_RESPONSE, r.body(), "normal request after the case");
  }

  static HttpRequest request(HgrpcServer s, String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", FRAMING)
        .header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  static HttpResponse<String> post(HgrpcServer s, String path, byte[] body) throws Exception {
    return HTTP.send(request(s, path, body), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> postBytes(HgrpcServer s, String path, byte[] body) throws Exception {
    return HTTP.send(request(s, path, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse(null);
  }

  static void assertTextError(HttpResponse<String> r, int status, String body) {
    assertEquals(status, r.statusCode(), () -> "status; body: " + r.body());
    assertEquals("text/plain", contentType(r), "Content-Type");
    assertEquals(body, r.body());
  }

  static byte[] header(int length, int requestId, int streamId, int streamFlags, FrameType type, int flags) {
    byte[] h = new byte[8];
    new FrameHeader(length, requestId, streamId, streamFlags, type.id(), flags).writeTo(h, 0);
    return h;
  }

  /** One command request frame whose payload (zeros) is {@code payloadSize} bytes. */
  static byte[] bigFrameBody(int payloadSize) {
    byte[] body = new byte[8 + payloadSize];
    System.arraycopy(header(payloadSize, 1, 1, FrameConstants.STREAM_FLAG_BEGIN_STREAM, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW), 0, body, 0, 8);
    return body;
  }

  static byte[] commandFrame(byte[] cborRequest) {
    return new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST, FrameConstants.FLAG_COMMAND_REQUEST_NEW,
        ByteString.wrap(cborRequest)).encode();
  }

  /** {@code {b'name': b'customreadonly', b'args': {b'x': [[[...[0]...]]]}}} with {@code depth} arrays. */
  static byte[] nestedArgsRequest(int depth) {
    ByteArrayOutputStream cbor = new ByteArrayOutputStream();
    cbor.write(0xa2);
    cbor.writeBytes(cborBytes("name"));
    cbor.writeBytes(cborBytes("customreadonly"));
    cbor.writeBytes(cborBytes("args"));
    cbor.write(0xa1);
    cbor.writeBytes(cborBytes("x"));
    for (int i = 0; i < depth; i++) {
      cbor.write(0x81);
    }
    cbor.write(0x00);
    return cbor.toByteArray();
  }

  /** A short CBOR byte string (under 24 bytes). */
  static byte[] cborBytes(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[b.length + 1];
    out[0] = (byte) (0x40 | b.length);
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  static byte[] encode(FrameIterator frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The frames of a response body, one human string per line (for messages and contains-checks). */
  static String humanFrames(byte[] body) throws ProtocolException {
    StringBuilder sb = new StringBuilder();
    FrameDecoder d = new FrameDecoder(Limits.UNLIMITED);
    d.feed(body, 0, body.length, f -> sb.append(HumanFrames.format(f)).append('\n'));
    d.finish();
    return sb.toString();
  }

  static long millis(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /**
   * What the server must answer for a body of raw bytes, worked out with the protocol core:
   * frames are judged in order and the first problem decides, whether it is a frame the
   * decoder refuses (413 too large, 400 truncated) or a frame the reactor refuses (413 for a
   * broken limit, 400 for CBOR it cannot decode, else the reference's 200 text error).
   */
  record Expected(int status, String body) {
    static Expected of(byte[] body, Limits limits) {
      FrameDecoder decoder = new FrameDecoder(limits);
      ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true).withLimits(limits));
      AtomicReference<Expected> first = new AtomicReference<>();
      boolean[] anyFrame = {false};
      try {
        // Byte by byte: the first problem in stream order, however TCP would cut the body.
        for (int i = 0; i < body.length && first.get() == null; i++) {
          decoder.feed(body, i, 1, f -> {
            if (first.get() != null) {
              return;
            }
            anyFrame[0] = true;
            Action a = reactor.onFrameReceived(f);
            if (a instanceof Action.Error) {
              Action.Error e = (Action.Error) a;
              // A broken limit is a 413, undecodable CBOR a 400 (the reference raised), the rest the reference's 200.
              int status = e.kind() == Action.ErrorKind.LIMIT ? 413 : e.kind() == Action.ErrorKind.CBOR ? 400 : 200;
              first.set(new Expected(status, e.message() + "\n"));
            } else if (a instanceof Action.RunCommand) {
              fail("random bytes made a runnable command; pick another seed: " + a);
            }
          });
        }
        if (first.get() == null) {
          decoder.finish();
        }
      } catch (ProtocolException e) {
        if (first.get() == null) {
          return new Expected(e.kind() == ProtocolException.Kind.FRAME_TOO_LARGE ? 413 : 400,
              "malformed request body: " + e.getMessage() + "\n");
        }
      }
      if (first.get() != null) {
        return first.get();
      }
      if (!anyFrame[0]) {
        return new Expected(400, "request body is empty: expected command request frames\n");
      }
      if (reactor.state() == ServerReactor.State.COMMAND_RECEIVING) {
        return new Expected(400, "request body ended before the command request was complete\n");
      }
      return new Expected(400, "request body held no complete command request\n");
    }
  }

  /** HTTP/1.1 over a plain socket, for what {@code java.net.http} cannot send. */
  static final class Raw implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    private final int port;

    private Raw(Socket socket, int port) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.port = port;
    }

    static Raw open(HgrpcServer s) throws IOException {
      Socket socket = new Socket();
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", s.port()), 5000);
      socket.setSoTimeout(1000);
      return new Raw(socket, s.port());
    }

    byte[] requestHead(String path, String... headers) {
      StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + "Accept: " + FRAMING + "\r\nContent-Type: " + FRAMING + "\r\n");
      for (String h : headers) {
        sb.append(h).append("\r\n");
      }
      return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }

    /** Writes in a daemon thread (the server may stop reading, and close, before all is written). */
    void sendInBackground(byte[] bytes) {
      Thread t = new Thread(() -> {
        try {
          send(bytes);
        } catch (IOException e) {
          // the server stopped reading: fine
        }
      }, "raw-body-writer");
      t.setDaemon(true);
      t.start();
    }

    static byte[] chunk(byte[] data) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(data);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return out.toByteArray();
    }

    static byte[] chunked(byte[] body, int chunkSize, boolean last) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int off = 0; off < body.length; off += chunkSize) {
        out.writeBytes(chunk(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + chunkSize))));
      }
      if (last) {
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      return out.toByteArray();
    }

    /** Reads one response; fails if none is complete within {@code timeout}. */
    Response readResponse(Duration timeout) throws IOException {
      long deadline = System.nanoTime() + timeout.toNanos();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!endsWithBlankLine(head.toByteArray())) {
        int b = read(deadline);
        if (b < 0) {
          fail("connection closed before a response; got " + head.toString(StandardCharsets.ISO_8859_1));
        }
        head.write(b);
        if (head.size() > 64 * 1024) {
          fail("response head too long");
        }
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      int status = Integer.parseInt(statusLine[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (headers.containsKey("content-length")) {
        long n = Long.parseLong(headers.get("content-length"));
        for (long i = 0; i < n; i++) {
          int b = read(deadline);
          if (b < 0) {
            fail("connection closed inside the response body");
          }
          body.write(b);
        }
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        while (true) {
          String sizeLine = readLine(deadline);
          int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
          for (int i = 0; i < size; i++) {
            body.write(read(deadline));
          }
          readLine(deadline);
          if (size == 0) {
            break;
          }
        }
      } else {
        int b;
        while ((b = read(deadline)) >= 0) {
          body.write(b);
        }
      }
      return new Response(status, headers, body.toByteArray());
    }

    /** Whether the server closes the connection (EOF or reset) within {@code timeout}. */
    boolean closedByServer(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (System.nanoTime() < deadline) {
          try {
            if (in.read() < 0) {
              return true;
            }
          } catch (SocketTimeoutException e) {
            // keep waiting
          }
        }
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    private int read(long deadline) throws IOException {
      while (true) {
        try {
          return in.read();
        } catch (SocketTimeoutException e) {
          if (System.nanoTime() > deadline) {
            fail("no complete response in time");
          }
        }
      }
    }

    private String readLine(long deadline) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = read(deadline)) >= 0 && b != '\n') {
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean endsWithBlankLine(byte[] b) {
      int n = b.length;
      return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
      String contentType() {
        return headers.get("content-type");
      }

      String text() {
        return new String(body, StandardCharsets.UTF_8);
      }

      void assertText(int expectedStatus, String expectedBody) {
        assertEquals(expectedStatus, status, () -> "status; response: " + this);
        assertEquals("text/plain", contentType(), () -> "Content-Type; response: " + this);
        assertEquals(expectedBody, text());
      }

      @Override
      public String toString() {
        return status + " " + headers + " " + text();
      }
    }
  }
}
