package org.hgrpc.bench.jmh;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.StreamingCborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.ServerReactor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reactors doing a whole exchange in memory, as the transports drive them, against the
 * codec work alone (the baseline). One operation is one exchange.
 *
 * <ul>
 *   <li>{@code server}: what the server's exchange ({@code ServerExchange}) does minus HTTP and commands: the request bytes through a
 *       {@link FrameDecoder} into a deferred-output {@link ServerReactor}, the command's objects
 *       handed over, and every response frame written into a buffer.
 *   <li>{@code serverCodec} (its baseline): decode the request's CBOR, encode the status map and
 *       the objects, copy the bytes into the buffer.
 *   <li>{@code client}: what the HTTP client does with a response: a single-send
 *       {@link ClientReactor} issues the request (its frames are taken), then the response bytes go
 *       through a {@link FrameDecoder}, the reactor and a {@link StreamingCborDecoder}.
 *   <li>{@code clientCodec} (its baseline): {@code CborDecoder.decodeAll} of the response's
 *       concatenated payloads.
 * </ul>
 *
 * <p>Responses: {@code heads100}, a list of 100 nodes (2 KiB); {@code bytes1m}, 1 MiB sent as
 * an indefinite-length byte string in 64 KiB chunks (the streaming path).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReactorBench {
  private static final ByteString COMMAND = ByteString.latin1("heads");
  private static final int MIB = 1 << 20;

  /** Which response. */
  @Param({"heads100", "bytes1m"})
  public String response;

  private byte[] request;
  private ByteString requestPayload;
  private byte[] responseBytes;
  private ByteString responsePayloads;
  private List<ByteString> nodes;
  private ByteBuffer out;

  @Setup
  public void setup() {
    request = Fixtures.commandRequest("heads");
    requestPayload = ByteString.wrap(request, 8, request.length - 8);
    nodes = Fixtures.nodes(Fixtures.HEADS_NODES);
    responseBytes = Fixtures.objectResponse(objects());
    // The payloads of the response frames, concatenated: what the client's CBOR decoder sees.
    ByteBuffer all = ByteBuffer.wrap(responseBytes);
    java.io.ByteArrayOutputStream payloads = new java.io.ByteArrayOutputStream();
    try {
      new FrameDecoder(Limits.DEFAULTS).feed(all, f -> payloads.writeBytes(f.payload().toByteArray()));
    } catch (ProtocolException e) {
      throw new IllegalStateException(e);
    }
    responsePayloads = ByteString.wrap(payloads.toByteArray());
    out = ByteBuffer.allocate(responseBytes.length * 2);
  }

  private List<Object> objects() {
    if (response.equals("heads100")) {
      return List.of(nodes);
    }
    return List.of(Fixtures.streamValue(MIB));
  }

  @Benchmark
  public ByteBuffer server() throws ProtocolException {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true));
    FrameStream stream = reactor.makeOutputStream();
    FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    decoder.feed(ByteBuffer.wrap(request), frame -> {
      Action a = reactor.onFrameReceived(frame);
      if (a instanceof Action.RunCommand) {
        reactor.onCommandResponseReadyObjects(stream, ((Action.RunCommand) a).requestId(), objects().iterator());
      }
    });
    decoder.finish();
    FrameIterator frames = ((Action.SendFrames) reactor.onInputEof()).frames();
    out.clear();
    while (frames.hasNext()) {
      frames.next().writeTo(out);
    }
    return out;
  }

  @Benchmark
  public ByteBuffer serverCodec() throws CborDecodeException {
    List<Object> req = CborDecoder.decodeAll(requestPayload);
    if (req.isEmpty()) {
      throw new IllegalStateException();
    }
    out.clear();
    out.put(Frames.OVERALL_OK.toByteArray());
    for (Object o : objects()) {
      out.put(CborEncoder.encode(o));
    }
    return out;
  }

  @Benchmark
  public List<Object> client() throws ProtocolException, CborDecodeException {
    ClientReactor reactor = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    reactor.callCommand(COMMAND, Map.of(), null);
    FrameIterator sent = ((Action.SendFrames) reactor.flushCommands()).frames();
    while (sent.hasNext()) {
      sent.next();
    }
    StreamingCborDecoder cbor = new StreamingCborDecoder(new CborDecoder(Limits.DEFAULTS.maxCborDepth(),
        Limits.DEFAULTS.maxCommandDataBytes()));
    List<Object> values = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    CborDecodeException[] failure = new CborDecodeException[1];
    decoder.feed(ByteBuffer.wrap(responseBytes), (Frame frame) -> {
      Action a = reactor.onFrameReceived(frame);
      try {
        values.addAll(cbor.feed(((Action.ResponseData) a).data()));
      } catch (CborDecodeException e) {
        failure[0] = e;
      }
    });
    decoder.finish();
    cbor.finish();
    if (failure[0] != null) {
      throw failure[0];
    }
    return values;
  }

  @Benchmark
  public List<Object> clientCodec() throws CborDecodeException {
    return CborDecoder.decodeAll(responsePayloads, new CborDecoder(Limits.DEFAULTS.maxCborDepth(),
        Limits.DEFAULTS.maxCommandDataBytes()));
  }
}
