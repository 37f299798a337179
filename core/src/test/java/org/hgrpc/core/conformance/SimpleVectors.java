package org.hgrpc.core.conformance;

import static org.hgrpc.core.conformance.VectorSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameHeader;
import org.hgrpc.core.frame.HumanFrameSyntaxException;
import org.hgrpc.core.frame.HumanFrames;

/** Runners for the row-per-case files: human frames, CBOR encode and decode, frame repr. */
final class SimpleVectors {
  private SimpleVectors() {}

  /** {@code human} to {@code frame_hex}, or a syntax error where the reference raised. */
  static void humanFrame(JsonNode row) {
    Framing framing = VectorConformanceTest.framingOf(row);
    String human = row.get("human").asText();
    if (row.has("exception")) {
      assertThrows(HumanFrameSyntaxException.class, () -> HumanFrames.parse(framing, human));
      return;
    }
    Frame f = HumanFrames.parse(framing, human);
    assertEquals(row.get("frame_hex").asText(), hex(f));
    assertEquals(f, HumanFrames.parse(framing, HumanFrames.format(framing, f)), "format/parse round trip");
  }

  /** {@code literal} to {@code cbor_hex}, byte for byte, and back. */
  static void cborEncode(JsonNode row) throws CborDecodeException {
    Object value = literal(row.get("literal").asText());
    ByteString encoded = CborEncoder.encodeToByteString(value);
    assertEquals(row.get("cbor_hex").asText(), encoded.hex());
    assertEquals(java.util.Collections.singletonList(value), CborDecoder.decodeAll(encoded), "decoding the encoding");
    // The chunked encoding must hold the same bytes.
    java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
    CborEncoder.streamEncode(value, chunks::write);
    assertEquals(row.get("cbor_hex").asText(), ByteString.wrap(chunks.toByteArray()).hex(), "streamEncode");
  }

  /** {@code cbor_hex} to {@code values}, or the reference's decode error. */
  static void cborDecode(JsonNode row) {
    ByteString input = hex(row.get("cbor_hex").asText());
    if (row.has("exception")) {
      CborDecodeException e = assertThrows(CborDecodeException.class, () -> CborDecoder.decodeAll(input));
      assertEquals(row.get("message").asText(), e.getMessage());
      return;
    }
    List<Object> expected = new ArrayList<>();
    row.get("values").forEach(v -> expected.add(literal(v.asText())));
    try {
      assertEquals(expected, plain(CborDecoder.decodeAll(input)));
    } catch (CborDecodeException e) {
      fail("reference accepted this input; we refused it: " + e.getMessage());
    }
  }

  /** Header fields to the reference's frame repr. */
  static void frameRepr(JsonNode row) {
    Framing framing = VectorConformanceTest.framingOf(row);
    FrameHeader h = new FrameHeader(row.get("payload_len").asInt(), row.get("requestid").asInt(),
        row.get("streamid").asInt(), row.get("streamflags").asInt(), row.get("typeid").asInt(),
        row.get("flags").asInt());
    assertEquals(row.get("repr").asText(), Frame.render(framing, h));
    Frame f = new Frame(h.requestId(), h.streamId(), h.streamFlags(), h.typeId(), h.flags(),
        ByteString.wrap(new byte[h.length()]));
    assertEquals(row.get("repr").asText(), f.describe(framing));
  }
}
