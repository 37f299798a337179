package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameConstants.*;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.Framing;

/**
 * Flag names as the reference's tables ({@code STREAM_FLAGS}, {@code FLAGS_COMMAND_REQUEST},
 * ...) define them, and {@code humanflags}, which renders a flags value with them.
 */
final class FrameFlags {
  private FrameFlags() {}

  /** Stream flag names to values. */
  public static final Map<String, Integer> STREAM_FLAGS = table(
      "stream-begin", STREAM_FLAG_BEGIN_STREAM,
      "stream-end", STREAM_FLAG_END_STREAM,
      "encoded", STREAM_FLAG_ENCODING_APPLIED);

  /** Command request flag names to values. */
  public static final Map<String, Integer> FLAGS_COMMAND_REQUEST = table(
      "new", FLAG_COMMAND_REQUEST_NEW,
      "continuation", FLAG_COMMAND_REQUEST_CONTINUATION,
      "more", FLAG_COMMAND_REQUEST_MORE_FRAMES,
      "have-data", FLAG_COMMAND_REQUEST_EXPECT_DATA);

  /** Command data flag names to values. */
  public static final Map<String, Integer> FLAGS_COMMAND_DATA = table(
      "continuation", FLAG_COMMAND_DATA_CONTINUATION,
      "eos", FLAG_COMMAND_DATA_EOS);

  /** Command response flag names to values. */
  public static final Map<String, Integer> FLAGS_COMMAND_RESPONSE = table(
      "continuation", FLAG_COMMAND_RESPONSE_CONTINUATION,
      "eos", FLAG_COMMAND_RESPONSE_EOS);

  /** Flag names of the 0006 settings frames (sender-protocol-settings and stream-settings). */
  public static final Map<String, Integer> FLAGS_SETTINGS = table(
      "continuation", FLAG_SETTINGS_CONTINUATION,
      "eos", FLAG_SETTINGS_EOS);

  /**
   * The flag names of frame type {@code typeId} in {@code framing} ({@code FRAME_TYPE_FLAGS});
   * empty for unknown types, an empty map for types without named flags.
   */
  public static Optional<Map<String, Integer>> forType(Framing framing, int typeId) {
    return FrameType.fromId(framing, typeId).map(t -> t.flagNames(framing));
  }

  /**
   * The reference's {@code humanflags}: the names of the bits set in {@code value}, lowest
   * first, joined by {@code |}; a bit without a name shows as {@code <unknown 0x08>}.
   */
  public static String humanFlags(Map<String, Integer> names, int value) {
    StringBuilder sb = new StringBuilder();
    for (int bit = 1; bit <= value && bit > 0; bit <<= 1) {
      if ((value & bit) != 0) {
        if (sb.length() > 0) {
          sb.append('|');
        }
        String name = null;
        for (Map.Entry<String, Integer> e : names.entrySet()) {
          if (e.getValue() == bit) {
            name = e.getKey();
          }
        }
        sb.append(name != null ? name : String.format("<unknown 0x%02x>", bit));
      }
    }
    return sb.toString();
  }

  private static Map<String, Integer> table(Object... pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
