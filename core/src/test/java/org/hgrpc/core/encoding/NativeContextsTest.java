package org.hgrpc.core.encoding;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** zstd's native contexts are freed when their encoder or decoder is closed, or else once it is unreachable. */
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

  @Test
  void closingGivesTheContextBackAtOnceWithoutTheCollector() {
    long live = NativeContexts.live();
    List<ZstdEncoder> encoders = new ArrayList<>();
    List<ZstdDecoder> decoders = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ZstdEncoder e = (ZstdEncoder) ContentEncodings.DEFAULT.newEncoder(ContentEncodings.ZSTD_8MB).orElseThrow();
      e.encode(ByteString.latin1("some data"));
      encoders.add(e);
      decoders.add((ZstdDecoder) ContentEncodings.DEFAULT.newDecoder(ContentEncodings.ZSTD_8MB, 1 << 20).orElseThrow());
    }
    assertTrue(encoders.stream().noneMatch(ZstdEncoder::nativeContextReleased));
    assertTrue(decoders.stream().noneMatch(ZstdDecoder::nativeContextReleased));
    encoders.forEach(ZstdEncoder::close);
    decoders.forEach(ZstdDecoder::close);
    assertTrue(encoders.stream().allMatch(ZstdEncoder::nativeContextReleased), "closed contexts are given back at once");
    assertTrue(decoders.stream().allMatch(ZstdDecoder::nativeContextReleased));
    // Of the 100 given back, at most MAX_IDLE of each kind are kept; the others are closed.
    assertTrue(NativeContexts.live() <= live + 2L * NativeContexts.MAX_IDLE,
        "live " + NativeContexts.live() + ", before " + live + ", idle at most " + NativeContexts.MAX_IDLE + " per kind");
    encoders.forEach(ZstdEncoder::close); // a second close gives nothing back twice, and does not throw
    assertTrue(ContentEncodings.liveNativeContexts() >= 0);
  }

  @Test
  void aContextGivenBackIsLentAgainAndMakesTheSameBytes() {
    ByteString text = ByteString.latin1("the same answer, ".repeat(200));
    ContentEncoder first = ContentEncodings.DEFAULT.newEncoder(ContentEncodings.ZSTD_8MB).orElseThrow();
    ByteString fresh = first.encode(text).concat(first.flush()).concat(first.encode(text)).concat(first.flush());
    first.close();
    for (int i = 0; i < 20; i++) {
      long live = NativeContexts.live();
      ContentEncoder again = ContentEncodings.DEFAULT.newEncoder(ContentEncodings.ZSTD_8MB).orElseThrow();
      ContentDecoder decoder = ContentEncodings.DEFAULT.newDecoder(ContentEncodings.ZSTD_8MB, 1 << 20).orElseThrow();
      ByteString reused = again.encode(text).concat(again.flush()).concat(again.encode(text)).concat(again.flush());
      assertEquals(fresh, reused, "a reset context compresses as a new one");
      assertEquals(text.concat(text), assertDoesNotThrow(() -> decoder.decode(reused)));
      again.close();
      decoder.close();
      assertTrue(NativeContexts.live() <= live + 1, "no new context while idle ones wait (a decoder's first may be made)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ContentEncodings.ZLIB, ContentEncodings.ZSTD_8MB})
  void aClosedCoderRefusesWork(String name) {
    ContentEncoder e = ContentEncodings.DEFAULT.newEncoder(name).orElseThrow();
    ContentDecoder d = ContentEncodings.DEFAULT.newDecoder(name, 1 << 20).orElseThrow();
    ByteString sent = e.encode(ByteString.latin1("before close")).concat(e.flush());
    assertDoesNotThrow(() -> assertEquals(ByteString.latin1("before close"), d.decode(sent)));
    e.close();
    d.close();
    assertEquals(name + ": used after close()",
        assertThrows(IllegalStateException.class, () -> e.encode(ByteString.latin1("x"))).getMessage());
    assertThrows(IllegalStateException.class, e::flush);
    assertThrows(IllegalStateException.class, () -> d.decode(sent));
  }

  @Test
  void identityHoldsNothingAndStaysUsable() throws ContentDecodingException {
    ContentEncoder e = ContentEncodings.DEFAULT.newEncoder(ContentEncodings.IDENTITY).orElseThrow();
    e.close();
    assertEquals(ByteString.latin1("x"), e.encode(ByteString.latin1("x")));
  }
}
