package org.hgrpc.server.ops;

/**
 * Counts the frames in a byte stream of hgrpc frames as it passes, without holding them: every
 * frame starts with an 8-byte header whose first three bytes are the payload length (little
 * endian) and whose last byte holds the frame type in its high four bits. The same header
 * serves framing 0005 and 0006.
 */
final class FrameCounter {
  static final int HEADER_SIZE = 8;
  /** The frame type of an error response: a failure the protocol reported inside a 200. */
  static final int TYPE_ERROR_RESPONSE = 0x05;

  private final byte[] header = new byte[HEADER_SIZE];
  private int headerFill;
  private long payloadLeft;
  private long frames;
  private boolean errorResponse;

  /** Feeds {@code len} bytes. */
  void update(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, end - i);
        payloadLeft -= skip;
        i += skip;
        continue;
      }
      header[headerFill++] = b[i++];
      if (headerFill == HEADER_SIZE) {
        headerFill = 0;
        frames++;
        payloadLeft = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        if (((header[7] & 0xff) >> 4) == TYPE_ERROR_RESPONSE) {
          errorResponse = true;
        }
      }
    }
  }

  /** Feeds one byte. */
  void update(int b) {
    update(new byte[] {(byte) b}, 0, 1);
  }

  /** Frames whose header has passed. */
  long frames() {
    return frames;
  }

  /** Whether an error-response frame has passed. */
  boolean sawErrorResponse() {
    return errorResponse;
  }
}
