package org.hgrpc.core.frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;

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

  /**
   * A frame of a type whose id is the same in every framing (see {@link FrameType#id()}); use
   * the {@code typeId} constructor with {@link FrameType#id(Framing)} for the settings types.
   */
  public Frame(int requestId, int streamId, int streamFlags, FrameType type, int flags, ByteString payload) {
    this(requestId, streamId, streamFlags, type.id(), flags, payload);
  }

  /** The frame's type, if {@code framing} defines its {@link #typeId()}. */
  public Optional<FrameType> type(Framing framing) {
    return FrameType.fromId(framing, typeId);
  }

  /** Whether this frame is of {@code type} in {@code framing}. */
  public boolean is(Framing framing, FrameType type) {
    return type.existsIn(framing) && typeId == type.id(framing);
  }

  /** The frame's header. */
  public FrameHeader header() {
    return new FrameHeader(payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** The header packed ({@link FrameHeader#pack}), without making a header object. */
  public long packedHeader() {
    return FrameHeader.pack(payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** Size on the wire: header plus payload. */
  public int encodedSize() {
    return FrameConstants.FRAME_HEADER_SIZE + payload.size();
  }

  /** The reference's {@code makeframe}: header and payload as one array. */
  public byte[] encode() {
    byte[] out = new byte[encodedSize()];
    FrameHeader.write(packedHeader(), out, 0);
    payload.copyTo(out, FrameConstants.FRAME_HEADER_SIZE);
    return out;
  }

  /** Writes header and payload into {@code out}, which must have {@link #encodedSize()} bytes left. */
  public void writeTo(ByteBuffer out) {
    FrameHeader.write(packedHeader(), out);
    payload.writeTo(out);
  }

  /** Writes header and payload to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    byte[] h = new byte[FrameConstants.FRAME_HEADER_SIZE];
    FrameHeader.write(packedHeader(), h, 0);
    out.write(h);
    payload.writeTo(out);
  }

  /**
   * The reference's {@code repr} of a frame in {@code framing}, e.g.
   * {@code frame(size=3; request=1; stream=2; streamflags=stream-begin; type=command-response; flags=continuation)}.
   */
  public String describe(Framing framing) {
    return render(framing, payload.size(), requestId, streamId, streamFlags, typeId, flags);
  }

  /** {@link #describe} with the names of the newest framing ({@link Framing#V0006}). */
  @Override
  public String toString() {
    return describe(Framing.V0006);
  }

  /** The {@link #describe} rendering for a header (its length stands for the payload size). */
  public static String render(Framing framing, FrameHeader h) {
    return render(framing, h.length(), h.requestId(), h.streamId(), h.streamFlags(), h.typeId(), h.flags());
  }

  private static String render(Framing framing, int size, int requestId, int streamId, int streamFlags, int typeId,
      int flags) {
    String typeName = FrameType.fromId(framing, typeId).map(FrameType::humanName)
        .orElse(String.format("<unknown 0x%02x>", typeId));
    Map<String, Integer> flagNames = FrameFlags.forType(framing, typeId).orElse(Map.of());
    return "frame(size=" + size + "; request=" + requestId + "; stream=" + streamId + "; streamflags="
        + FrameFlags.humanFlags(FrameFlags.STREAM_FLAGS, streamFlags) + "; type=" + typeName + "; flags="
        + FrameFlags.humanFlags(flagNames, flags) + ")";
  }
}
