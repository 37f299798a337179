package org.hgrpc.core.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.HumanFrames;

/** Helpers shared by the reactor tests. */
final class ReactorTestSupport {
  private ReactorTestSupport() {}

  static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  static Frame frame(String human) {
    return HumanFrames.parse(human);
  }

  /** The frames of a {@link Action.SendFrames}, all taken. */
  static List<Frame> frames(Action action) {
    return assertInstanceOf(Action.SendFrames.class, action).frames().toList();
  }

  static Action.Error assertError(Action action, Action.ErrorKind kind, String message) {
    Action.Error e = assertInstanceOf(Action.Error.class, action);
    assertEquals(message, e.message());
    assertEquals(kind, e.kind());
    return e;
  }

  static Object decodeOne(ByteString payload) throws CborDecodeException {
    List<Object> values = CborDecoder.decodeAll(payload);
    assertEquals(1, values.size());
    return values.get(0);
  }

  static Map<?, ?> decodeMap(ByteString payload) throws CborDecodeException {
    return assertInstanceOf(Map.class, decodeOne(payload));
  }
}
