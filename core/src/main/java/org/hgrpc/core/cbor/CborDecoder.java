package org.hgrpc.core.cbor;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * Decodes the CBOR subset Mercurial's {@code cborutil.sansiodecoder} accepts, without doing
 * any I/O: feed it bytes as they arrive and collect whole values.
 *
 * <p>Accepted: integers up to 64 bits, definite byte strings, definite arrays and maps (keys
 * must be simple values: byte strings, integers, booleans, null), sets (tag 258 on an array of
 * simple values), booleans, null, and indefinite-length byte strings at the top level, which
 * come out as {@link ByteStringChunk}s as soon as each chunk is complete, so a huge value never
 * needs one buffer. Everything else (text strings, floats, other tags, indefinite arrays and
 * maps) is refused with the reference decoder's message. Values map to Java as: integers to
 * {@link Long} (or {@link BigInteger} beyond its range), byte strings to {@link ByteString},
 * arrays to {@link List}, maps to {@link Map}, sets to {@link Set}, null to {@code null}.
 *
 * <p>Why not Jackson's {@code CBORParser}: it turns byte-string map keys into text by UTF-8
 * decoding (lossy for the binary keys Mercurial uses and indistinguishable from integer keys),
 * rejects non-text keys such as booleans, and has no non-blocking mode for input that arrives
 * frame by frame. Decoding here follows the reference item by item instead; the encoder does
 * use Jackson's generator. Tests check this decoder against Jackson's parser wherever Jackson
 * is faithful.
 *
 * <p>Like the reference, decoding is atomic per item: {@link #decode} consumes only whole
 * items and reports how many bytes it used; the caller passes the rest again with more input.
 * {@link StreamingCborDecoder} does that bookkeeping.
 */
public final class CborDecoder {

  private static final int SPECIAL_NONE = 0;
  private static final int SPECIAL_START_INDEFINITE_BYTESTRING = 1;
  private static final int SPECIAL_START_ARRAY = 2;
  private static final int SPECIAL_START_MAP = 3;
  private static final int SPECIAL_START_SET = 4;
  private static final int SPECIAL_INDEFINITE_BREAK = 5;

  private enum State {
    NONE, WANT_MAP_KEY, WANT_MAP_VALUE, WANT_ARRAY_VALUE, WANT_SET_VALUE, WANT_BYTESTRING_CHUNK_FIRST,
    WANT_BYTESTRING_CHUNK_SUBSEQUENT
  }

  /** A collection being filled. */
  private static final class Partial {
    final Object value;
    long remaining;

    Partial(Object value, long remaining) {
      this.value = value;
      this.remaining = remaining;
    }
  }

  /** Result of decoding one item; reused to keep the hot loop allocation-free. */
  private static final class Item {
    boolean complete;
    Object value;
    /** Bytes read when complete; otherwise the (negative) count of bytes still wanted. */
    long readCount;
    int special;

    Item set(boolean complete, Object value, long readCount, int special) {
      this.complete = complete;
      this.value = value;
      this.readCount = readCount;
      this.special = special;
      return this;
    }
  }

  /** Most zero bytes all integer chunks of one decoder may stand for (see {@link #chunkBytes}). */
  public static final long MAX_INTEGER_CHUNK_BYTES = 65536;

  private final int maxDepth;
  private final long maxByteStringLength;
  private final Item item = new Item();
  private State state = State.NONE;
  private final Deque<Partial> stack = new ArrayDeque<>();
  private Object currentMapKey;
  private List<Object> decoded = new ArrayList<>();
  private long decodedByteCount;
  /** Zero bytes made for integer chunks so far (see {@link #chunkBytes}). */
  private long synthesizedBytes;

  /**
   * A decoder refusing collections nested deeper than {@code maxDepth} and byte strings (or
   * indefinite-length chunks) longer than {@code maxByteStringLength}.
   */
  public CborDecoder(int maxDepth, long maxByteStringLength) {
    if (maxDepth < 1 || maxByteStringLength < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxDepth = maxDepth;
    this.maxByteStringLength = maxByteStringLength;
  }

  /** A decoder with the default limits of {@link org.hgrpc.core.Limits#DEFAULTS}. */
  public CborDecoder() {
    this(org.hgrpc.core.Limits.DEFAULTS.maxCborDepth(), Integer.MAX_VALUE - 8);
  }

  /**
   * Decodes every CBOR value in {@code data}, which must hold whole values and nothing else,
   * as cborutil's {@code decodeall}. An indefinite-length byte string comes out as its
   * {@link ByteStringChunk}s.
   */
  public static List<Object> decodeAll(ByteString data) throws CborDecodeException {
    return decodeAll(data, new CborDecoder());
  }

  /** {@link #decodeAll(ByteString)} with a decoder of the caller's limits. */
  public static List<Object> decodeAll(ByteString data, CborDecoder decoder) throws CborDecodeException {
    if (data.isEmpty()) {
      return new ArrayList<>();
    }
    byte[] b = data.toByteArray();
    int readCount = decoder.decode(b, 0, b.length);
    if (readCount != b.length) {
      throw new CborDecodeException("input data not fully consumed");
    }
    if (decoder.inProgress()) {
      throw new CborDecodeException("input data not complete");
    }
    return decoder.takeAvailable();
  }

  /** Whether a value has been partly decoded. */
  public boolean inProgress() {
    return state != State.NONE;
  }

  /** Total bytes of all items decoded so far. */
  public long decodedByteCount() {
    return decodedByteCount;
  }

  /** Whether whole values wait in {@link #takeAvailable()}. */
  public boolean hasAvailable() {
    return !decoded.isEmpty();
  }

  /** The values decoded so far and not yet taken, oldest first. */
  public List<Object> takeAvailable() {
    List<Object> l = decoded;
    decoded = new ArrayList<>();
    return l;
  }

  /**
   * Decodes as many whole items as {@code b[offset..offset+length)} holds.
   *
   * @return the number of bytes consumed; bytes after that belong to an item that is not yet
   *     complete and must be passed again, with more input after them
   * @throws CborDecodeException on input the reference refuses; the decoder is then unusable
   */
  public int decode(byte[] b, int offset, int length) throws CborDecodeException {
    final int end = offset + length;
    int pos = offset;
    while (pos < end) {
      Item it = decodeItem(b, pos, end);
      if (!it.complete) {
        return pos - offset;
      }
      decodedByteCount += it.readCount;
      pos += (int) it.readCount;
      Object value = it.value;
      int special = it.special;

      switch (state) {
        case NONE:
          if (special == SPECIAL_NONE) {
            decoded.add(value);
          } else if (special == SPECIAL_START_INDEFINITE_BYTESTRING) {
            state = State.WANT_BYTESTRING_CHUNK_FIRST;
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            throw new CborDecodeException("unhandled special state: " + special);
          } else {
            startCollection(special, (Long) value, null);
          }
          break;
        case WANT_ARRAY_VALUE:
          if (special == SPECIAL_NONE) {
            Partial c = stack.peek();
            list(c).add(value);
            c.remaining--;
          } else if (special == SPECIAL_START_INDEFINITE_BYTESTRING) {
            throw new CborDecodeException("indefinite length bytestrings not allowed as array values");
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            throw new CborDecodeException("unhandled special item when expecting array value: " + special);
          } else {
            Partial parent = stack.peek();
            parent.remaining--;
            startCollection(special, (Long) value, parent);
          }
          break;
        case WANT_MAP_KEY:
          if (special == SPECIAL_NONE) {
            currentMapKey = value;
            state = State.WANT_MAP_VALUE;
          } else if (special == SPECIAL_START_INDEFINITE_BYTESTRING) {
            throw new CborDecodeException("indefinite length bytestrings not allowed as map keys");
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            throw new CborDecodeException("unhandled special item when expecting map key: " + special);
          } else {
            throw new CborDecodeException("collections not supported as map keys");
          }
          break;
        case WANT_MAP_VALUE:
          if (special == SPECIAL_NONE) {
            Partial c = stack.peek();
            map(c).put(currentMapKey, value);
            c.remaining--;
            state = State.WANT_MAP_KEY;
          } else if (special == SPECIAL_START_INDEFINITE_BYTESTRING) {
            throw new CborDecodeException("indefinite length bytestrings not allowed as map values");
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            throw new CborDecodeException("unhandled special item when expecting map value: " + special);
          } else {
            Partial parent = stack.peek();
            parent.remaining--;
            startCollection(special, (Long) value, parent);
          }
          currentMapKey = null;
          break;
        case WANT_SET_VALUE:
          if (special == SPECIAL_NONE) {
            Partial c = stack.peek();
            set(c).add(value);
            c.remaining--;
          } else if (special == SPECIAL_START_INDEFINITE_BYTESTRING) {
            throw new CborDecodeException("indefinite length bytestrings not allowed as set values");
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            throw new CborDecodeException("unhandled special item when expecting set value: " + special);
          } else {
            throw new CborDecodeException("collections not allowed as set values");
          }
          break;
        case WANT_BYTESTRING_CHUNK_FIRST:
        case WANT_BYTESTRING_CHUNK_SUBSEQUENT:
          boolean first = state == State.WANT_BYTESTRING_CHUNK_FIRST;
          if (special == SPECIAL_NONE) {
            decoded.add(new ByteStringChunk(chunkBytes(value), first, false));
            state = State.WANT_BYTESTRING_CHUNK_SUBSEQUENT;
          } else if (special == SPECIAL_INDEFINITE_BREAK) {
            decoded.add(new ByteStringChunk(ByteString.EMPTY, first, true));
            state = State.NONE;
          } else {
            throw new CborDecodeException("unexpected special value when expecting bytestring chunk: " + special);
          }
          break;
        default:
          throw new IllegalStateException("unhandled decoder state: " + state);
      }
      closeCompletedCollections();
    }
    return pos - offset;
  }

  /**
   * The bytes of an indefinite-length byte string chunk. The reference accepts any simple
   * item here and converts it with Python's {@code bytes()}: an integer n becomes n zero
   * bytes and a boolean counts as 0 or 1. We accept the same input, bounded by the limit.
   */
  private ByteString chunkBytes(Object value) throws CborDecodeException {
    if (value instanceof ByteString) {
      return (ByteString) value;
    }
    long n;
    if (value instanceof Boolean) {
      n = (Boolean) value ? 1 : 0;
    } else if (value instanceof Long) {
      n = (Long) value;
    } else if (value instanceof BigInteger) {
      n = ((BigInteger) value).signum() < 0 ? -1 : Long.MAX_VALUE;
    } else {
      throw new CborDecodeException("bytestring chunk must be bytes, not None");
    }
    if (n < 0) {
      throw new CborDecodeException("bytestring chunk must be bytes, not a negative integer");
    }
    // Five input bytes can ask for a megabyte here, so the budget covers every such chunk the
    // decoder makes, not each one alone: input must not be able to amplify into memory.
    // No legitimate peer sends integer chunks, so their budget is small whatever the byte string
    // limit is.
    long budget = Math.min(maxByteStringLength, MAX_INTEGER_CHUNK_BYTES);
    if (n > budget - synthesizedBytes) {
      throw new CborDecodeException("integer bytestring chunks exceed maximum size " + budget + ": "
          + (synthesizedBytes + n > 0 ? Long.toString(synthesizedBytes + n) : Long.toUnsignedString(n)));
    }
    synthesizedBytes += n;
    return n == 0 ? ByteString.EMPTY : ByteString.wrap(new byte[(int) n]);
  }

  private void startCollection(int special, long size, Partial parent) throws CborDecodeException {
    if (stack.size() >= maxDepth) {
      throw new CborDecodeException("CBOR nesting exceeds maximum depth " + maxDepth);
    }
    // The size comes from the peer: never pre-size containers from it.
    Object container;
    State next;
    if (special == SPECIAL_START_ARRAY) {
      container = new ArrayList<>();
      next = State.WANT_ARRAY_VALUE;
    } else if (special == SPECIAL_START_MAP) {
      container = new LinkedHashMap<>();
      next = State.WANT_MAP_KEY;
    } else if (special == SPECIAL_START_SET) {
      container = new LinkedHashSet<>();
      next = State.WANT_SET_VALUE;
    } else {
      throw new CborDecodeException("unhandled special state: " + special);
    }
    if (parent != null) {
      if (parent.value instanceof List) {
        list(parent).add(container);
      } else {
        map(parent).put(currentMapKey, container);
      }
    }
    stack.push(new Partial(container, size));
    state = next;
  }

  private void closeCompletedCollections() {
    while (state == State.WANT_ARRAY_VALUE || state == State.WANT_MAP_KEY || state == State.WANT_SET_VALUE) {
      Partial top = stack.peek();
      if (top.remaining > 0) {
        return;
      }
      stack.pop();
      Partial parent = stack.peek();
      if (parent != null) {
        state = parent.value instanceof List ? State.WANT_ARRAY_VALUE
            : parent.value instanceof Map ? State.WANT_MAP_KEY : State.WANT_SET_VALUE;
      } else {
        decoded.add(top.value);
        state = State.NONE;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Partial p) {
    return (List<Object>) p.value;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Partial p) {
    return (Map<Object, Object>) p.value;
  }

  @SuppressWarnings("unchecked")
  private static Set<Object> set(Partial p) {
    return (Set<Object>) p.value;
  }

  /** cborutil's {@code decodeitem}: one item (or collection start) at {@code offset}. */
  private Item decodeItem(byte[] b, int offset, int end) throws CborDecodeException {
    int initial = b[offset] & 0xff;
    offset++;
    int majorType = initial >> 5;
    int subtype = initial & 0x1f;

    switch (majorType) {
      case 0: // uint
      case 1: { // negint: -1 - n
        if (!decodeUint(subtype, b, offset, end, false)) {
          return item;
        }
        long n = uintValue;
        Object value;
        if (majorType == 0) {
          value = n >= 0 ? (Object) n : toUnsignedBig(n);
        } else {
          value = n >= 0 ? (Object) (-1 - n) : toUnsignedBig(n).negate().subtract(BigInteger.ONE);
        }
        return item.set(true, value, uintReadCount + 1, SPECIAL_NONE);
      }
      case 2: { // byte string
        if (!decodeUint(subtype, b, offset, end, true)) {
          return item;
        }
        if (uintIndefinite) {
          return item.set(true, null, 1, SPECIAL_START_INDEFINITE_BYTESTRING);
        }
        long size = uintValue;
        if (size < 0 || size > maxByteStringLength) {
          throw new CborDecodeException("bytestring exceeds maximum size " + maxByteStringLength + ": "
              + Long.toUnsignedString(size));
        }
        long start = offset + uintReadCount;
        if (start + size <= end) {
          ByteString value = ByteString.copyOf(b, (int) start, (int) size);
          return item.set(true, value, uintReadCount + size + 1, SPECIAL_NONE);
        }
        return item.set(false, null, (end - start) - size, SPECIAL_NONE);
      }
      case 3:
        throw new CborDecodeException("string major type not supported");
      case 4: // array
      case 5: { // map
        if (!decodeUint(subtype, b, offset, end, false)) {
          return item;
        }
        if (uintValue < 0) {
          throw new CborDecodeException("collection size out of range: " + Long.toUnsignedString(uintValue));
        }
        return item.set(true, uintValue, uintReadCount + 1, majorType == 4 ? SPECIAL_START_ARRAY : SPECIAL_START_MAP);
      }
      case 6: { // semantic tag
        // The reference recurses into the tagged item; a chain of tags is walked iteratively
        // here so that a payload of nested tags cannot exhaust the stack. Every outcome is the
        // reference's: the first tag other than 258 is refused, a 258 not directly on an array
        // (a 258 on a 258 included) is refused, and a chain running out of input is incomplete.
        int tagOffset = offset;
        int tagSubtype = subtype;
        boolean nested = false;
        while (true) {
          if (!decodeUint(tagSubtype, b, tagOffset, end, false)) {
            return item;
          }
          if (uintValue != CborEncoder.SEMANTIC_TAG_FINITE_SET) {
            throw new CborDecodeException("semantic tag " + Long.toUnsignedString(uintValue) + " not allowed");
          }
          int next = (int) (tagOffset + uintReadCount);
          if (next >= end) {
            return item.set(false, null, -1, SPECIAL_NONE);
          }
          int nextInitial = b[next] & 0xff;
          if (nextInitial >> 5 == 6) {
            nested = true;
            tagSubtype = nextInitial & 0x1f;
            tagOffset = next + 1;
            continue;
          }
          Item inner = decodeItem(b, next, end);
          if (!inner.complete) {
            return inner.set(false, null, inner.readCount, SPECIAL_NONE);
          }
          if (nested || inner.special != SPECIAL_START_ARRAY) {
            throw new CborDecodeException("expected array after finite set semantic tag");
          }
          return item.set(true, inner.value, (next - offset) + inner.readCount + 1, SPECIAL_START_SET);
        }
      }
      default: // 7: simple values and floats
        switch (subtype) {
          case 20:
            return item.set(true, Boolean.FALSE, 1, SPECIAL_NONE);
          case 21:
            return item.set(true, Boolean.TRUE, 1, SPECIAL_NONE);
          case 22:
            return item.set(true, null, 1, SPECIAL_NONE);
          case 31:
            return item.set(true, null, 1, SPECIAL_INDEFINITE_BREAK);
          default:
            throw new CborDecodeException("special type " + subtype + " not allowed");
        }
    }
  }

  // Outputs of decodeUint, kept in fields so the hot path allocates nothing.
  private long uintValue;
  private long uintReadCount;
  private boolean uintIndefinite;

  /**
   * cborutil's {@code decodeuint}. On success sets {@link #uintValue} (unsigned 64 bits),
   * {@link #uintReadCount} and {@link #uintIndefinite} and returns true; when more input is
   * needed, sets {@link #item} to incomplete with the missing byte count and returns false.
   */
  private boolean decodeUint(int subtype, byte[] b, int offset, int end, boolean allowIndefinite)
      throws CborDecodeException {
    uintIndefinite = false;
    if (subtype < 24) {
      uintValue = subtype;
      uintReadCount = 0;
      return true;
    } else if (subtype == 31) {
      if (!allowIndefinite) {
        throw new CborDecodeException("indefinite length uint not allowed here");
      }
      uintIndefinite = true;
      uintValue = 0;
      uintReadCount = 0;
      return true;
    } else if (subtype >= 28) {
      throw new CborDecodeException("unsupported subtype on integer type: " + subtype);
    }
    int size = 1 << (subtype - 24); // 24 -> 1, 25 -> 2, 26 -> 4, 27 -> 8
    if (end - offset < size) {
      item.set(false, null, (end - offset) - size, SPECIAL_NONE);
      return false;
    }
    long v = 0;
    for (int i = 0; i < size; i++) {
      v = (v << 8) | (b[offset + i] & 0xff);
    }
    uintValue = v;
    uintReadCount = size;
    return true;
  }

  private static BigInteger toUnsignedBig(long n) {
    return new BigInteger(Long.toUnsignedString(n));
  }
}
