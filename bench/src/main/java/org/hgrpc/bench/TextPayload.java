package org.hgrpc.bench;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.IndefiniteByteString;

/**
 * A text-like payload of any size for the encoded-stream runs: lines of words drawn from a
 * fixed vocabulary of 4,096, chunk {@code i} from its own seed, so that it is made as it is
 * sent, never repeats (a repeated block would let zstd's 8 MB window turn the stream into a
 * run of back-references, measuring nothing) and compresses like text, if less than source
 * code does (zlib 2.2:1, zstd-8mb 2.8:1). Anyone can make the same bytes again: the client
 * computes the expected checksum from them before it starts the clock.
 */
public final class TextPayload {
  private TextPayload() {}

  /** Bytes per chunk: cborutil's chunk size, 64 KiB, as the other streamed payload. */
  public static final int CHUNK = Fixtures.STREAM_CHUNK;
  private static final byte[][] WORDS = vocabulary(4096);

  private static byte[][] vocabulary(int n) {
    Random r = new Random(2026);
    byte[][] words = new byte[n][];
    for (int i = 0; i < n; i++) {
      int len = 2 + r.nextInt(9);
      StringBuilder w = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        w.append((char) ('a' + r.nextInt(26)));
      }
      words[i] = w.toString().getBytes(StandardCharsets.US_ASCII);
    }
    return words;
  }

  /** Chunk {@code index} of a payload of {@code total} bytes: {@link #CHUNK} bytes, the last shorter. */
  public static byte[] chunk(long index, long total) {
    long start = index * CHUNK;
    if (index < 0 || start >= total) {
      throw new IllegalArgumentException("chunk " + index + " is beyond a payload of " + total + " bytes");
    }
    byte[] b = new byte[(int) Math.min(CHUNK, total - start)];
    // Seeds that differ by a multiple of SplittableRandom's own step would give overlapping
    // sequences (chunk i + 1 = chunk i shifted by a word): scramble the index first.
    SplittableRandom r = new SplittableRandom(scramble(index + 17));
    int at = 0;
    int onLine = 0;
    while (at < b.length) {
      byte[] w = WORDS[r.nextInt(WORDS.length)];
      int n = Math.min(w.length, b.length - at);
      System.arraycopy(w, 0, b, at, n);
      at += n;
      if (at < b.length) {
        b[at++] = (byte) (++onLine == 12 ? '\n' : ' ');
        onLine %= 12;
      }
    }
    return b;
  }

  /** SplitMix64's finalizer: neighbouring indices give unrelated seeds. */
  private static long scramble(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The payload as a byte string value whose chunks are made as they are pulled. */
  public static IndefiniteByteString value(long total) {
    return IndefiniteByteString.fromChunks(new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return next * CHUNK < total;
      }

      @Override
      public ByteString next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ByteString.wrap(chunk(next++, total));
      }
    });
  }

  /** The CRC-32 of the whole payload of {@code total} bytes. */
  public static long crc32(long total) {
    CRC32 crc = new CRC32();
    for (long i = 0; i * CHUNK < total; i++) {
      crc.update(chunk(i, total));
    }
    return crc.getValue();
  }
}
