package org.hgrpc.core.frame;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.hgrpc.core.ByteString;

/** Small helpers shared by the frame tests. */
final class FrameTestSupport {
  private FrameTestSupport() {}

  /** Bytes from ints, so tests can write 0xff without casts. */
  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static ByteString latin1(String s) {
    return ByteString.latin1(s);
  }

  /** The wire bytes of frames, one after another. */
  static byte[] encodeAll(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      out.writeBytes(f.encode());
    }
    return out.toByteArray();
  }
}
