package org.hgrpc.core.encoding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

/** zstd's native contexts are freed once their encoder or decoder is unreachable. */
class NativeContextsTest {

  @Test
  void unreachableZstdCodersFreeTheirNativeContexts() throws InterruptedException {
    long before = NativeContexts.freed();
    for (int i = 0; i < 200; i++) {
      ContentEncoder e = ContentEncodings.DEFAULT.newEncoder("zstd-8mb").orElseThrow();
      e.encode(ByteString.latin1("some data"));
      ContentEncodings.DEFAULT.newDecoder("zstd-8mb", 1 << 20).orElseThrow();
    }
    // The coders above are garbage now; collections run their cleaning actions (bounded wait).
    for (int i = 0; i < 100 && NativeContexts.freed() - before < 300; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(NativeContexts.freed() - before >= 300, "freed: " + (NativeContexts.freed() - before) + " of 400");
  }
}
