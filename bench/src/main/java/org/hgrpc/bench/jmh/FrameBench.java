package org.hgrpc.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame encoding and decoding against a plain {@link ByteBuffer} copy of the same bytes. One
 * operation is one frame ({@value #BATCH} per invocation, so the per-call overhead of the
 * harness does not dominate the empty frame).
 *
 * <ul>
 *   <li>{@code encode}: a server's hot path: {@link FrameStream#makeFrame} then
 *       {@link Frame#writeTo(ByteBuffer)} into an output buffer.
 *   <li>{@code decode}: a {@link FrameDecoder} fed the encoded frames in one buffer (as the
 *       servlet feeds a 64 KiB read), each frame handed to a listener; payloads are copied.
 *   <li>{@code decodeOwned}: the same through {@link FrameDecoder#feedOwned}, the copy-free
 *       decoding: the caller gives the array up and each payload is a view of it (the encoded
 *       bytes are never written again here, so that is allowed).
 *   <li>{@code copy} (the baseline): {@code dst.put(src)} of exactly those encoded bytes.
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameBench {
  /** Frames per invocation. */
  public static final int BATCH = 32;

  /** Payload bytes per frame. */
  @Param({"0", "1024", "32768"})
  public int payloadSize;

  private ByteString payload;
  private FrameStream stream;
  private ByteBuffer encoded;
  private ByteBuffer out;
  private FrameDecoder decoder;
  private final Consumer listener = new Consumer();

  /** Hands decoded frames to the blackhole. */
  static final class Consumer implements FrameDecoder.Listener {
    Blackhole bh;

    @Override
    public void onFrame(Frame frame) {
      bh.consume(frame);
    }
  }

  @Setup
  public void setup() {
    payload = ByteString.wrap(Fixtures.randomBytes(payloadSize, 1));
    stream = new FrameStream(2, true);
    int frameSize = FrameConstants.FRAME_HEADER_SIZE + payloadSize;
    encoded = ByteBuffer.allocate(frameSize * BATCH);
    for (int i = 0; i < BATCH; i++) {
      stream.makeFrame(1, FrameType.COMMAND_RESPONSE, FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION, payload)
          .writeTo(encoded);
    }
    encoded.flip();
    out = ByteBuffer.allocate(frameSize * BATCH);
    decoder = new FrameDecoder(Limits.DEFAULTS);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public ByteBuffer encode() {
    out.clear();
    for (int i = 0; i < BATCH; i++) {
      stream.makeFrame(1, FrameType.COMMAND_RESPONSE, FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION, payload)
          .writeTo(out);
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decode(Blackhole bh) throws ProtocolException {
    listener.bh = bh;
    decoder.feed(encoded.duplicate(), listener);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decodeOwned(Blackhole bh) throws ProtocolException {
    listener.bh = bh;
    decoder.feedOwned(encoded.array(), 0, encoded.limit(), listener);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public ByteBuffer copy() {
    out.clear();
    out.put(encoded.duplicate());
    return out;
  }
}
