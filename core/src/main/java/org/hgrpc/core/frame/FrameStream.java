package org.hgrpc.core.frame;

import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.encoding.ContentEncoder;
import org.hgrpc.core.encoding.ContentEncodings;

/**
 * The reference's {@code stream} and, for framing 0006, its {@code outputstream}: a logical,
 * one-directional series of frames with one stream id. The first frame made on a stream
 * carries {@link FrameConstants#STREAM_FLAG_BEGIN_STREAM}. Clients send on odd stream ids,
 * servers on even ones.
 *
 * <p>A 0006 output stream may have a {@link ContentEncoder}: its name is announced once by a
 * stream-settings frame ({@link #makeStreamSettingsFrame}), after which frames whose payload
 * went through the encoder carry {@link FrameConstants#STREAM_FLAG_ENCODING_APPLIED}. Making an
 * encoded frame before the settings frame is a programming error.
 *
 * <p>Not thread-safe: frames of one stream are made in order by one thread.
 */
public final class FrameStream {
  private static final int STREAM_SETTINGS_0006 = FrameType.STREAM_SETTINGS.id(Framing.V0006);

  private final int streamId;
  private boolean active;
  private ContentEncoder encoder;
  private boolean streamSettingsSent;
  /** Whether the encoder was given bytes since its last flush (it may hold some back). */
  private boolean encoderHolds;

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

  /** Sets the stream's content encoder ({@code setencoder}, framing 0006); closes one set before. */
  public void setEncoder(ContentEncoder encoder) {
    if (this.encoder != null && this.encoder != encoder) {
      this.encoder.close();
    }
    this.encoder = encoder;
  }

  /**
   * Frees the stream's content encoder now ({@link ContentEncoder#close()}): its owner calls
   * this when the stream has sent its last frame. Encoding on the stream after it throws
   * {@link IllegalStateException}.
   */
  public void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  /** The stream's content encoder, or {@code null} when it has none. */
  public ContentEncoder encoder() {
    return encoder;
  }

  /** Whether the stream-settings frame ending the stream's settings was made. */
  public boolean streamSettingsSent() {
    return streamSettingsSent;
  }

  /** Passes {@code data} through the stream's encoder (unchanged without one). */
  public ByteString encode(ByteString data) {
    if (encoder == null) {
      return data;
    }
    if (!data.isEmpty()) {
      encoderHolds = true;
    }
    return encoder.encode(data);
  }

  /** Ends a response on the stream: what the encoder still holds (nothing without one). */
  public ByteString flush() {
    if (encoder == null) {
      return ByteString.EMPTY;
    }
    encoderHolds = false;
    return encoder.flush();
  }

  /**
   * Whether a compressing encoder (not identity, which holds nothing) was given bytes since
   * the last {@link #flush()}, so a response ending in an error must flush it first.
   */
  public boolean encoderMayHoldData() {
    return encoderHolds && encoder != null && !encoder.name().equals(ContentEncodings.IDENTITY);
  }

  /** The reference's {@code stream.makeframe}: a frame on this stream, the first one flagged as beginning it. */
  public Frame makeFrame(int requestId, FrameType type, int flags, ByteString payload) {
    return makeFrame(requestId, type.id(), flags, payload, false);
  }

  /**
   * The reference's {@code outputstream.makeframe} (framing 0006): a frame of type
   * {@code typeId}, flagged {@code encoded} when its payload went through the encoder. A
   * stream-settings frame with its {@code eos} flag marks the settings as sent.
   *
   * @throws IllegalStateException for an encoded frame before the stream-settings frame
   */
  public Frame makeFrame(int requestId, int typeId, int flags, ByteString payload, boolean encoded) {
    int streamFlags = 0;
    if (encoded && !streamSettingsSent) {
      throw new IllegalStateException("attempting to send encoded frame without sending stream settings");
    }
    if (!active) {
      streamFlags |= FrameConstants.STREAM_FLAG_BEGIN_STREAM;
      active = true;
    }
    if (encoded) {
      streamFlags |= FrameConstants.STREAM_FLAG_ENCODING_APPLIED;
    }
    if (typeId == STREAM_SETTINGS_0006 && (flags & FrameConstants.FLAG_SETTINGS_EOS) != 0) {
      streamSettingsSent = true;
    }
    return new Frame(requestId, streamId, streamFlags, typeId, flags, payload);
  }

  /**
   * The stream-settings frame announcing the encoder ({@code makestreamsettingsframe}): its
   * name as a CBOR byte string, flag {@code eos}; {@code null} when the stream has no encoder
   * or the frame was already made.
   */
  public Frame makeStreamSettingsFrame(int requestId) {
    if (encoder == null || streamSettingsSent) {
      return null;
    }
    ByteString payload = CborEncoder.encodeToByteString(ByteString.latin1(encoder.name()));
    return makeFrame(requestId, STREAM_SETTINGS_0006, FrameConstants.FLAG_SETTINGS_EOS, payload, false);
  }
}
