package org.hgrpc.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentDecodingException;
import org.hgrpc.core.encoding.ContentEncoder;
import org.hgrpc.core.encoding.ContentEncodings;

/**
 * Fuzzes the 0006 content decoders ({@code identity}, {@code zlib}, {@code zstd-8mb}), which
 * decode what a peer sends.
 *
 * <p>Properties:
 *
 * <ul>
 *   <li>arbitrary payloads fed in order either decode or raise {@link ContentDecodingException}
 *       and nothing else; no payload decodes to more than the decoder's budget; once a decoder
 *       has failed, it keeps failing;
 *   <li>what an encoder of the same name makes from bytes, split into payloads anywhere,
 *       decodes back to those bytes.
 * </ul>
 *
 * <p>Input layout: the last bytes choose the mode (bit 0: arbitrary or round trip), the
 * encoding and the budget; the rest is the payloads (arbitrary) or the plain bytes (round trip).
 */
@org.junit.jupiter.api.Tag("fuzz")
class ContentDecoderFuzzTest {
  private static final String[] NAMES = {ContentEncodings.IDENTITY, ContentEncodings.ZLIB, ContentEncodings.ZSTD_8MB};
  private static final long[] BUDGETS = {0, 1, 100, 4096, 1 << 20};

  @FuzzTest
  void decodersFailOnlyAsDocumentedAndStayWithinBudget(FuzzedDataProvider data) {
    MEMORY.check();
    boolean roundTrip = data.consumeBoolean();
    String name = NAMES[data.consumeInt(0, NAMES.length - 1)];
    if (roundTrip) {
      roundTrip(data, name);
      return;
    }
    long budget = BUDGETS[data.consumeInt(0, BUDGETS.length - 1)];
    try (ContentDecoder decoder = ContentEncodings.DEFAULT.newDecoder(name, budget).orElseThrow()) {
      feed(data, name, budget, decoder);
    }
  }

  private static void feed(FuzzedDataProvider data, String name, long budget, ContentDecoder decoder) {
    int payloads = data.consumeInt(1, 6);
    boolean failed = false;
    for (int i = 0; i < payloads; i++) {
      ByteString payload = ByteString.wrap(i == payloads - 1 ? data.consumeRemainingAsBytes()
          : data.consumeBytes(data.consumeInt(0, 4096)));
      try {
        ByteString out = decoder.decode(payload);
        assertTrue(!failed, name + " decoded after failing");
        assertTrue(out.size() <= budget, name + " decoded " + out.size() + " bytes, budget " + budget);
      } catch (ContentDecodingException e) {
        failed = true;
      }
    }
  }

  private static void roundTrip(FuzzedDataProvider data, String name) {
    int pieces = data.consumeInt(1, 5);
    try (ContentEncoder encoder = ContentEncodings.DEFAULT.newEncoder(name).orElseThrow();
        ContentDecoder decoder = ContentEncodings.DEFAULT.newDecoder(name, 1 << 24).orElseThrow()) {
      roundTrip(data, name, pieces, encoder, decoder);
    }
  }

  private static void roundTrip(FuzzedDataProvider data, String name, int pieces, ContentEncoder encoder,
      ContentDecoder decoder) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    try {
      for (int i = 0; i < pieces; i++) {
        byte[] piece = i == pieces - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 2048));
        plain.writeBytes(piece);
        decoded.writeBytes(decoder.decode(encoder.encode(ByteString.wrap(piece))).toByteArray());
      }
      decoded.writeBytes(decoder.decode(encoder.flush()).toByteArray());
    } catch (ContentDecodingException e) {
      throw new AssertionError(name + " could not decode its own encoder's output", e);
    }
    assertEquals(ByteString.wrap(plain.toByteArray()), ByteString.wrap(decoded.toByteArray()), name + " round trip");
  }

  private static final ResidentMemoryGuard MEMORY = new ResidentMemoryGuard();
}
