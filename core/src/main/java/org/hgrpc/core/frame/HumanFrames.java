package org.hgrpc.core.frame;

import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.literal.LiteralSyntaxException;
import org.hgrpc.core.literal.PythonLiteral;

/**
 * The reference's human-readable frame syntax ({@code makeframefromhumanstring}) and its
 * inverse, so tests, tools and people can write frames as text:
 *
 * <pre>
 * &lt;request-id&gt; &lt;stream-id&gt; &lt;stream-flags&gt; &lt;type&gt; &lt;flags&gt; &lt;payload&gt;
 * 1 1 stream-begin command-request new cbor:{b'name': b'heads'}
 * 1 1 0 command-data eos some\x00bytes
 * </pre>
 *
 * <p>Ids are integers. Stream flags, type and flags are names or integers; several flags are
 * joined with {@code |}. A payload starting {@code cbor:} is a Python literal encoded as CBOR;
 * any other payload is a byte string with Python escapes ({@code \xNN}, {@code \n}, {@code \\},
 * octal). The line is Latin-1: each char is one byte.
 */
public final class HumanFrames {
  private HumanFrames() {}

  private static final String CBOR_PREFIX = "cbor:";
  private static final ByteString CBOR_PREFIX_BYTES = ByteString.latin1(CBOR_PREFIX);

  /** {@link #parse(Framing, String)} with framing 0005's type and flag names. */
  public static Frame parse(String s) {
    return parse(Framing.V0005, s);
  }

  /**
   * Parses one human frame string, with {@code framing}'s type and flag names.
   *
   * @throws HumanFrameSyntaxException naming the field that is wrong
   */
  public static Frame parse(Framing framing, String s) {
    String[] fields = splitFields(s);
    int requestId = integer(fields[0], "request id");
    int streamId = integer(fields[1], "stream id");
    int streamFlags = flags(fields[2], FrameFlags.STREAM_FLAGS, "stream flag");
    int typeId;
    var type = FrameType.fromHumanName(framing, fields[3]);
    typeId = type.isPresent() ? type.get().id(framing) : integer(fields[3], "frame type");
    Map<String, Integer> validFlags = FrameFlags.forType(framing, typeId)
        .orElseThrow(() -> new HumanFrameSyntaxException("unknown frame type: " + fields[3]));
    int flags = flags(fields[4], validFlags, "frame flag");

    String payloadText = fields[5];
    ByteString payload;
    try {
      if (payloadText.startsWith(CBOR_PREFIX)) {
        payload = CborEncoder.encodeToByteString(PythonLiteral.parse(payloadText.substring(CBOR_PREFIX.length())));
      } else {
        payload = PythonLiteral.unescape(payloadText);
      }
    } catch (LiteralSyntaxException e) {
      throw new HumanFrameSyntaxException("invalid payload: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new HumanFrameSyntaxException("payload cannot be encoded: " + e.getMessage(), e);
    }
    try {
      return new Frame(requestId, streamId, streamFlags, typeId, flags, payload);
    } catch (IllegalArgumentException e) {
      throw new HumanFrameSyntaxException("field out of range: " + e.getMessage(), e);
    }
  }

  /** {@link #format(Framing, Frame)} with framing 0005's names. */
  public static String format(Frame frame) {
    return format(Framing.V0005, frame);
  }

  /**
   * The human string of {@code frame} in {@code framing}: names for the type and every named flag, the payload as
   * an escaped byte string. {@link #parse} of the result gives back an equal frame.
   */
  public static String format(Framing framing, Frame frame) {
    String type = frame.type(framing).map(FrameType::humanName).orElse(Integer.toString(frame.typeId()));
    Map<String, Integer> names = FrameFlags.forType(framing, frame.typeId()).orElse(Map.of());
    return frame.requestId() + " " + frame.streamId() + " "
        + formatFlags(FrameFlags.STREAM_FLAGS, frame.streamFlags()) + " " + type + " "
        + formatFlags(names, frame.flags()) + " " + escape(frame.payload());
  }

  /**
   * The payload escape of {@link #format}: printable ASCII as is, {@code \\} and other bytes as
   * {@code \xNN}, and the {@code c} of a leading {@code cbor:} escaped so it stays bytes.
   */
  public static String escape(ByteString payload) {
    StringBuilder sb = new StringBuilder(payload.size());
    for (int i = 0; i < payload.size(); i++) {
      int b = payload.byteAt(i);
      if (i == 0 && payload.startsWith(CBOR_PREFIX_BYTES)) {
        sb.append("\\x63"); // a literal "cbor:" payload must not read back as a CBOR literal
      } else if (b == '\\') {
        sb.append("\\\\");
      } else if (b >= 0x20 && b < 0x7f) {
        sb.append((char) b);
      } else {
        sb.append(String.format("\\x%02x", b));
      }
    }
    return sb.toString();
  }

  private static String formatFlags(Map<String, Integer> names, int value) {
    if (value == 0) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    int unnamed = value;
    for (Map.Entry<String, Integer> e : names.entrySet()) {
      if ((value & e.getValue()) != 0) {
        sb.append(sb.length() > 0 ? "|" : "").append(e.getKey());
        unnamed &= ~e.getValue();
      }
    }
    if (unnamed != 0) {
      sb.append(sb.length() > 0 ? "|" : "").append(unnamed);
    }
    return sb.toString();
  }

  /** Python's {@code s.split(b' ', 5)} unpacked into exactly six fields. */
  private static String[] splitFields(String s) {
    String[] fields = new String[6];
    int start = 0;
    for (int i = 0; i < 5; i++) {
      int space = s.indexOf(' ', start);
      if (space < 0) {
        throw new HumanFrameSyntaxException(
            "expected 6 space-separated fields (request id, stream id, stream flags, type, flags, payload); got "
                + (i + 1) + ": " + s);
      }
      fields[i] = s.substring(start, space);
      start = space + 1;
    }
    fields[5] = s.substring(start);
    return fields;
  }

  private static int flags(String text, Map<String, Integer> names, String what) {
    int value = 0;
    for (String flag : text.split("\\|", -1)) {
      Integer named = names.get(flag);
      value |= named != null ? named : integer(flag, what);
    }
    return value;
  }

  /** Python's {@code int()} of a field: optional sign, decimal digits, surrounding blanks. */
  private static int integer(String text, String what) {
    String t = text.strip().replace("_", "");
    try {
      long v = Long.parseLong(t);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new HumanFrameSyntaxException(what + " out of range: " + text);
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new HumanFrameSyntaxException("invalid " + what + ": '" + text + "'");
    }
  }
}
