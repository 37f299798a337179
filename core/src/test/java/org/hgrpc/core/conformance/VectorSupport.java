package org.hgrpc.core.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameHeader;
import org.hgrpc.core.literal.PythonLiteral;

/** Conversions shared by the vector runners. */
final class VectorSupport {
  private VectorSupport() {}

  static ByteString hex(String hex) {
    return ByteString.fromHex(hex);
  }

  static String hex(Frame f) {
    return HexFormat.of().formatHex(f.encode());
  }

  static Object literal(String text) {
    return PythonLiteral.parse(text);
  }

  /** A frame from its encoded bytes (the whole header and payload, nothing more). */
  static Frame frameFromHex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    FrameHeader h = FrameHeader.parse(b, 0);
    assertEquals(h.length(), b.length - 8, "frame_hex length field does not match its payload");
    return new Frame(h.requestId(), h.streamId(), h.streamFlags(), h.typeId(), h.flags(),
        ByteString.copyOf(b, 8, b.length - 8));
  }

  /** Drains frames to their hex encodings. */
  static List<String> drain(Iterator<Frame> frames) {
    List<String> out = new ArrayList<>();
    frames.forEachRemaining(f -> out.add(hex(f)));
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Decoded values with indefinite-length chunks replaced by their bytes, for comparison with literals. */
  static List<Object> plain(List<Object> values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      out.add(v instanceof ByteStringChunk ? ((ByteStringChunk) v).data() : v);
    }
    return out;
  }

  /** Compares hex lists showing a readable difference. */
  static void assertFrames(List<String> expected, List<String> actual) {
    if (!expected.equals(actual)) {
      assertEquals(summarize(expected), summarize(actual), "frames differ");
      assertEquals(expected, actual, "frames differ");
    }
  }

  private static String summarize(List<String> frames) {
    StringBuilder sb = new StringBuilder();
    for (String f : frames) {
      sb.append(f.length() > 120 ? f.substring(0, 60) + "..." + f.substring(f.length() - 40) + " (" + f.length() / 2
          + " bytes)" : f).append('\n');
    }
    return sb.toString();
  }
}
