package org.hgrpc.core.cbor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * Encodes values to CBOR exactly as Mercurial's {@code cborutil.streamencode} does.
 *
 * <p>Supported values: {@link ByteString} (byte string), {@code byte[]} (byte string),
 * {@link Long}/{@link Integer}/{@link Short}/{@link Byte}/{@link BigInteger} in
 * {@code -2^64 .. 2^64-1} (integers, shortest form), {@link Boolean}, {@code null},
 * {@link List} and other ordered {@link Collection}s (definite-length array), {@link Map}
 * (definite-length map, keys sorted by {@link CanonicalOrder}), {@link Set}
 * (tag 258 then an array sorted the same way), and {@link IndefiniteByteString}. Text strings
 * are refused: the protocol is bytes, and silently choosing an encoding would hide bugs.
 *
 * <p>The bytes come from Jackson's {@code CBORGenerator} (through {@link HgCborGenerator});
 * this class only decides the canonical order and, for {@link #streamEncode}, where chunks
 * end.
 */
public final class CborEncoder {

  static final int MAJOR_UINT = 0;
  static final int MAJOR_NEGINT = 1;
  static final int MAJOR_BYTESTRING = 2;
  static final int MAJOR_ARRAY = 4;
  static final int MAJOR_MAP = 5;
  static final int MAJOR_SEMANTIC = 6;
  /** IANA's tag for a mathematical finite set, as cborutil uses it. */
  public static final int SEMANTIC_TAG_FINITE_SET = 258;

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger MIN = TWO_64.negate();
  private static final byte[] BEGIN_INDEFINITE_BYTESTRING = {(byte) 0x5f};
  private static final byte[] BREAK = {(byte) 0xff};
  private static final byte[] TRUE = {(byte) 0xf5};
  private static final byte[] FALSE = {(byte) 0xf4};
  private static final byte[] NULL = {(byte) 0xf6};

  /** Deepest nesting the encoder accepts. */
  public static final int MAX_ENCODE_DEPTH = 999;

  private static final HgCborGenerator.Factory FACTORY = new HgCborGenerator.Factory();

  private CborEncoder() {}

  /**
   * The CBOR encoding of {@code value}.
   *
   * @throws IllegalArgumentException if the value (or something in it) cannot be encoded
   */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encodeTo(value, out);
    return out.toByteArray();
  }

  /** {@link #encode} as a {@link ByteString}. */
  public static ByteString encodeToByteString(Object value) {
    return ByteString.wrap(encode(value));
  }

  /** Writes the CBOR encoding of {@code value} to {@code out}. */
  public static void encodeTo(Object value, OutputStream out) {
    try (HgCborGenerator gen = FACTORY.create(out)) {
      new Walk(gen, null).write(value, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Encodes {@code value}, handing the bytes to {@code sink} in the chunks
   * {@code cborutil.streamencode} yields: one per header and one per byte string content.
   * Content of an {@link IndefiniteByteString} is pulled while encoding.
   */
  public static void streamEncode(Object value, ChunkSink sink) {
    ChunkCollector out = new ChunkCollector(sink);
    try (HgCborGenerator gen = FACTORY.create(out)) {
      new Walk(gen, out).write(value, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The encoding of {@code value} as lazily made chunks: the begin marker, then each chunk's
   * header and content as they are pulled from the value, then the break byte. Lets a
   * transport send a huge indefinite byte string while reading it.
   */
  public static Iterator<ByteString> indefiniteChunks(IndefiniteByteString value) {
    Iterator<ByteString> source = value.chunks();
    return new Iterator<>() {
      private int phase; // 0: begin, 1: header or break, 2: content
      private ByteString content;

      @Override
      public boolean hasNext() {
        return phase != 3;
      }

      @Override
      public ByteString next() {
        switch (phase) {
          case 0:
            phase = 1;
            return ByteString.wrap(BEGIN_INDEFINITE_BYTESTRING.clone());
          case 1:
            if (source.hasNext()) {
              content = source.next();
              phase = 2;
              return ByteString.wrap(encodeLength(MAJOR_BYTESTRING, content.size()));
            }
            phase = 3;
            return ByteString.wrap(BREAK.clone());
          case 2:
            phase = 1;
            ByteString c = content;
            content = null;
            return c;
          default:
            throw new java.util.NoSuchElementException();
        }
      }
    };
  }

  /**
   * The header of an item of {@code majorType} with argument {@code length} in shortest
   * form, as cborutil's {@code encodelength}. {@code length} is unsigned.
   */
  /**
   * The header of a definite-length map of {@code pairs} pairs, for callers that must write the
   * pairs themselves in an order other than the sorted one {@link #encode} uses.
   */
  public static byte[] encodeMapHeader(int pairs) {
    return encodeLength(MAJOR_MAP, pairs);
  }

  static byte[] encodeLength(int majorType, long length) {
    int prefix = majorType << 5;
    if (length >= 0 && length < 24) {
      return new byte[] {(byte) (prefix | length)};
    } else if (length >= 0 && length < 256) {
      return new byte[] {(byte) (prefix | 24), (byte) length};
    } else if (length >= 0 && length < 65536) {
      return new byte[] {(byte) (prefix | 25), (byte) (length >> 8), (byte) length};
    } else if (length >= 0 && length < 4294967296L) {
      return new byte[] {(byte) (prefix | 26), (byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8),
          (byte) length};
    }
    byte[] b = new byte[9];
    b[0] = (byte) (prefix | 27);
    for (int i = 0; i < 8; i++) {
      b[8 - i] = (byte) (length >>> (8 * i));
    }
    return b;
  }

  /** Major type and unsigned argument for an integer, or an exception outside cborutil's range. */
  private static byte[] encodeBigInteger(BigInteger v) {
    if (v.compareTo(TWO_64) >= 0 || v.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("big integers not supported: " + v);
    }
    if (v.signum() >= 0) {
      return encodeLength(MAJOR_UINT, v.longValue());
    }
    return encodeLength(MAJOR_NEGINT, v.negate().subtract(BigInteger.ONE).longValue());
  }

  private static byte[] encodeLong(long v) {
    return v >= 0 ? encodeLength(MAJOR_UINT, v) : encodeLength(MAJOR_NEGINT, -(v + 1));
  }

  private static Object normalize(Object value) {
    if (value instanceof byte[]) {
      return ByteString.copyOf((byte[]) value);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    return value;
  }

  /** One encoding pass; when {@code chunks} is set, every written item ends a chunk. */
  private static final class Walk {
    private final HgCborGenerator gen;
    private final ChunkCollector chunks;

    Walk(HgCborGenerator gen, ChunkCollector chunks) {
      this.gen = gen;
      this.chunks = chunks;
    }

    void write(Object raw, int depth) throws IOException {
      // Below Jackson's own nesting limit (1000), which would fail with a less clear error.
      if (depth >= MAX_ENCODE_DEPTH) {
        throw new IllegalArgumentException("value nested too deeply to encode: more than " + MAX_ENCODE_DEPTH
            + " levels");
      }
      Object value = normalize(raw);
      if (value instanceof ByteString) {
        ByteString b = (ByteString) value;
        byte[] data = b.toByteArray();
        gen.writeBinary(data, 0, data.length);
        endBytes(data.length);
      } else if (value instanceof Long) {
        gen.writeNumber((long) (Long) value);
        endChunk();
      } else if (value instanceof BigInteger) {
        gen.writeRawValue(encodeBigInteger((BigInteger) value));
        endChunk();
      } else if (value instanceof Boolean) {
        gen.writeBoolean((Boolean) value);
        endChunk();
      } else if (value == null) {
        gen.writeNull();
        endChunk();
      } else if (value instanceof Map) {
        writeMap((Map<?, ?>) value, depth);
      } else if (value instanceof Set) {
        gen.writeTag(SEMANTIC_TAG_FINITE_SET);
        endChunk();
        List<Object> sorted = new ArrayList<>();
        for (Object member : (Set<?>) value) {
          sorted.add(normalize(member));
        }
        sorted.sort(CanonicalOrder.COMPARATOR);
        writeArray(sorted, depth);
      } else if (value instanceof Collection) {
        writeArray((Collection<?>) value, depth);
      } else if (value instanceof IndefiniteByteString) {
        writeIndefinite((IndefiniteByteString) value);
      } else {
        throw new IllegalArgumentException("do not know how to encode " + value.getClass().getName());
      }
    }

    private void writeArray(Collection<?> items, int depth) throws IOException {
      gen.writeStartArray(items, items.size());
      endChunk();
      for (Object item : items) {
        write(item, depth + 1);
      }
      gen.writeEndArray();
    }

    private void writeMap(Map<?, ?> map, int depth) throws IOException {
      List<Map.Entry<Object, Object>> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(normalize(e.getKey()), e.getValue()));
      }
      entries.sort(Map.Entry.comparingByKey(CanonicalOrder.COMPARATOR));
      gen.writeStartObject(map, entries.size());
      endChunk();
      for (Map.Entry<Object, Object> entry : entries) {
        Object key = entry.getKey();
        if (key instanceof ByteString) {
          ByteString b = (ByteString) key;
          byte[] data = b.toByteArray();
          gen.writeRawFieldName(encodeLength(MAJOR_BYTESTRING, data.length), data, 0, data.length);
          endBytes(data.length);
        } else if (key instanceof Long) {
          gen.writeRawFieldName(encodeLong((Long) key));
          endChunk();
        } else if (key instanceof BigInteger) {
          gen.writeRawFieldName(encodeBigInteger((BigInteger) key));
          endChunk();
        } else if (key instanceof Boolean) {
          gen.writeRawFieldName((Boolean) key ? TRUE : FALSE);
          endChunk();
        } else if (key == null) {
          gen.writeRawFieldName(NULL);
          endChunk();
        } else {
          throw new IllegalArgumentException("cannot encode map key of type " + key.getClass().getName());
        }
        write(entry.getValue(), depth + 1);
      }
      gen.writeEndObject();
    }

    private void writeIndefinite(IndefiniteByteString value) throws IOException {
      gen.beginRawValue();
      gen.writeBytes(BEGIN_INDEFINITE_BYTESTRING, 0, 1);
      endChunk();
      Iterator<ByteString> it = value.chunks();
      while (it.hasNext()) {
        byte[] data = it.next().toByteArray();
        byte[] header = encodeLength(MAJOR_BYTESTRING, data.length);
        gen.writeBytes(header, 0, header.length);
        gen.writeBytes(data, 0, data.length);
        endBytes(data.length);
      }
      gen.writeBytes(BREAK, 0, 1);
      endChunk();
    }

    private void endChunk() throws IOException {
      if (chunks != null) {
        gen.flush();
        chunks.emit(0);
      }
    }

    /** Ends the header chunk and then the content chunk of a byte string. */
    private void endBytes(int contentLength) throws IOException {
      if (chunks != null) {
        gen.flush();
        chunks.emit(contentLength);
        chunks.emit(0);
      }
    }
  }

  /** Collects what the generator flushes and cuts it into chunks on request. */
  private static final class ChunkCollector extends OutputStream {
    private final ChunkSink sink;
    private byte[] buf = new byte[256];
    private int count;

    ChunkCollector(ChunkSink sink) {
      this.sink = sink;
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }

    /**
     * Emits everything collected except the last {@code keep} bytes as one chunk, even when
     * that is nothing: cborutil yields the empty content of {@code b''} as a chunk too, and
     * the response emitter's frame boundaries depend on it.
     */
    void emit(int keep) {
      int n = count - keep;
      sink.chunk(buf, 0, n);
      System.arraycopy(buf, n, buf, 0, keep);
      count = keep;
    }
  }
}
