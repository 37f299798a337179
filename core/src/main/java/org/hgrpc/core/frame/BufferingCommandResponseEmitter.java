package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION;

import java.util.function.Consumer;
import org.hgrpc.core.ByteString;

/**
 * The reference's {@code bufferingcommandresponseemitter}: coalesces the small chunks a CBOR
 * encoder produces into command response frames of up to {@code maxFrameSize} bytes.
 *
 * <p>The policy is the reference's, byte for byte, because it decides where frames end: a
 * chunk that fits is buffered; a chunk that would reach the limit flushes what is buffered and
 * is then buffered alone; a chunk larger than a frame flushes and is sent in frame-sized
 * pieces. A flush always emits a frame, even an empty one, as the reference does. Every frame
 * carries the continuation flag; the caller ends the response.
 */
public final class BufferingCommandResponseEmitter {
  private final FrameStream stream;
  private final int requestId;
  private final int maxSize;
  private final byte[] buffer;
  private int buffered;

  /** An emitter of frames for {@code requestId} on {@code stream}. */
  public BufferingCommandResponseEmitter(FrameStream stream, int requestId, int maxFrameSize) {
    if (maxFrameSize < 1 || maxFrameSize > org.hgrpc.core.Limits.PROTOCOL_MAX_FRAME_PAYLOAD) {
      throw new IllegalArgumentException("maxFrameSize out of range: " + maxFrameSize);
    }
    this.stream = stream;
    this.requestId = requestId;
    this.maxSize = maxFrameSize;
    this.buffer = new byte[maxFrameSize];
  }

  /** An emitter with {@link FrameConstants#DEFAULT_MAX_FRAME_SIZE}. */
  public BufferingCommandResponseEmitter(FrameStream stream, int requestId) {
    this(stream, requestId, FrameConstants.DEFAULT_MAX_FRAME_SIZE);
  }

  /** {@code send(data)}: takes one chunk, emitting the frames it completes. */
  public void send(ByteString data, Consumer<Frame> out) {
    byte[] b = data.toByteArray();
    send(b, 0, b.length, out);
  }

  /** {@code send(data)} for an array range, which is copied before returning. */
  public void send(byte[] data, int offset, int length, Consumer<Frame> out) {
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
      System.arraycopy(data, offset, buffer, buffered, length);
      buffered += length;
      return;
    }
    flush(out);
    System.arraycopy(data, offset, buffer, 0, length);
    buffered = length;
  }

  /** {@code send(None)}: emits what is buffered as one frame, even if nothing is. */
  public void flush(Consumer<Frame> out) {
    ByteString payload = ByteString.copyOf(buffer, 0, buffered);
    buffered = 0;
    out.accept(stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_CONTINUATION, payload));
  }
}
