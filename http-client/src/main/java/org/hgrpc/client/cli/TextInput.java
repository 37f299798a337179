package org.hgrpc.client.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.hgrpc.core.frame.FrameConstants;

/**
 * Recognises input that is text rather than frames: what {@code curl ... | hgrpc frames decode}
 * gets when the server refuses a request with a {@code text/plain} body ("unknown wire protocol
 * command: NAME"). Read as frames, such a body gives a meaningless error (the first three
 * letters make a length of millions); shown as text, it says what went wrong.
 *
 * <p>The input is text when its start is printable UTF-8 (tabs and line breaks allowed) and does
 * not begin with a plausible frame header. The header test is what keeps binary frames out: a
 * header's seventh byte holds the stream flags, and every stream flag value is below 8, while
 * every printable character is at least a tab (9), so no printable byte there is a frame.
 */
final class TextInput {
  /** How much of the input is examined, and at most shown. */
  static final int PEEK = 8192;

  private static final int STREAM_FLAGS_OFFSET = 6;
  private static final int KNOWN_STREAM_FLAGS = FrameConstants.STREAM_FLAG_BEGIN_STREAM
      | FrameConstants.STREAM_FLAG_END_STREAM | FrameConstants.STREAM_FLAG_ENCODING_APPLIED;

  private TextInput() {}

  /**
   * The text of an input that is text rather than frames, without trailing whitespace, and
   * followed by {@code [...]} when {@code start} is not the whole input.
   *
   * @param start the first bytes of the input (at most {@link #PEEK} of them are examined)
   * @param whole whether {@code start} is the whole input
   * @return the text, or empty when the input may be frames (empty input included)
   */
  static Optional<String> of(byte[] start, boolean whole) {
    int n = Math.min(start.length, PEEK);
    boolean complete = whole && n == start.length;
    if (n == 0 || plausibleFrameHeader(start, n)) {
      return Optional.empty();
    }
    Optional<String> text = printableUtf8(start, n, complete);
    return text.map(t -> complete ? t.stripTrailing() : t.stripTrailing() + " [...]");
  }

  /** A header whose stream flags are all known ones; shorter input has no header at all. */
  private static boolean plausibleFrameHeader(byte[] start, int n) {
    return n >= FrameConstants.FRAME_HEADER_SIZE
        && (start[STREAM_FLAGS_OFFSET] & 0xff & ~KNOWN_STREAM_FLAGS) == 0;
  }

  /**
   * The bytes as text, when they are UTF-8 of printable characters and white space; a character
   * cut by the end of an incomplete {@code start} is left out.
   */
  private static Optional<String> printableUtf8(byte[] start, int n, boolean complete) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = CharBuffer.allocate(n);
    CoderResult result = decoder.decode(ByteBuffer.wrap(start, 0, n), chars, complete);
    if (result.isError() || complete && decoder.flush(chars).isError()) {
      return Optional.empty();
    }
    chars.flip();
    String text = chars.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return Optional.empty();
      }
    }
    return Optional.of(text);
  }
}
