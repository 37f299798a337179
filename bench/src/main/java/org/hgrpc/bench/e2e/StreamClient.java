package org.hgrpc.bench.e2e;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.bench.TextPayload;
import org.hgrpc.client.CommandResult;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.core.Framing;

/**
 * The client side of the streaming run, in its own JVM (run with {@code -Xmx64m}): reads
 * {@code size} bytes from the server and prints one JSON line with the time, the rate and the
 * heap's peak.
 *
 * <pre>
 * StreamClient hgrpc    BASE_URI SIZE [JFR]   HgrpcClient.call("stream", {size}).bytes(), read 64 KiB at a time
 * StreamClient hgrpc-h2 BASE_URI SIZE [JFR]   the same over HTTP/2 (h2c: the client's default, upgraded by the server)
 * StreamClient bare     BASE_URI SIZE [JFR]   java.net.http POST .../stream?size=SIZE, the body as an InputStream
 * StreamClient encoded:ENCODER BASE_URI SIZE [JFR]
 *                                            API exp-http-v2-0003 (framing 0006) offering only ENCODER
 *                                            (identity, zlib, zstd-8mb), so the server must use it:
 *                                            call("textstream", {size}).bytes(), decoded while read
 * </pre>
 *
 * <p>The encoded mode checks the byte count and the CRC-32 of what it decoded against
 * {@link TextPayload}'s, computed before the clock starts, and reports the response body's
 * bytes on the wire too ({@code wireBytes}: their ratio to the payload shows the encoder
 * at work; identity is a little above 1).
 *
 * <p>With a JFR file, the transfer (not the JVM's start) is recorded into it.
 *
 * <p>{@code hgrpc} and {@code bare} use the JDK's HTTP client over HTTP/1.1 and read into the
 * same 64 KiB array, so the difference is the protocol: framing, CBOR, the client's reactor and
 * queues; {@code hgrpc-h2} adds HTTP/2's framing and flow control. The bytes
 * are checked against the known content.
 */
public final class StreamClient {
  private StreamClient() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI base = URI.create(args[1]);
    long size = Long.parseLong(args[2]);
    java.nio.file.Path jfr = args.length > 3 ? java.nio.file.Path.of(args[3]) : null;
    HeapWatch watch = HeapWatch.get();
    jdk.jfr.Recording recording = null;
    long read;
    double seconds;
    Map<String, Object> extra = new LinkedHashMap<>();
    if (mode.startsWith("encoded:")) {
      String encoder = mode.substring("encoded:".length());
      long expectedCrc = TextPayload.crc32(size);
      try (HgrpcClient client = HgrpcClient.builder(base).httpVersion(HttpClient.Version.HTTP_1_1)
          .framing(Framing.V0006).contentEncoders(List.of(encoder)).requestTimeout(Duration.ofSeconds(60)).build()) {
        client.serverInfo();
        recording = startRecording(jfr);
        watch.reset();
        long t0 = System.nanoTime();
        CRC32 crc = new CRC32();
        try (CommandResult r = client.await(client.call("textstream", Map.of("size", size)));
            InputStream in = r.bytes()) {
          read = drain(in, crc);
          extra.put("wireBytes", r.bytesReceived());
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        if (crc.getValue() != expectedCrc) {
          throw new IllegalStateException(String.format("CRC-32 of the decoded payload %08x, expected %08x",
              crc.getValue(), expectedCrc));
        }
        extra.put("encoder", encoder);
        extra.put("crc32", String.format("%08x", expectedCrc));
      }
    } else if (mode.equals("hgrpc") || mode.equals("hgrpc-h2")) {
      HttpClient.Version version = mode.equals("hgrpc") ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
      try (HgrpcClient client = HgrpcClient.builder(base).httpVersion(version).requestTimeout(Duration.ofSeconds(60))
          .build()) {
        client.serverInfo();
        recording = startRecording(jfr);
        watch.reset();
        long t0 = System.nanoTime();
        try (CommandResult r = client.await(client.call("stream", Map.of("size", size)));
            InputStream in = r.bytes()) {
          read = drain(in);
        }
        seconds = (System.nanoTime() - t0) / 1e9;
      }
    } else {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest warm = HttpRequest.newBuilder(base.resolve("api/exp-http-v2-0001/ro/stream?size=1"))
          .header("Content-Type", Fixtures.FRAMING_TYPE).header("Accept", Fixtures.FRAMING_TYPE)
          .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.commandRequest("stream"))).build();
      http.send(warm, HttpResponse.BodyHandlers.discarding());
      recording = startRecording(jfr);
      watch.reset();
      long t0 = System.nanoTime();
      HttpRequest req = HttpRequest.newBuilder(base.resolve("api/exp-http-v2-0001/ro/stream?size=" + size))
          .header("Content-Type", Fixtures.FRAMING_TYPE).header("Accept", Fixtures.FRAMING_TYPE)
          .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.commandRequest("stream"))).build();
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode());
      }
      try (InputStream in = r.body()) {
        read = drain(in);
      }
      seconds = (System.nanoTime() - t0) / 1e9;
    }
    if (recording != null) {
      recording.dump(jfr);
      recording.close();
    }
    if (read != size) {
      throw new IllegalStateException("read " + read + " bytes, expected " + size);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode);
    m.put("bytes", read);
    m.put("seconds", seconds);
    m.put("mbPerSecond", read / seconds / 1e6);
    m.putAll(extra);
    m.putAll(watch.stats());
    System.out.println(Json.write(m));
  }

  private static jdk.jfr.Recording startRecording(java.nio.file.Path jfr) throws Exception {
    if (jfr == null) {
      return null;
    }
    jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    r.start();
    return r;
  }

  /** Reads everything into {@code crc}, 64 KiB at a time, holding nothing. */
  static long drain(InputStream in, CRC32 crc) throws Exception {
    byte[] buf = new byte[Fixtures.STREAM_CHUNK];
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      crc.update(buf, 0, n);
      total += n;
    }
    return total;
  }

  /**
   * Reads everything, checking the content: the stream is {@link Fixtures#STREAM_CHUNK_BYTES}
   * repeated, so byte {@code i} is {@code STREAM_CHUNK_BYTES[i % 65536]}.
   */
  static long drain(InputStream in) throws Exception {
    byte[] buf = new byte[Fixtures.STREAM_CHUNK];
    byte[] expect = Fixtures.STREAM_CHUNK_BYTES;
    long total = 0;
    int n;
    while ((n = in.read(buf)) != -1) {
      int at = (int) (total % expect.length);
      // Compare what fits before the content wraps around; checks every byte cheaply.
      int first = Math.min(n, expect.length - at);
      if (!Arrays.equals(buf, 0, first, expect, at, at + first)
          || (first < n && !Arrays.equals(buf, first, n, expect, 0, n - first))) {
        throw new IllegalStateException("wrong content at offset " + total);
      }
      total += n;
    }
    return total;
  }
}
