package org.hgrpc.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes: the protocol's {@code bytes} value.
 *
 * <p>Mercurial's wire protocol is made of byte strings, not text: command names, argument
 * names and values, map keys in CBOR and frame payloads are all bytes. {@code byte[]} cannot
 * be a map key or a set member (it has identity equality), so this class is the value type
 * used everywhere in hgrpc. It compares by content, orders lexicographically by unsigned byte
 * value (as Python sorts {@code bytes}, which is what makes CBOR map keys canonical), and
 * never exposes its backing array for writing.
 */
public final class ByteString implements Comparable<ByteString> {

  /** The empty byte string. */
  public static final ByteString EMPTY = new ByteString(new byte[0], 0, 0);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int offset;
  private final int length;
  private int hash;

  private ByteString(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** A byte string holding a copy of {@code bytes}. */
  public static ByteString copyOf(byte[] bytes) {
    return copyOf(bytes, 0, bytes.length);
  }

  /** A byte string holding a copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static ByteString copyOf(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return EMPTY;
    }
    return new ByteString(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
  }

  /** A byte string holding a copy of the remaining bytes of {@code buffer}; consumes them. */
  public static ByteString copyOf(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b.length == 0 ? EMPTY : new ByteString(b, 0, b.length);
  }

  /**
   * A byte string that shares {@code bytes} without copying. The caller gives up the array:
   * it must never be written again. Use this only for arrays freshly made by the caller, to
   * save a copy on hot paths.
   */
  public static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes, 0, bytes.length);
  }

  /** Like {@link #wrap(byte[])} for a range of an array the caller gives up. */
  public static ByteString wrap(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    return length == 0 ? EMPTY : new ByteString(bytes, offset, length);
  }

  /** The UTF-8 encoding of {@code text}. */
  public static ByteString utf8(String text) {
    return wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The ISO-8859-1 encoding of {@code text}: one byte per char, chars must be below 256. */
  public static ByteString latin1(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xff) {
        throw new IllegalArgumentException("character above U+00FF at index " + i);
      }
    }
    return wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Parses lower- or upper-case hex. */
  public static ByteString fromHex(String hex) {
    return wrap(HEX.parseHex(hex));
  }

  /** Number of bytes. */
  public int size() {
    return length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return length == 0;
  }

  /** The byte at {@code index}, as an unsigned value 0..255. */
  public int byteAt(int index) {
    java.util.Objects.checkIndex(index, length);
    return bytes[offset + index] & 0xff;
  }

  /** A new array with a copy of the bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  /** A read-only view of the bytes, without copying. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
  }

  /** The bytes from {@code from} (inclusive) to {@code to} (exclusive), without copying. */
  public ByteString substring(int from, int to) {
    java.util.Objects.checkFromToIndex(from, to, length);
    if (from == 0 && to == length) {
      return this;
    }
    return to == from ? EMPTY : new ByteString(bytes, offset + from, to - from);
  }

  /** This byte string followed by {@code other}. */
  public ByteString concat(ByteString other) {
    if (other.length == 0) {
      return this;
    }
    if (length == 0) {
      return other;
    }
    byte[] b = new byte[length + other.length];
    System.arraycopy(bytes, offset, b, 0, length);
    System.arraycopy(other.bytes, other.offset, b, length, other.length);
    return new ByteString(b, 0, b.length);
  }

  /** Whether the bytes begin with {@code prefix}. */
  public boolean startsWith(ByteString prefix) {
    return prefix.length <= length
        && Arrays.equals(bytes, offset, offset + prefix.length,
            prefix.bytes, prefix.offset, prefix.offset + prefix.length);
  }

  /** Writes the bytes to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, offset, length);
  }

  /** Puts the bytes into {@code buffer}. */
  public void writeTo(ByteBuffer buffer) {
    buffer.put(bytes, offset, length);
  }

  /** Copies the bytes into {@code target} at {@code targetOffset}. */
  public void copyTo(byte[] target, int targetOffset) {
    System.arraycopy(bytes, offset, target, targetOffset, length);
  }

  /** Decodes the bytes with {@code charset}, replacing malformed input. */
  public String toString(Charset charset) {
    return new String(bytes, offset, length, charset);
  }

  /** Decodes the bytes as UTF-8, replacing malformed input with U+FFFD. */
  public String utf8() {
    return toString(StandardCharsets.UTF_8);
  }

  /** Lowercase hex of the bytes. */
  public String hex() {
    return HEX.formatHex(bytes, offset, offset + length);
  }

  @Override
  public int compareTo(ByteString o) {
    return Arrays.compareUnsigned(bytes, offset, offset + length, o.bytes, o.offset, o.offset + o.length);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ByteString)) {
      return false;
    }
    ByteString other = (ByteString) o;
    return length == other.length
        && (hash == 0 || other.hash == 0 || hash == other.hash)
        && Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && length > 0) {
      h = 1;
      for (int i = offset; i < offset + length; i++) {
        h = 31 * h + bytes[i];
      }
      hash = h;
    }
    return h;
  }

  /**
   * The bytes as Python 3's {@code repr} of {@code bytes}, such as {@code b'foo\x00'}: single
   * quotes unless the bytes contain a single quote and no double quote; {@code \\},
   * {@code \t}, {@code \n}, {@code \r} and the quote escaped; other bytes below 0x20 or from
   * 0x7f as {@code \xNN}. This is how Mercurial prints bytes in its messages and vectors, and
   * what the Python literal renderer writes for a {@code bytes} value.
   */
  @Override
  public String toString() {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (int i = offset; i < offset + length; i++) {
      hasSingle |= bytes[i] == '\'';
      hasDouble |= bytes[i] == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    StringBuilder out = new StringBuilder(length + 3).append('b').append(quote);
    for (int i = offset; i < offset + length; i++) {
      int b = bytes[i] & 0xff;
      if (b == quote || b == '\\') {
        out.append('\\').append((char) b);
      } else if (b == '\t') {
        out.append("\\t");
      } else if (b == '\n') {
        out.append("\\n");
      } else if (b == '\r') {
        out.append("\\r");
      } else if (b < 0x20 || b >= 0x7f) {
        out.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
      } else {
        out.append((char) b);
      }
    }
    return out.append(quote).toString();
  }
}
