package org.hgrpc.core;

/**
 * Bounds on what a peer may make us hold in memory. Every decoder and reactor takes one of
 * these; a peer that exceeds a bound gets a protocol error naming the bound, never an
 * {@link OutOfMemoryError}.
 *
 * <p>The reference implementation has none of these (its docstring lists unbounded command
 * buffering as a known issue); the defaults are generous enough for every legitimate
 * Mercurial exchange.
 *
 * @param maxFramePayload largest frame payload accepted, in bytes (the header can announce up
 *     to 16 MiB - 1; senders split at {@value org.hgrpc.core.frame.FrameConstants#DEFAULT_MAX_FRAME_SIZE})
 * @param maxFramesPerRequest most frames (command request plus command data) one request may use
 * @param maxCborDepth deepest nesting of CBOR arrays, maps and sets accepted
 * @param maxArgumentBytes largest CBOR-encoded command request (name and arguments), in bytes
 * @param maxCommandDataBytes largest command data (the payload of command-data frames), in bytes
 * @param maxRequestsInFlight most requests one reactor tracks at once (receiving plus active)
 * @param maxDecodedPayload most bytes one content-encoded frame payload (framing 0006) may
 *     decode to: a zlib or zstd bomb becomes an error, never an {@link OutOfMemoryError}
 */
public record Limits(
    int maxFramePayload,
    int maxFramesPerRequest,
    int maxCborDepth,
    int maxArgumentBytes,
    long maxCommandDataBytes,
    int maxRequestsInFlight,
    long maxDecodedPayload) {

  /** Default of {@link #maxDecodedPayload()}: 64 MiB. */
  public static final long DEFAULT_MAX_DECODED_PAYLOAD = 64L << 20;

  /** Limits with the default {@link #maxDecodedPayload()}. */
  public Limits(int maxFramePayload, int maxFramesPerRequest, int maxCborDepth, int maxArgumentBytes,
      long maxCommandDataBytes, int maxRequestsInFlight) {
    this(maxFramePayload, maxFramesPerRequest, maxCborDepth, maxArgumentBytes, maxCommandDataBytes,
        maxRequestsInFlight, DEFAULT_MAX_DECODED_PAYLOAD);
  }

  /** Largest payload length a frame header can express: 24 bits. */
  public static final int PROTOCOL_MAX_FRAME_PAYLOAD = (1 << 24) - 1;

  /** Safe defaults: 1 MiB frames and arguments, 64 MiB command data, 64 levels of CBOR. */
  public static final Limits DEFAULTS = new Limits(1 << 20, 8192, 64, 1 << 20, 64L << 20, 1024);

  /** No limits beyond what the protocol itself can express; for trusted peers and tests. */
  public static final Limits UNLIMITED =
      new Limits(PROTOCOL_MAX_FRAME_PAYLOAD, Integer.MAX_VALUE, 1024, Integer.MAX_VALUE, Long.MAX_VALUE,
          Integer.MAX_VALUE, Long.MAX_VALUE);

  /** Checks that every bound is positive and within what the protocol can express. */
  public Limits {
    if (maxFramePayload < 0 || maxFramePayload > PROTOCOL_MAX_FRAME_PAYLOAD) {
      throw new IllegalArgumentException("maxFramePayload must be 0.." + PROTOCOL_MAX_FRAME_PAYLOAD);
    }
    if (maxFramesPerRequest < 1 || maxCborDepth < 1 || maxArgumentBytes < 0 || maxCommandDataBytes < 0
        || maxRequestsInFlight < 1 || maxDecodedPayload < 0) {
      throw new IllegalArgumentException("limits must be positive: " + this);
    }
  }

  /** A copy with another {@link #maxFramePayload()}. */
  public Limits withMaxFramePayload(int value) {
    return new Limits(value, maxFramesPerRequest, maxCborDepth, maxArgumentBytes, maxCommandDataBytes,
        maxRequestsInFlight, maxDecodedPayload);
  }

  /** A copy with another {@link #maxFramesPerRequest()}. */
  public Limits withMaxFramesPerRequest(int value) {
    return new Limits(maxFramePayload, value, maxCborDepth, maxArgumentBytes, maxCommandDataBytes,
        maxRequestsInFlight, maxDecodedPayload);
  }

  /** A copy with another {@link #maxCborDepth()}. */
  public Limits withMaxCborDepth(int value) {
    return new Limits(maxFramePayload, maxFramesPerRequest, value, maxArgumentBytes, maxCommandDataBytes,
        maxRequestsInFlight, maxDecodedPayload);
  }

  /** A copy with another {@link #maxArgumentBytes()}. */
  public Limits withMaxArgumentBytes(int value) {
    return new Limits(maxFramePayload, maxFramesPerRequest, maxCborDepth, value, maxCommandDataBytes,
        maxRequestsInFlight, maxDecodedPayload);
  }

  /** A copy with another {@link #maxCommandDataBytes()}. */
  public Limits withMaxCommandDataBytes(long value) {
    return new Limits(maxFramePayload, maxFramesPerRequest, maxCborDepth, maxArgumentBytes, value,
        maxRequestsInFlight, maxDecodedPayload);
  }

  /** A copy with another {@link #maxRequestsInFlight()}. */
  public Limits withMaxRequestsInFlight(int value) {
    return new Limits(maxFramePayload, maxFramesPerRequest, maxCborDepth, maxArgumentBytes, maxCommandDataBytes,
        value, maxDecodedPayload);
  }

  /** A copy with another {@link #maxDecodedPayload()}. */
  public Limits withMaxDecodedPayload(long value) {
    return new Limits(maxFramePayload, maxFramesPerRequest, maxCborDepth, maxArgumentBytes, maxCommandDataBytes,
        maxRequestsInFlight, value);
  }
}
