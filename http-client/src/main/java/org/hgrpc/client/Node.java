package org.hgrpc.client;

import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A Mercurial node: the 20-byte SHA-1 identifying a changeset (or any revlog entry). Rendered
 * and parsed as 40 lowercase hex digits, as Mercurial shows them.
 *
 * @param bytes exactly 20 bytes
 */
public record Node(ByteString bytes) implements Comparable<Node> {

  /** The length of a node in bytes. */
  public static final int LENGTH = 20;

  /** The null node: twenty zero bytes, the parent of a root changeset. */
  public static final Node NULL = new Node(ByteString.wrap(new byte[LENGTH]));

  /** Checks the length. */
  public Node {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.size() != LENGTH) {
      throw new IllegalArgumentException("a node has " + LENGTH + " bytes, not " + bytes.size() + ": " + bytes);
    }
  }

  /** The node of 20 {@code bytes}. */
  public static Node of(ByteString bytes) {
    return new Node(bytes);
  }

  /**
   * Parses 40 hex digits (either case).
   *
   * @throws IllegalArgumentException if {@code hex} is not 40 hex digits
   */
  public static Node fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a node is " + 2 * LENGTH + " hex digits, not " + hex.length() + ": " + hex);
    }
    return new Node(ByteString.fromHex(hex));
  }

  /** The 40 lowercase hex digits. */
  public String hex() {
    return bytes.hex();
  }

  /** The first 12 hex digits, as {@code hg log} shows a changeset. */
  public String shortHex() {
    return hex().substring(0, 12);
  }

  /** Whether this is {@link #NULL}. */
  public boolean isNull() {
    return equals(NULL);
  }

  @Override
  public int compareTo(Node o) {
    return bytes.compareTo(o.bytes);
  }

  /** The 40 hex digits. */
  @Override
  public String toString() {
    return hex();
  }
}
