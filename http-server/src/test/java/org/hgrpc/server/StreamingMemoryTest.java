package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A command yielding 256 MiB passes through a server whose heap is 64 MiB: the response is
 * written as the command produces it, never collected whole. The server runs in a forked JVM
 * ({@link StreamingServerMain}); the test streams the response, decodes its frames and checks
 * every byte of the CBOR byte string they carry.
 */
class StreamingMemoryTest {
  static final String FRAMING = "application/mercurial-exp-framing-0005";
  static final int CHUNKS = (int) (StreamingServerMain.TOTAL / StreamingServerMain.CHUNK);
  /** {b'status': b'ok'} (11), 0x5f, per chunk 0x5a + 4 length bytes + 64 KiB, 0xff. */
  static final long EXPECTED_PAYLOAD = 11 + 1 + (long) CHUNKS * (5 + StreamingServerMain.CHUNK) + 1;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void twoHundredFiftySixMebibytesThroughA64MebibyteHeap() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), StreamingServerMain.class.getName())
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("listening at ")) {
            url.complete(line.substring("listening at ".length()).trim());
          }
        }
      } catch (Exception e) {
        output.append("pump: ").append(e).append('\n');
      } finally {
        url.complete(null);
      }
    }, "child-output");
    pump.setDaemon(true);
    pump.start();
    try {
      String base = url.get(30, TimeUnit.SECONDS);
      assertNotNull(base, () -> "the server did not start:\n" + output);

      ByteArrayOutputStream request = new ByteArrayOutputStream();
      Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1("bigstream"), Map.of(), null)
          .forEachRemaining(f -> request.writeBytes(f.encode()));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
          URI.create(base.replaceAll("/$", "") + "/api/exp-http-v2-0001/ro/bigstream"))
          .timeout(Duration.ofSeconds(30))
          .header("Accept", FRAMING).header("Content-Type", FRAMING)
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      assertEquals(FRAMING, response.headers().firstValue("Content-Type").orElse(null));

      Checker checker = new Checker();
      long bodyBytes = 0;
      try (InputStream in = response.body()) {
        FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
          bodyBytes += n;
          decoder.feed(buffer, 0, n, checker::onFrame);
        }
        decoder.finish();
      }
      assertTrue(checker.eos, "no end-of-stream frame");
      assertTrue(checker.payloadBytes > StreamingServerMain.TOTAL, "payload " + checker.payloadBytes);
      assertEquals(EXPECTED_PAYLOAD, checker.payloadBytes, "command-response payload bytes");
      assertEquals(StreamingServerMain.TOTAL, checker.dataBytes, "byte string bytes");
      assertEquals(CHUNKS, checker.chunk, "chunks");
      assertEquals(bodyBytes, checker.payloadBytes + 8L * checker.frames, "body = frames");

      assertTrue(child.isAlive(), () -> "the server died:\n" + output);
      child.getOutputStream().close(); // asks StreamingServerMain to stop
      assertTrue(child.waitFor(20, TimeUnit.SECONDS), () -> "the server did not stop:\n" + output);
      pump.join(5000);
      assertEquals(0, child.exitValue(), () -> "server output:\n" + output);
      assertFalse(output.toString().contains("OutOfMemoryError"), () -> "server output:\n" + output);
      Matcher heap = Pattern.compile("stopped; max heap (\\d+) MiB").matcher(output);
      assertTrue(heap.find(), () -> "server output:\n" + output);
      assertTrue(Integer.parseInt(heap.group(1)) <= 64, "the server ran with more than 64 MiB: " + heap.group());
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Follows the response: frame types and flags, then the CBOR of the payloads, byte by byte,
   * across frame boundaries: the status map, an indefinite byte string of 64 KiB chunks, each
   * chunk filled with its index.
   */
  static final class Checker {
    long frames;
    long payloadBytes;
    long dataBytes;
    int chunk;
    boolean eos;
    private final byte[] ok = Frames.OVERALL_OK.toByteArray();
    private int state; // 0 status map, 1 start 0x5f, 2 chunk header, 3 chunk data, 4 done
    private int pos;
    private final byte[] chunkHeader = new byte[5];
    private long chunkLeft;

    void onFrame(org.hgrpc.core.frame.Frame f) {
      frames++;
      if (f.typeId() != FrameType.COMMAND_RESPONSE.id()) {
        fail("unexpected frame " + f);
      }
      if (eos) {
        fail("frame after end of stream: " + f);
      }
      eos = (f.flags() & FrameConstants.FLAG_COMMAND_RESPONSE_EOS) != 0;
      payloadBytes += f.payload().size();
      byte[] p = f.payload().toByteArray();
      for (int i = 0; i < p.length; i++) {
        byte b = p[i];
        switch (state) {
          case 0:
            assertEquals(ok[pos++], b, "status map");
            if (pos == ok.length) {
              state = 1;
            }
            break;
          case 1:
            assertEquals((byte) 0x5f, b, "indefinite byte string");
            state = 2;
            pos = 0;
            break;
          case 2:
            if (pos == 0 && b == (byte) 0xff) {
              state = 4;
              break;
            }
            chunkHeader[pos++] = b;
            if (pos == 5) {
              assertEquals((byte) 0x5a, chunkHeader[0], "chunk header");
              chunkLeft = ((chunkHeader[1] & 0xffL) << 24) | ((chunkHeader[2] & 0xff) << 16)
                  | ((chunkHeader[3] & 0xff) << 8) | (chunkHeader[4] & 0xff);
              assertEquals(StreamingServerMain.CHUNK, chunkLeft, "chunk size");
              state = 3;
            }
            break;
          case 3:
            int run = (int) Math.min(chunkLeft, p.length - i);
            for (int j = 0; j < run; j++) {
              if (p[i + j] != (byte) chunk) {
                fail("chunk " + chunk + " has byte " + p[i + j] + " at " + (StreamingServerMain.CHUNK - chunkLeft + j));
              }
            }
            i += run - 1;
            chunkLeft -= run;
            dataBytes += run;
            if (chunkLeft == 0) {
              chunk++;
              state = 2;
              pos = 0;
            }
            break;
          default:
            fail("bytes after the end of the byte string");
        }
      }
    }
  }
}
