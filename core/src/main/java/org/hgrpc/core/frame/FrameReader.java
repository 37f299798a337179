package org.hgrpc.core.frame;

import java.io.IOException;
import java.io.InputStream;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;

/**
 * The reference's {@code readframe}: reads whole frames from a blocking {@link InputStream}.
 * Use {@link FrameDecoder} when bytes arrive without blocking.
 */
public final class FrameReader {
  private final InputStream in;
  private final Limits limits;
  private final byte[] header = new byte[FrameConstants.FRAME_HEADER_SIZE];

  /** A reader of {@code in} enforcing {@code limits}. */
  public FrameReader(InputStream in, Limits limits) {
    this.in = in;
    this.limits = limits;
  }

  /**
   * The next frame, or {@code null} at a clean end of input (end before any header byte).
   *
   * @throws ProtocolException if input ends inside a header or payload, or a payload is
   *     larger than the limit (checked before reading it)
   * @throws IOException if the stream fails (not the peer's fault)
   */
  public Frame readFrame() throws IOException, ProtocolException {
    int n = in.readNBytes(header, 0, header.length);
    if (n == 0) {
      return null;
    }
    if (n != header.length) {
      throw new ProtocolException(ProtocolException.Kind.TRUNCATED_HEADER,
          "received incomplete frame: got " + n + " bytes: " + ByteString.copyOf(header, 0, n));
    }
    long h = FrameHeader.read(header, 0);
    int length = FrameHeader.lengthOf(h);
    if (length > limits.maxFramePayload()) {
      throw new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
          "frame payload exceeds maximum size " + limits.maxFramePayload() + ": " + length);
    }
    byte[] payload = in.readNBytes(length);
    if (payload.length != length) {
      throw new ProtocolException(ProtocolException.Kind.TRUNCATED_PAYLOAD,
          "frame length error: expected " + length + "; got " + payload.length);
    }
    return new Frame(FrameHeader.requestIdOf(h), FrameHeader.streamIdOf(h), FrameHeader.streamFlagsOf(h),
        FrameHeader.typeIdOf(h), FrameHeader.flagsOf(h), ByteString.wrap(payload));
  }
}
