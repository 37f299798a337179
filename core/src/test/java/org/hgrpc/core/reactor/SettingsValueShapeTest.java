package org.hgrpc.core.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameType;
import org.junit.jupiter.api.Test;

/**
 * A 0006 sender-protocol-settings value that is not a map is refused with the value in the
 * message, whatever its CBOR shape. Found by ServerReactor0006FuzzTest
 * ({@code bug-settings-indefinite-bytes-chunk-render-iae}): a top-level indefinite byte string
 * arrives from the streaming decoder as a chunk, which the message could not render, so an
 * IllegalArgumentException escaped the reactor.
 */
class SettingsValueShapeTest {

  private static Action settings(String payloadHex) {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(Framing.V0006));
    return reactor.onFrameReceived(new Frame(1, 1, FrameConstants.STREAM_FLAG_BEGIN_STREAM,
        FrameType.SENDER_PROTOCOL_SETTINGS.id(Framing.V0006), FrameConstants.FLAG_SETTINGS_EOS,
        ByteString.fromHex(payloadHex)));
  }

  @Test
  void anIndefiniteByteStringOfSeveralChunksIsSeveralValues() {
    // The reference's decoder yields each chunk as a value, so this is its "multiple values" error.
    Action.Error e = assertInstanceOf(Action.Error.class, settings("5f41614162ff"));
    assertEquals("sender protocol settings frame contained multiple CBOR values", e.message());
  }

  @Test
  void anEmptyIndefiniteByteStringIsShownAsEmptyBytes() {
    Action.Error e = assertInstanceOf(Action.Error.class, settings("5fff"));
    assertEquals("sender protocol settings must be a CBOR map; got b''", e.message());
  }
}
