package org.hgrpc.core.conformance;

import static org.hgrpc.core.conformance.VectorSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.BufferingCommandResponseEmitter;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.frame.Frames.TextAtom;

/**
 * Runs framing 0006 {@code frame-creation.jsonl} rows: a fresh output stream with the row's
 * encoder, the row's calls in order, every frame they make compared (byte for byte, or in
 * canonical form for zstd). A call the reference refused (the caller's mistake) must throw,
 * after the frames before it.
 */
final class FrameCallVectors {
  private FrameCallVectors() {}

  static void run(JsonNode row) {
    JsonNode streamSpec = row.get("stream");
    FrameStream stream = new FrameStream(streamSpec.get("id").asInt());
    JsonNode encoder = streamSpec.get("encoder");
    if (encoder != null && !encoder.isNull()) {
      stream.setEncoder(ContentEncodings.DEFAULT.newEncoder(encoder.asText()).orElseThrow());
    }
    List<Frame> frames = new ArrayList<>();
    RuntimeException thrown = null;
    for (JsonNode call : row.get("calls")) {
      try {
        call(stream, call, frames);
      } catch (IllegalArgumentException | IllegalStateException e) {
        thrown = e;
        break;
      }
    }
    List<String> actual = new ArrayList<>();
    frames.forEach(f -> actual.add(hex(f)));
    if (row.has("exception")) {
      assertNotNull(thrown, "reference raised " + row.get("exception").asText() + " (" + row.get("message").asText()
          + "); expected a throw");
    } else if (thrown != null) {
      throw new AssertionError("reference accepted the calls; we threw", thrown);
    }
    if ("decode".equals(row.path("compare").asText())) {
      assertFrames(strings(row.get("canonical")), new Canonical().feed(actual));
    } else {
      assertFrames(strings(row.get("frames")), actual);
    }
  }

  private static int maxFrameSize(JsonNode call) {
    return call.has("maxframesize") ? call.get("maxframesize").asInt() : FrameConstants.DEFAULT_MAX_FRAME_SIZE;
  }

  private static void call(FrameStream stream, JsonNode call, List<Frame> out) {
    int requestId = call.get("requestid").asInt();
    String name = call.get("call").asText();
    switch (name) {
      case "createcommandframes": {
        JsonNode data = call.get("data_hex");
        JsonNode redirect = call.get("redirect");
        Frames.createCommandFrames(stream, requestId, ByteString.utf8(call.get("cmd").asText()),
            (Map<?, ?>) literal(call.get("args").asText()),
            data == null || data.isNull() ? null : new ByteArrayInputStream(hex(data.asText()).toByteArray()),
            maxFrameSize(call), redirect == null || redirect.isNull() ? null : (Map<?, ?>) literal(redirect.asText()))
            .forEachRemaining(out::add);
        break;
      }
      case "createcommandresponseokframe": {
        Frame f = Frames.createCommandResponseOkFrame(stream, requestId);
        if (f != null) {
          out.add(f);
        }
        break;
      }
      case "createcommandresponseeosframes":
        out.addAll(Frames.createCommandResponseEosFrames(stream, requestId, maxFrameSize(call)));
        break;
      case "createalternatelocationresponseframe":
        out.add(Frames.createAlternateLocationResponseFrame(stream, requestId,
            (Map<?, ?>) literal(call.get("location").asText())));
        break;
      case "createcommanderrorresponse":
        out.add(Frames.createCommandErrorResponse(stream, requestId, ByteString.utf8(call.get("message").asText()),
            utf8List(call.get("args"))));
        break;
      case "createerrorframe":
        out.add(Frames.createErrorFrame(stream, requestId, ByteString.utf8(call.get("message").asText()),
            ByteString.utf8(call.get("errtype").asText())));
        break;
      case "createtextoutputframe": {
        List<TextAtom> atoms = new ArrayList<>();
        for (Object a : (List<?>) literal(call.get("atoms").asText())) {
          List<?> atom = (List<?>) a;
          atoms.add(new TextAtom((ByteString) atom.get(0), byteStrings((List<?>) atom.get(1)),
              byteStrings((List<?>) atom.get(2))));
        }
        out.add(Frames.createTextOutputFrame(stream, requestId, atoms, maxFrameSize(call)));
        break;
      }
      case "emitter": {
        BufferingCommandResponseEmitter e =
            new BufferingCommandResponseEmitter(Framing.V0006, stream, requestId, maxFrameSize(call));
        for (JsonNode chunk : call.get("chunks")) {
          if (chunk.isNull()) {
            e.flush(out::add);
          } else {
            e.send(hex(chunk.asText()), out::add);
          }
        }
        break;
      }
      case "makestreamsettingsframe": {
        Frame f = stream.makeStreamSettingsFrame(requestId);
        if (f != null) {
          out.add(f);
        }
        break;
      }
      case "makeframe":
        out.add(stream.makeFrame(requestId, call.get("typeid").asInt(), call.get("flags").asInt(),
            hex(call.get("payload_hex").asText()), call.get("encoded").asBoolean()));
        break;
      default:
        fail("unknown frame-creation call " + name);
    }
  }

  private static List<ByteString> utf8List(JsonNode array) {
    List<ByteString> l = new ArrayList<>();
    if (array != null && !array.isNull()) {
      array.forEach(n -> l.add(ByteString.utf8(n.asText())));
    }
    return l;
  }

  private static List<ByteString> byteStrings(List<?> values) {
    List<ByteString> l = new ArrayList<>();
    values.forEach(v -> l.add((ByteString) v));
    return l;
  }
}
