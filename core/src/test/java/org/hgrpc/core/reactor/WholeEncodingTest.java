package org.hgrpc.core.reactor;

import static org.hgrpc.core.reactor.ReactorTestSupport.b;
import static org.hgrpc.core.reactor.ReactorTestSupport.frame;
import static org.hgrpc.core.reactor.ReactorTestSupport.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.frame.BufferingCommandResponseEmitter;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.junit.jupiter.api.Test;

/**
 * The server reactor encodes a small object in one pass ({@link EncodedSizeBound}); the frames
 * must be exactly those of cborutil's per-item chunks through the buffering emitter, the
 * reference's layout, whatever the sizes around a frame's limit.
 */
class WholeEncodingTest {

  private static List<ByteString> nodes(int n, int size) {
    List<ByteString> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[size];
      java.util.Arrays.fill(b, (byte) i);
      l.add(ByteString.wrap(b));
    }
    return l;
  }

  /** The reference layout, built from its parts: ok, every object's chunks through an emitter, eos. */
  private static List<Frame> referenceLayout(List<?> objects) {
    FrameStream stream = new FrameStream(2);
    List<Frame> out = new ArrayList<>();
    out.add(Frames.createCommandResponseOkFrame(stream, 1));
    BufferingCommandResponseEmitter emitter = new BufferingCommandResponseEmitter(stream, 1,
        FrameConstants.DEFAULT_MAX_FRAME_SIZE);
    for (Object o : objects) {
      CborEncoder.streamEncode(o, (b, off, len) -> emitter.send(b, off, len, out::add));
    }
    emitter.flush(out::add);
    out.add(Frames.createCommandResponseEosFrame(stream, 1));
    return out;
  }

  private static List<Frame> reactorLayout(List<?> objects) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(Framing.V0005));
    assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(
        frame("1 1 stream-begin command-request new cbor:{b'name': b'heads'}")));
    return frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, objects.iterator()));
  }

  @Test
  void framesAreTheChunkedLayoutAroundTheFrameLimit() {
    // 20-byte nodes cost 21 bytes each: lists from well below to well above one 32 KiB frame,
    // alone and after an object that already fills part of the frame.
    for (int n : new int[] {0, 1, 100, 1550, 1559, 1560, 1561, 1562, 1600, 3200}) {
      List<Object> one = List.of(nodes(n, 20));
      assertEquals(referenceLayout(one), reactorLayout(one), n + " nodes");
      List<Object> two = List.of(nodes(700, 20), nodes(n, 20), Map.of(b("k"), nodes(3, 20)));
      assertEquals(referenceLayout(two), reactorLayout(two), "700 then " + n + " nodes");
    }
  }

  @Test
  void framesAreTheChunkedLayoutForEveryKindOfValue() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(b("zz"), List.of(1L, -1L, 1000000L, true, false));
    map.put(b("a"), new LinkedHashSet<>(List.of(b("y"), b("x"))));
    map.put(2L, null);
    List<Object> objects = List.of(map, b(""), 5L, java.math.BigInteger.TEN, new byte[] {1, 2, 3}, List.of());
    assertEquals(referenceLayout(objects), reactorLayout(objects));
  }

  @Test
  void theBoundIsNeverBelowTheEncoding() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(b("bookmark"), b("0123456789abcdef0123456789abcdef01234567"));
    map.put(-70000L, new LinkedHashSet<>(List.of(1L, 2L)));
    for (Object v : List.of(map, nodes(1000, 20), List.of(List.of(List.of(b("x")))), 1L << 40, b(""))) {
      long bound = EncodedSizeBound.of(v, Long.MAX_VALUE);
      assertTrue(bound >= CborEncoder.encode(v).length, v + ": " + bound);
    }
  }

  @Test
  void noBoundForStreamedUnknownDeepOrLargeValues() {
    assertEquals(-1, EncodedSizeBound.of(IndefiniteByteString.fromChunks(List.of(b("x")).iterator()), 1000));
    assertEquals(-1, EncodedSizeBound.of(List.of("a string"), 1000));
    Object deep = b("x");
    for (int i = 0; i < EncodedSizeBound.MAX_DEPTH + 2; i++) {
      deep = List.of(deep);
    }
    assertEquals(-1, EncodedSizeBound.of(deep, 1 << 20));
    assertEquals(-1, EncodedSizeBound.of(nodes(100, 20), 100 * 29));
    assertEquals(100 * 29 + 9, EncodedSizeBound.of(nodes(100, 20), 100 * 29 + 10));
  }
}
