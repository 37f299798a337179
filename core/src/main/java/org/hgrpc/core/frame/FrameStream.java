package org.hgrpc.core.frame;

import org.hgrpc.core.ByteString;

/**
 * The reference's {@code stream}: a logical, one-directional series of frames with one stream
 * id. The first frame made on a stream carries {@link FrameConstants#STREAM_FLAG_BEGIN_STREAM}.
 * Clients send on odd stream ids, servers on even ones.
 *
 * <p>Not thread-safe: frames of one stream are made in order by one thread.
 */
public final class FrameStream {
  private final int streamId;
  private boolean active;

  /** A stream that has not sent a frame yet. */
  public FrameStream(int streamId) {
    this(streamId, false);
  }

  /** A stream; {@code active} if frames were already sent on it (no begin flag then). */
  public FrameStream(int streamId, boolean active) {
    if (streamId < 0 || streamId > 255) {
      throw new IllegalArgumentException("stream id must be 0..255: " + streamId);
    }
    this.streamId = streamId;
    this.active = active;
  }

  /** The stream id. */
  public int streamId() {
    return streamId;
  }

  /** Whether a frame has been made on this stream. */
  public boolean isActive() {
    return active;
  }

  /** The reference's {@code stream.makeframe}: a frame on this stream, the first one flagged as beginning it. */
  public Frame makeFrame(int requestId, FrameType type, int flags, ByteString payload) {
    int streamFlags = 0;
    if (!active) {
      streamFlags |= FrameConstants.STREAM_FLAG_BEGIN_STREAM;
      active = true;
    }
    return new Frame(requestId, streamId, streamFlags, type, flags, payload);
  }
}
