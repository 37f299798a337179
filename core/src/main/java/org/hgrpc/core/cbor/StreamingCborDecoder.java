package org.hgrpc.core.cbor;

import java.util.Arrays;
import java.util.List;
import org.hgrpc.core.ByteString;

/**
 * A {@link CborDecoder} that keeps the bytes of an unfinished item itself, so callers can feed
 * input in whatever pieces it arrives (frame payloads, network reads) and take whole values.
 *
 * <p>Only the unfinished item is held; a byte string announced longer than the decoder's limit
 * is refused as soon as its header arrives instead of being buffered.
 */
public final class StreamingCborDecoder {
  private final CborDecoder decoder;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private boolean failed;

  /** A decoder using {@code decoder} for the items. */
  public StreamingCborDecoder(CborDecoder decoder) {
    this.decoder = decoder;
  }

  /** A decoder with default limits. */
  public StreamingCborDecoder() {
    this(new CborDecoder());
  }

  /**
   * Feeds {@code data} and returns the values that became complete, oldest first.
   *
   * @throws CborDecodeException on input the reference refuses; every later call throws too
   */
  public List<Object> feed(ByteString data) throws CborDecodeException {
    if (failed) {
      throw new CborDecodeException("decoder already failed");
    }
    try {
      if (pendingLength == 0) {
        byte[] b = data.toByteArray();
        int used = decoder.decode(b, 0, b.length);
        keep(b, used, b.length - used);
      } else {
        if (pendingLength + data.size() > pending.length) {
          pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + data.size()));
        }
        data.copyTo(pending, pendingLength);
        pendingLength += data.size();
        int used = decoder.decode(pending, 0, pendingLength);
        keep(pending, used, pendingLength - used);
      }
      return decoder.takeAvailable();
    } catch (CborDecodeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Declares the end of input.
   *
   * @throws CborDecodeException if input ended inside a value
   */
  public void finish() throws CborDecodeException {
    if (pendingLength > 0 || decoder.inProgress()) {
      failed = true;
      throw new CborDecodeException("input data not complete");
    }
  }

  /** Bytes held for an unfinished item. */
  public int pendingBytes() {
    return pendingLength;
  }

  private void keep(byte[] b, int from, int length) {
    if (b != pending) {
      if (length > pending.length) {
        pending = new byte[Math.max(length, 64)];
      }
    }
    System.arraycopy(b, from, pending, 0, length);
    pendingLength = length;
  }
}
