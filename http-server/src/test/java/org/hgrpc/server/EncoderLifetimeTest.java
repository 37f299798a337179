package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Each zstd response stream's native context (megabytes of memory the garbage collector does
 * not see) is freed when its answer has been sent, not when a collection happens to find it:
 * after many small zstd answers, no context is left behind.
 */
class EncoderLifetimeTest {
  private static final String FRAMING = "application/mercurial-exp-framing-0006";

  @Test
  void zstdContextsAreFreedWhenEachAnswerIsSent() throws Exception {
    Assumptions.assumeTrue(ContentEncodings.zstdAvailable(), "zstd-jni's native library does not load here");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    FrameStream stream = new FrameStream(1);
    body.writeBytes(Frames.createSenderProtocolSettingsFrame(stream, 1, List.of("zstd-8mb", "identity")).encode());
    Frames.createCommandFrames(stream, 1, ByteString.latin1("customreadonly"), Map.of(), null,
        FrameConstants.DEFAULT_MAX_FRAME_SIZE).forEachRemaining(f -> body.writeBytes(f.encode()));
    HgrcConfig cfg = HgrcConfig.empty().withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0).settings(ServerSettings.from(cfg))
        .errorLog(new PrintStream(OutputStream.nullOutputStream())).registry(TestCommands.registry()).build()
        .start()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.uri() + "api/exp-http-v2-0003/ro/customreadonly"))
          .header("Accept", FRAMING).header("Content-Type", FRAMING).timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
      HttpResponse<byte[]> first = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, first.statusCode());
      assertTrue(new String(first.body(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("zstd-8mb"),
          "the answer is not zstd");
      long before = ContentEncodings.liveNativeContexts();
      for (int i = 0; i < 300; i++) {
        assertEquals(200, http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      }
      // The server frees a context just after the answer's last byte; the client may read it first.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ContentEncodings.liveNativeContexts() > before && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      // A collection in between could only lower the count; without closing it grows by 300.
      assertTrue(ContentEncodings.liveNativeContexts() <= before,
          "zstd contexts left after 300 answers: " + (ContentEncodings.liveNativeContexts() - before));
    }
  }
}
