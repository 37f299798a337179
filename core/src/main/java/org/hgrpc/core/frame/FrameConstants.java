package org.hgrpc.core.frame;

/**
 * The numbers of the protocol: header size, default frame size and every flag value, as the
 * reference names them. Frame types are {@link FrameType}; the name tables used by the human
 * syntax are in the package-private {@code FrameFlags}, used by {@link Frame#describe} and {@link HumanFrames}.
 */
public final class FrameConstants {
  private FrameConstants() {}

  /** Every frame begins with an 8-byte header. */
  public static final int FRAME_HEADER_SIZE = 8;
  /** Largest payload the reference puts in one frame it creates. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 32768;

  /** Stream flag: first frame of a stream. */
  public static final int STREAM_FLAG_BEGIN_STREAM = 0x01;
  /** Stream flag: last frame of a stream. */
  public static final int STREAM_FLAG_END_STREAM = 0x02;
  /** Stream flag: the payload has the stream's encoding applied (0006; in 0005 the reference refused it). */
  public static final int STREAM_FLAG_ENCODING_APPLIED = 0x04;

  /** Command request flag: the first frame of a new request. */
  public static final int FLAG_COMMAND_REQUEST_NEW = 0x01;
  /** Command request flag: continues a request begun earlier. */
  public static final int FLAG_COMMAND_REQUEST_CONTINUATION = 0x02;
  /** Command request flag: more command request frames follow. */
  public static final int FLAG_COMMAND_REQUEST_MORE_FRAMES = 0x04;
  /** Command request flag: command data frames follow. */
  public static final int FLAG_COMMAND_REQUEST_EXPECT_DATA = 0x08;

  /** Command data flag: more data frames follow. */
  public static final int FLAG_COMMAND_DATA_CONTINUATION = 0x01;
  /** Command data flag: the last data frame. */
  public static final int FLAG_COMMAND_DATA_EOS = 0x02;

  /** Command response flag: more response frames follow. */
  public static final int FLAG_COMMAND_RESPONSE_CONTINUATION = 0x01;
  /** Command response flag: the last response frame. */
  public static final int FLAG_COMMAND_RESPONSE_EOS = 0x02;

  /** Settings flag (0006, sender-protocol-settings and stream-settings): more settings frames follow. */
  public static final int FLAG_SETTINGS_CONTINUATION = 0x01;
  /** Settings flag (0006, sender-protocol-settings and stream-settings): the last settings frame. */
  public static final int FLAG_SETTINGS_EOS = 0x02;
}
