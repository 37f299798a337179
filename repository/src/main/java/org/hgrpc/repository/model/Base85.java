package org.hgrpc.repository.model;

/** Mercurial's base85 ({@code util.b85encode}), unpadded: the alphabet of git's binary patches. */
final class Base85 {
  private static final char[] CHARS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~".toCharArray();

  private Base85() {}

  /** Encodes {@code data}, trimming the output of the zero padding of the last word. */
  static String encode(byte[] data) {
    int l = data.length;
    int words = (l + 3) / 4;
    StringBuilder sb = new StringBuilder(words * 5);
    for (int w = 0; w < words; w++) {
      long v = 0;
      for (int k = 0; k < 4; k++) {
        int i = w * 4 + k;
        v = (v << 8) | (i < l ? data[i] & 0xff : 0);
      }
      char[] out = new char[5];
      for (int k = 4; k >= 0; k--) {
        out[k] = CHARS[(int) (v % 85)];
        v /= 85;
      }
      sb.append(out);
    }
    int olen = l % 4;
    if (olen != 0) {
      olen += 1;
    }
    olen += l / 4 * 5;
    return sb.substring(0, olen);
  }
}
