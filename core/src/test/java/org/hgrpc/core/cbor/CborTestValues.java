package org.hgrpc.core.cbor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hgrpc.core.ByteString;

/** Random CBOR-encodable values without maps, from a seeded {@link Random}. */
final class CborTestValues {
  private CborTestValues() {}

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 4 ? 6 : 8);
    switch (kind) {
      case 0:
        return randomLong(random);
      case 1:
        return randomBigInteger(random);
      case 2: {
        byte[] b = new byte[random.nextInt(4) == 0 ? random.nextInt(70_000) : random.nextInt(30)];
        random.nextBytes(b);
        return ByteString.wrap(b);
      }
      case 3:
        return random.nextBoolean();
      case 4:
        return null;
      case 5:
        return (long) random.nextInt(30) - 15;
      default: {
        int n = random.nextInt(random.nextInt(10) == 0 ? 40 : 5);
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          l.add(randomValue(random, depth + 1));
        }
        return l;
      }
    }
  }

  /** Longs concentrated around the CBOR length-encoding boundaries. */
  static long randomLong(Random random) {
    long[] edges = {0, 23, 24, 255, 256, 65535, 65536, 4294967295L, 4294967296L, Long.MAX_VALUE};
    long v = random.nextInt(3) == 0 ? random.nextLong() : edges[random.nextInt(edges.length)] + random.nextInt(3) - 1;
    return random.nextBoolean() ? v : -1 - v;
  }

  /** Big integers between 2^63 and 2^64-1, positive or negative (-2^64 .. -2^63-1). */
  static BigInteger randomBigInteger(Random random) {
    BigInteger magnitude = new BigInteger(64, random).setBit(63);
    if (random.nextInt(10) == 0) {
      magnitude = TWO_64.subtract(BigInteger.ONE);
    }
    return random.nextBoolean() ? magnitude : magnitude.negate().subtract(BigInteger.ONE);
  }
}
