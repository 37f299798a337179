package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory scenario: command data of 63 MiB, three requests at once, against a server
 * with 256 MiB of heap and the default limits ({@link BufferingServerMain}, a forked JVM that
 * exits on {@link OutOfMemoryError}). Data for a command taking none is refused before it is
 * buffered; data for a command taking some is held within {@code hgrpc.max-buffered-bytes},
 * past which requests are refused, never the heap exhausted.
 */
class BufferingMemoryTest {
  static final String FRAMING = "application/mercurial-exp-framing-0005";

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void commandDataWithinTheLimitsNeverExhaustsA256MebibyteHeap() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), BufferingServerMain.class.getName())
        .redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          if (line.startsWith("listening at ")) {
            url.complete(line.substring("listening at ".length()).trim().replaceAll("/$", ""));
          }
        }
      } catch (IOException e) {
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
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

      // The case: three requests with 63 MiB of command data each, at once, to a command taking none.
      for (HttpResponse<String> r : all(http, base, "nodata", 63L << 20, 3)) {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("command nodata takes no command data"), r.body());
      }
      // The same to a command that takes data: each alone needs more than the budget (an eighth of the heap),
      // so each is refused, 413 when its own bytes pass the budget, 503 when the others' got there first.
      for (HttpResponse<String> r : all(http, base, "datasize", 63L << 20, 3)) {
        assertTrue(r.statusCode() == 413 || r.statusCode() == 503, r.statusCode() + " " + r.body());
        assertTrue(r.body().contains("(hgrpc.max-buffered-bytes)"), r.body());
      }
      // Six of 12 MiB at once: as many as the budget holds are served, the others are told to come back.
      int served = 0;
      for (HttpResponse<String> r : all(http, base, "datasize", 12L << 20, 6)) {
        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
        served += r.statusCode() == 200 ? 1 : 0;
      }
      assertTrue(served >= 1, "none served");

      assertTrue(child.isAlive(), () -> "the server died:\n" + output);
      child.getOutputStream().close();
      assertTrue(child.waitFor(20, TimeUnit.SECONDS), () -> "the server did not stop:\n" + output);
      pump.join(5000);
      assertEquals(0, child.exitValue(), () -> "server output:\n" + output);
      assertFalse(output.toString().contains("OutOfMemoryError"), () -> "server output:\n" + output);
      assertFalse(output.toString().contains("warning"), () -> "the default limits fit the heap:\n" + output);
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code count} requests at once, each with {@code dataBytes} of command data, streamed (never held here). */
  private static List<HttpResponse<String>> all(HttpClient http, String base, String command, long dataBytes, int count)
      throws Exception {
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/exp-http-v2-0001/ro/" + command))
          .timeout(Duration.ofSeconds(60))
          .header("Accept", FRAMING).header("Content-Type", FRAMING)
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> requestBody(command, dataBytes))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> p : pending) {
      responses.add(p.get(90, TimeUnit.SECONDS));
    }
    return responses;
  }

  /** The frames of one command with {@code dataBytes} zero bytes of command data, made as they are read. */
  static InputStream requestBody(String command, long dataBytes) {
    InputStream zeros = new InputStream() {
      private long left = dataBytes;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
    FrameIterator frames = Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), Map.of(),
        zeros);
    return new InputStream() {
      private byte[] current = new byte[0];
      private int pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        while (pos == current.length) {
          if (!frames.hasNext()) {
            return -1;
          }
          current = frames.next().encode();
          pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
