package org.hgrpc.core.reactor;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * An upper bound of the size of a value's CBOR encoding, found without encoding it: what lets
 * the server reactor encode a small response object in one pass (one array) rather than as
 * cborutil's per-item chunks, when that provably cannot move a frame boundary.
 *
 * <p>Each item is counted with the largest header CBOR allows (9 bytes; a set adds its 3-byte
 * tag) plus its content. Values the encoder streams ({@code IndefiniteByteString}) or does not
 * know, and nesting deeper than {@value #MAX_DEPTH}, have no bound here: the caller then takes
 * the chunked path, which also makes the encoder's own error for them.
 */
final class EncodedSizeBound {
  private EncodedSizeBound() {}

  /** Deeper values are left to the chunked path (and the encoder's depth check). */
  static final int MAX_DEPTH = 64;

  private static final int HEADER = 9;
  private static final int SET_TAG = 3;

  /** A bound of the encoded size of {@code value} if it is below {@code limit}; otherwise -1. */
  static long of(Object value, long limit) {
    long size = walk(value, limit, 0);
    return size < limit ? size : -1;
  }

  /** The bound, or {@code limit} (or more) as soon as it is reached or the value has none. */
  private static long walk(Object value, long limit, int depth) {
    if (depth > MAX_DEPTH) {
      return limit;
    }
    if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
      return HEADER;
    } else if (value instanceof ByteString) {
      return HEADER + ((ByteString) value).size();
    } else if (value instanceof byte[]) {
      return HEADER + ((byte[]) value).length;
    } else if (value instanceof Map) {
      long size = HEADER;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        size += walk(e.getKey(), limit, depth + 1);
        if (size >= limit) {
          return limit;
        }
        size += walk(e.getValue(), limit, depth + 1);
        if (size >= limit) {
          return limit;
        }
      }
      return size;
    } else if (value instanceof Collection) {
      long size = HEADER + (value instanceof Set ? SET_TAG : 0);
      for (Object item : (Collection<?>) value) {
        size += walk(item, limit, depth + 1);
        if (size >= limit) {
          return limit;
        }
      }
      return size;
    }
    return limit;
  }
}
