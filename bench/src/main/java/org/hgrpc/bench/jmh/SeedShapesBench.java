package org.hgrpc.bench.jmh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameReader;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.HumanFrames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The shapes of the seed's own figures ({@code /work/shared/tools/seedbench.py}, which
 * {@code run.sh} runs in the same session), done the Java way, for the "times the reference"
 * ratios of issue 14:
 *
 * <ul>
 *   <li>{@code encode}: {@code bytes(makeframe(...))} of a 1 KiB command-response frame: a
 *       {@link Frame} and its encoded array ({@link Frame#encode()}).
 *   <li>{@code readFrame}: 1,000 such frames read one by one from a stream ({@code readframe}
 *       over a {@code BytesIO}): {@link FrameReader} over a {@link ByteArrayInputStream}.
 *   <li>{@code decode}: the same 1,000 frames through the non-blocking {@link FrameDecoder}, the
 *       way the servlet and the client decode (copy-free, {@code feedOwned}).
 *   <li>{@code exchange}: a deferred-output server reactor receives
 *       {@code 1 1 stream-begin command-request new cbor:{b'name': b'heads'}}, answers the
 *       objects {@code [[b'\x11' * 20, b'\x22' * 20]]}, and every frame of the answer is
 *       encoded to bytes.
 * </ul>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SeedShapesBench {
  /** Frames in the decoded blob, as the seed's {@code readthousand}. */
  public static final int FRAMES = 1000;

  private ByteString payload;
  private byte[] blob;
  private Frame request;
  private List<Object> objects;

  @Setup
  public void setup() {
    byte[] x = new byte[1024];
    Arrays.fill(x, (byte) 'x');
    payload = ByteString.wrap(x);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < FRAMES; i++) {
      out.writeBytes(new Frame(1, 1, 0, FrameType.COMMAND_RESPONSE, 1, payload).encode());
    }
    blob = out.toByteArray();
    request = HumanFrames.parse("1 1 stream-begin command-request new cbor:{b'name': b'heads'}");
    byte[] n1 = new byte[20];
    byte[] n2 = new byte[20];
    Arrays.fill(n1, (byte) 0x11);
    Arrays.fill(n2, (byte) 0x22);
    objects = List.of(List.of(ByteString.wrap(n1), ByteString.wrap(n2)));
  }

  @Benchmark
  public byte[] encode() {
    return new Frame(1, 1, 0, FrameType.COMMAND_RESPONSE, FrameConstants.FLAG_COMMAND_RESPONSE_CONTINUATION, payload)
        .encode();
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void readFrame(Blackhole bh) throws IOException, org.hgrpc.core.ProtocolException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(blob), Limits.DEFAULTS);
    Frame f;
    while ((f = reader.readFrame()) != null) {
      bh.consume(f);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void decode(Blackhole bh) throws ProtocolException {
    FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    decoder.feedOwned(blob, 0, blob.length, bh::consume);
    decoder.finish();
  }

  @Benchmark
  public ByteBuffer exchange() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(Framing.V0005).withDeferOutput(true));
    Action a = r.onFrameReceived(request);
    if (!(a instanceof Action.RunCommand)) {
      throw new IllegalStateException(a.toString());
    }
    r.onCommandResponseReadyObjects(r.makeOutputStream(), 1, objects.iterator());
    FrameIterator frames = ((Action.SendFrames) r.onInputEof()).frames();
    ByteBuffer out = ByteBuffer.allocate(256);
    while (frames.hasNext()) {
      frames.next().writeTo(out);
    }
    return out;
  }
}
