package org.hgrpc.core.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hgrpc.core.ByteString;

/**
 * One frame: the unit of the protocol. Immutable.
 *
 * <p>{@link #typeId()} is kept as a number because peers may send types the protocol does not
 * define; {@link #type()} names the defined ones.
 *
 * @param requestId request the frame belongs to, 0 .. 65535
 * @param streamId stream the frame travels on, 0 .. 255 (clients send on odd, servers on even)
 * @param streamFlags {@link FrameConstants#STREAM_FLAG_BEGIN_STREAM} and friends
 * @param typeId frame type, 0 .. 15
 * @param flags type-specific flags, 0 .. 15
 * @param payload the payload, at most 2^24-1 bytes
 */
public record Frame(int requestId, int streamId, int streamFlags, int typeId, int flags, ByteString payload) {

  /** Checks every field against its width on the wire. */
  public Frame {
    Objects.requireNonNull(payload, "payload");
    new FrameHeader(payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** A frame of a defined type. */
  public Frame(int requestId, int streamId, int streamFlags, FrameType type, int flags, ByteString payload) {
    this(requestId, streamId, streamFlags, type.id(), flags, payload);
  }

  /** The frame's type, if the protocol defines its {@link #typeId()}. */
  public Optional<FrameType> type() {
    return FrameType.fromId(typeId);
  }

  /** The frame's header. */
  public FrameHeader header() {
    return new FrameHeader(payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** Size on the wire: header plus payload. */
  public int encodedSize() {
    return FrameConstants.FRAME_HEADER_SIZE + payload.size();
  }

  /** The reference's {@code makeframe}: header and payload as one array. */
  public byte[] encode() {
    byte[] out = new byte[encodedSize()];
    header().writeTo(out, 0);
    payload.copyTo(out, FrameConstants.FRAME_HEADER_SIZE);
    return out;
  }

  /** Writes header and payload into {@code out}, which must have {@link #encodedSize()} bytes left. */
  public void writeTo(ByteBuffer out) {
    header().writeTo(out);
    payload.writeTo(out);
  }

  /** Writes header and payload to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    byte[] h = new byte[FrameConstants.FRAME_HEADER_SIZE];
    header().writeTo(h, 0);
    out.write(h);
    payload.writeTo(out);
  }

  /**
   * The reference's {@code repr} of a frame, e.g.
   * {@code frame(size=3; request=1; stream=2; streamflags=stream-begin; type=command-response; flags=continuation)}.
   */
  @Override
  public String toString() {
    return render(payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** The {@link #toString()} rendering for a header (its length stands for the payload size). */
  public static String render(FrameHeader h) {
    return render(h.length(), h.requestId(), h.streamId(), h.streamFlags(), h.typeId(), h.flags());
  }

  private static String render(int size, int requestId, int streamId, int streamFlags, int typeId, int flags) {
    String typeName = FrameType.fromId(typeId).map(FrameType::humanName)
        .orElse(String.format("<unknown 0x%02x>", typeId));
    Map<String, Integer> flagNames = FrameFlags.forType(typeId).orElse(Map.of());
    return "frame(size=" + size + "; request=" + requestId + "; stream=" + streamId + "; streamflags="
        + FrameFlags.humanFlags(FrameFlags.STREAM_FLAGS, streamFlags) + "; type=" + typeName + "; flags="
        + FrameFlags.humanFlags(flagNames, flags) + ")";
  }
}
