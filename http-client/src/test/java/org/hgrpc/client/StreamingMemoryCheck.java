package org.hgrpc.client;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.cbor.IndefiniteByteString;

/**
 * Run in a JVM with a small heap by {@link MemoryBoundTest}: serves a response of
 * {@link #TOTAL} bytes (one indefinite byte string, generated while it is sent), consumes it
 * with {@link CommandResult#bytes()}, and prints {@code bytes=N}. It can only succeed if
 * neither side holds the response in memory.
 */
public final class StreamingMemoryCheck {
  /** 256 MiB. */
  static final long TOTAL = 256L << 20;

  private StreamingMemoryCheck() {}

  /** Serves, consumes, prints the count; exits non-zero on any failure. */
  public static void main(String[] args) throws Exception {
    try (TestServer server = TestServer.start();
        HgrpcClient client = HgrpcClient.builder(server.uri()).idleTimeout(Duration.ofSeconds(20)).build()) {
      server.command("bigdata", a -> List.of(IndefiniteByteString.fromChunks(StreamingTest.zeros(TOTAL, 65536)))
          .iterator());
      long count = 0;
      byte[] buffer = new byte[1 << 16];
      try (CommandResult result = client.await(client.call("bigdata", Map.of())); InputStream in = result.bytes()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          count += n;
        }
      }
      System.out.println("bytes=" + count);
      System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
    }
  }
}
