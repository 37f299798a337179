package org.hgrpc.core.conformance;

import static org.hgrpc.core.conformance.VectorSupport.frameFromHex;
import static org.hgrpc.core.conformance.VectorSupport.hex;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentDecodingException;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameType;

/**
 * The v0006 README's canonical form of a frame list, for steps whose zstd bytes depend on the
 * libzstd build: payloads decoded with one decoder per stream (kept across the scenario's
 * steps), empty plain continuation frames dropped, runs of continuation frames merged.
 */
final class Canonical {
  private static final int SETTINGS = FrameType.STREAM_SETTINGS.id(Framing.V0006);
  private static final int RESPONSE = FrameType.COMMAND_RESPONSE.id();
  private final Map<Integer, ContentDecoder> decoders = new HashMap<>();

  /** Feeds one step's frames (hex) and returns their canonical form (hex). */
  List<String> feed(List<String> frames) {
    List<Frame> decoded = new ArrayList<>();
    for (String h : frames) {
      Frame f = frameFromHex(h);
      if (f.typeId() == SETTINGS && (f.flags() & FrameConstants.FLAG_SETTINGS_EOS) != 0) {
        setDecoder(f);
      }
      if ((f.streamFlags() & FrameConstants.STREAM_FLAG_ENCODING_APPLIED) != 0) {
        ContentDecoder d = decoders.get(f.streamId());
        ByteString payload = f.payload();
        if (d != null) {
          try {
            payload = d.decode(payload);
          } catch (ContentDecodingException e) {
            fail("canonical form: cannot decode stream " + f.streamId() + ": " + e.getMessage());
          }
        }
        f = new Frame(f.requestId(), f.streamId(), f.streamFlags() & ~FrameConstants.STREAM_FLAG_ENCODING_APPLIED,
            f.typeId(), f.flags(), payload);
      }
      if (f.typeId() == RESPONSE && f.payload().isEmpty()
          && f.flags() == FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION && f.streamFlags() == 0) {
        continue;
      }
      decoded.add(f);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < decoded.size(); i++) {
      Frame f = decoded.get(i);
      if (f.typeId() == RESPONSE) {
        ByteString payload = f.payload();
        int streamFlags = f.streamFlags();
        int flags = f.flags();
        while (flags == FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION && i + 1 < decoded.size()) {
          Frame n = decoded.get(i + 1);
          if (n.typeId() != RESPONSE || n.requestId() != f.requestId() || n.streamId() != f.streamId()) {
            break;
          }
          payload = payload.concat(n.payload());
          streamFlags |= n.streamFlags();
          flags = n.flags();
          i++;
        }
        f = new Frame(f.requestId(), f.streamId(), streamFlags, f.typeId(), flags, payload);
      }
      out.add(hex(f));
    }
    return out;
  }

  private void setDecoder(Frame f) {
    try {
      Object name = CborDecoder.decodeAll(f.payload()).get(0);
      String n = ((ByteString) name).toString(java.nio.charset.StandardCharsets.ISO_8859_1);
      decoders.put(f.streamId(), ContentEncodings.DEFAULT.newDecoder(n, Long.MAX_VALUE).orElseThrow());
    } catch (Exception e) {
      fail("canonical form: bad stream settings frame " + hex(f) + ": " + e);
    }
  }
}
