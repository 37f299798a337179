package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION;

import java.util.function.Consumer;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;

/**
 * The reference's {@code bufferingcommandresponseemitter}: coalesces the small chunks a CBOR
 * encoder produces into command response frames of up to {@code maxFrameSize} bytes.
 *
 * <p>The policy is the reference's, byte for byte, because it decides where frames end: a
 * chunk that fits is buffered; a chunk that would reach the limit flushes what is buffered and
 * is then buffered alone; a chunk larger than a frame flushes and is sent in frame-sized
 * pieces. A flush always emits a frame, even an empty one, as the reference does. Every frame
 * carries the continuation flag; the caller ends the response.
 *
 * <p>In framing 0006 every chunk first goes through the stream's encoder (one
 * {@link FrameStream#encode} call per chunk, so a compressor sees the reference's calls), the
 * policy applies to what the encoder gives back, a chunk it turns into nothing adds nothing, a
 * flush of an empty buffer emits no frame, and every frame is flagged {@code encoded}.
 */
public final class BufferingCommandResponseEmitter {
  private final FrameStream stream;
  private final int requestId;
  private final int maxSize;
  /** Framing 0006: payloads go through the stream's encoder and frames are flagged encoded. */
  private final boolean encoding;
  /** Grows on demand up to {@code maxSize}: a small response never pays for a whole frame. */
  private byte[] buffer;
  private int buffered;

  /** A framing 0005 emitter of frames for {@code requestId} on {@code stream}. */
  public BufferingCommandResponseEmitter(FrameStream stream, int requestId, int maxFrameSize) {
    this(Framing.V0005, stream, requestId, maxFrameSize);
  }

  /** An emitter of {@code framing}'s frames for {@code requestId} on {@code stream}. */
  public BufferingCommandResponseEmitter(Framing framing, FrameStream stream, int requestId, int maxFrameSize) {
    if (maxFrameSize < 1 || maxFrameSize > org.hgrpc.core.Limits.PROTOCOL_MAX_FRAME_PAYLOAD) {
      throw new IllegalArgumentException("maxFrameSize out of range: " + maxFrameSize);
    }
    this.stream = stream;
    this.requestId = requestId;
    this.maxSize = maxFrameSize;
    this.encoding = framing.hasContentEncoding();
    this.buffer = new byte[Math.min(maxFrameSize, 256)];
  }

  /** An emitter with {@link FrameConstants#DEFAULT_MAX_FRAME_SIZE}. */
  public BufferingCommandResponseEmitter(FrameStream stream, int requestId) {
    this(stream, requestId, FrameConstants.DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * {@code send(data)}: takes one chunk, emitting the frames it completes. A chunk larger than
   * a frame is sent as slices of {@code data} (it is immutable), without copying.
   */
  public void send(ByteString chunk, Consumer<Frame> out) {
    ByteString data = chunk;
    if (encoding) {
      data = stream.encode(chunk);
      if (data.isEmpty()) {
        return;
      }
    }
    int length = data.size();
    if (length > maxSize) {
      flush(out);
      for (int pos = 0; pos < length; pos += maxSize) {
        out.accept(frame(data.substring(pos, Math.min(length, pos + maxSize))));
      }
      return;
    }
    if (length + buffered >= maxSize) {
      flush(out);
    }
    ensure(buffered + length);
    data.copyTo(buffer, buffered);
    buffered += length;
  }

  private void ensure(int size) {
    if (size > buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, Math.min(maxSize, Math.max(size, buffer.length * 2)));
    }
  }

  /** {@code send(data)} for an array range, which is copied before returning. */
  public void send(byte[] data, int offset, int length, Consumer<Frame> out) {
    if (encoding) {
      send(ByteString.copyOf(data, offset, length), out);
      return;
    }
    if (length > maxSize) {
      flush(out);
      int pos = 0;
      while (true) {
        int n = Math.min(maxSize, length - pos);
        out.accept(stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_CONTINUATION,
            ByteString.copyOf(data, offset + pos, n)));
        pos += n;
        if (pos == length) {
          return;
        }
      }
    }
    if (length + buffered < maxSize) {
      ensure(buffered + length);
      System.arraycopy(data, offset, buffer, buffered, length);
      buffered += length;
      return;
    }
    flush(out);
    ensure(length);
    System.arraycopy(data, offset, buffer, 0, length);
    buffered = length;
  }

  /**
   * {@code send(None)}: emits what is buffered as one frame; in 0005 even if nothing is, in
   * 0006 only if something is.
   */
  public void flush(Consumer<Frame> out) {
    if (encoding && buffered == 0) {
      return;
    }
    ByteString payload = ByteString.copyOf(buffer, 0, buffered);
    buffered = 0;
    out.accept(frame(payload));
  }

  /**
   * How many more bytes, sent in chunks of any sizes, are buffered without emitting a frame:
   * chunks whose sizes add up to less than this are all buffered (a chunk is buffered while it
   * and what is buffered stay below the frame size).
   */
  public int room() {
    return maxSize - buffered;
  }

  /** Drops what is buffered (a response that failed). */
  public void discard() {
    buffered = 0;
  }

  private Frame frame(ByteString payload) {
    return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE.id(), FLAG_COMMAND_RESPONSE_CONTINUATION, payload,
        encoding);
  }
}
