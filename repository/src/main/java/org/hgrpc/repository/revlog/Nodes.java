package org.hgrpc.repository.revlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hgrpc.core.ByteString;

/** Node ids: the 20-byte SHA-1 hashes naming revisions, and the null node. */
public final class Nodes {
  /** The length of a node id in bytes. */
  public static final int LENGTH = 20;
  /** The null revision's node: twenty zero bytes. */
  public static final ByteString NULL = ByteString.wrap(new byte[LENGTH]);
  /** The null revision number. */
  public static final int NULL_REV = -1;
  /** The working directory's pseudo revision number ({@code wdirrev}). */
  public static final int WDIR_REV = 0x7fffffff;
  /** The working directory's pseudo node id in hex ({@code wdirhex}): forty {@code f}s. */
  public static final String WDIR_HEX = "f".repeat(40);

  private Nodes() {}

  /**
   * The hash Mercurial stores for a revision: SHA-1 of the smaller parent node, the larger,
   * then the text.
   */
  public static ByteString hash(ByteString p1, ByteString p2, byte[] text) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
    boolean ordered = p1.compareTo(p2) <= 0;
    sha1.update((ordered ? p1 : p2).toByteArray());
    sha1.update((ordered ? p2 : p1).toByteArray());
    sha1.update(text);
    return ByteString.wrap(sha1.digest());
  }

  /** Lower-case hex of a node. */
  public static String hex(ByteString node) {
    return node.hex();
  }

  /** The first 12 hex digits of a node, as Mercurial's {@code short}. */
  public static String shortHex(ByteString node) {
    String h = node.hex();
    return h.substring(0, Math.min(12, h.length()));
  }

  /**
   * The bytes of an even-length hex string (either case), or {@code null} when it is not hex,
   * as Python's {@code binascii.unhexlify} would accept or refuse it.
   */
  public static byte[] unhex(String hex) {
    if (hex.length() % 2 != 0) {
      return null;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0 || hex.charAt(i) > 0x7f) {
        return null;
      }
    }
    return HexFormat.of().parseHex(hex);
  }
}
