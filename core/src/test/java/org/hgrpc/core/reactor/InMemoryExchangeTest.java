package org.hgrpc.core.reactor;

import static org.hgrpc.core.reactor.ReactorTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.cbor.StreamingCborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client reactor and a server reactor talking through bytes in memory: client frames are
 * encoded, cut back into frames by a {@link FrameDecoder} and given to the server; the
 * server's frames travel back the same way. Every test runs with deferred and immediate
 * server output.
 *
 * <p>The server end is the least driver loop that runs the reactors: it answers each
 * {@code RunCommand} straight from a table, with none of a server's rules. The server's whole
 * exchange (command lookup, permissions, argument validation, dispatch, refusals) is one class
 * in http-server, {@code org.hgrpc.server.exchange.ServerExchange}, tested there against a
 * client reactor the same way ({@code ServerExchangeTest}).
 */
class InMemoryExchangeTest {

  /** What a command returns: raw bytes or objects to encode. */
  private sealed interface Reply permits BytesReply, ObjectsReply {}

  private record BytesReply(ByteString data) implements Reply {}

  private record ObjectsReply(Iterator<?> objects) implements Reply {}

  /** The server end: a reactor, a command table, and the commands it ran. */
  private static final class Server {
    final ServerReactor reactor;
    final Function<Action.RunCommand, Reply> commands;
    final List<Action.RunCommand> ran = new ArrayList<>();
    final FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    FrameStream out;

    Server(boolean defer, Function<Action.RunCommand, Reply> commands) {
      this.reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(defer));
      this.commands = commands;
    }

    /** Takes the client's bytes and returns the bytes of the server's answer. */
    byte[] exchange(byte[] request) throws ProtocolException {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      List<Frame> received = new ArrayList<>();
      decoder.feed(request, 0, request.length, received::add);
      decoder.finish();
      for (Frame f : received) {
        Action a = reactor.onFrameReceived(f);
        if (a instanceof Action.RunCommand run) {
          ran.add(run);
          if (out == null) {
            out = reactor.makeOutputStream();
          }
          Reply reply = commands.apply(run);
          Action sent = reply instanceof BytesReply br
              ? reactor.onCommandResponseReady(out, run.requestId(), br.data())
              : reactor.onCommandResponseReadyObjects(out, run.requestId(), ((ObjectsReply) reply).objects());
          write(sent, response);
        } else {
          assertInstanceOf(Action.WantFrame.class, a, "server action for " + f);
        }
      }
      write(reactor.onInputEof(), response);
      return response.toByteArray();
    }

    private void write(Action a, ByteArrayOutputStream response) {
      if (reactor.defersOutput()) {
        assertTrue(a instanceof Action.Noop || a instanceof Action.SendFrames);
      }
      if (a instanceof Action.SendFrames s) {
        s.frames().forEachRemaining(f -> response.writeBytes(f.encode()));
      } else {
        assertSame(Action.Noop.INSTANCE, a);
      }
    }
  }

  /** What the client saw for one request. */
  private static final class Received {
    final List<Action.ResponseData> frames = new ArrayList<>();
    ByteString payload = ByteString.EMPTY;

    boolean done() {
      return !frames.isEmpty() && frames.get(frames.size() - 1).eos();
    }
  }

  private static byte[] bytesOf(FrameIterator frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  /** Feeds the server's bytes to the client in uneven pieces and sorts response data by request id. */
  private static Map<Integer, Received> receive(ClientReactor client, byte[] response) throws ProtocolException {
    FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    List<Frame> frames = new ArrayList<>();
    for (int pos = 0; pos < response.length; pos += 1000) {
      decoder.feed(response, pos, Math.min(1000, response.length - pos), frames::add);
    }
    decoder.finish();
    Map<Integer, Received> byRequest = new LinkedHashMap<>();
    for (Frame f : frames) {
      Action.ResponseData data = assertInstanceOf(Action.ResponseData.class, client.onFrameReceived(f));
      Received r = byRequest.computeIfAbsent(data.request().requestId(), k -> new Received());
      r.frames.add(data);
      r.payload = r.payload.concat(data.data());
    }
    return byRequest;
  }

  /** Decodes an objects response: the status map, then the objects, chunks of indefinite byte strings joined. */
  private static List<Object> decodeObjects(List<Action.ResponseData> frames) throws CborDecodeException {
    StreamingCborDecoder decoder = new StreamingCborDecoder();
    List<Object> values = new ArrayList<>();
    for (Action.ResponseData d : frames) {
      values.addAll(decoder.feed(d.data()));
    }
    decoder.finish();
    List<Object> joined = new ArrayList<>();
    ByteString pending = null;
    for (Object v : values) {
      if (v instanceof ByteStringChunk c) {
        pending = (c.first() ? ByteString.EMPTY : pending).concat(c.data());
        if (c.last()) {
          joined.add(pending);
          pending = null;
        }
      } else {
        joined.add(v);
      }
    }
    return joined;
  }

  private static Reply echoArgs(Action.RunCommand run) {
    return new BytesReply(run.command().concat(b(":")).concat(ByteString.utf8(run.args().toString())));
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void oneCommand(boolean deferred) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("heads"), Map.of(), null);
    Server server = new Server(deferred, run -> new BytesReply(b("0123abcd\n")));

    Map<Integer, Received> got = receive(client, server.exchange(bytesOf(((Action.SendFrames) call.action()).frames())));

    assertEquals(1, server.ran.size());
    assertEquals(b("heads"), server.ran.get(0).command());
    Received r = got.get(1);
    assertTrue(r.done());
    assertEquals(Frames.OVERALL_OK.concat(b("0123abcd\n")), r.payload);
    assertEquals(CommandRequest.State.RECEIVED, call.request().state());
    assertFalse(client.hasActiveRequests());
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void severalCommandsBatched(boolean deferred) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    List<CommandRequest> requests = new ArrayList<>();
    for (String name : List.of("heads", "known", "listkeys")) {
      requests.add(client.callCommand(b(name), Map.of(b("n"), b(name + "-arg")), null).request());
    }
    Server server = new Server(deferred, InMemoryExchangeTest::echoArgs);
    byte[] request = bytesOf(((Action.SendFrames) client.flushCommands()).frames());

    Map<Integer, Received> got = receive(client, server.exchange(request));

    assertEquals(List.of(1, 3, 5), server.ran.stream().map(Action.RunCommand::requestId).toList());
    assertEquals(List.of(1, 3, 5), new ArrayList<>(got.keySet()));
    for (CommandRequest req : requests) {
      Received r = got.get(req.requestId());
      assertTrue(r.done());
      String name = req.name().utf8();
      assertEquals(Frames.OVERALL_OK.concat(b(name + ":{b'n'=b'" + name + "-arg'}")), r.payload);
      assertEquals(CommandRequest.State.RECEIVED, req.state());
    }
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void commandWithData(boolean deferred) throws Exception {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("unbundle"), Map.of(b("heads"), List.of(b("force"))),
        new ByteArrayInputStream(data));
    Server server = new Server(deferred, run -> new BytesReply(b("received " + run.data().size())));

    Map<Integer, Received> got = receive(client, server.exchange(bytesOf(((Action.SendFrames) call.action()).frames())));

    Action.RunCommand run = server.ran.get(0);
    assertEquals(ByteString.wrap(data), run.data());
    assertEquals(Map.of(b("heads"), List.of(b("force"))), run.args());
    assertEquals(Frames.OVERALL_OK.concat(b("received 100000")), got.get(1).payload);
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void largeArgumentsSpanSeveralFrames(boolean deferred) throws Exception {
    byte[] big = new byte[100_000];
    new Random(2).nextBytes(big);
    List<ByteString> nodes = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      nodes.add(ByteString.copyOf(big, i * 20, 20));
    }
    Map<ByteString, Object> args = Map.of(b("blob"), ByteString.wrap(big), b("nodes"), nodes);
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("known"), args, null);
    byte[] request = bytesOf(((Action.SendFrames) call.action()).frames());
    assertTrue(request.length > 4 * FrameConstants.DEFAULT_MAX_FRAME_SIZE, "the request needs several frames");
    Server server = new Server(deferred, run -> new BytesReply(b("ok")));

    Map<Integer, Received> got = receive(client, server.exchange(request));

    assertEquals(args, server.ran.get(0).args());
    assertTrue(got.get(1).done());
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void objectsResponseDecodedByTheClient(boolean deferred) throws Exception {
    byte[] bundle = new byte[300_000];
    new Random(3).nextBytes(bundle);
    List<Object> objects = new ArrayList<>();
    objects.add(Map.of(b("totalitems"), 2L));
    objects.add(List.of(b("a"), b("b"), -7L, true));
    objects.add(IndefiniteByteString.fromInputStream(new ByteArrayInputStream(bundle), 65536));
    objects.add(Map.of(b("after"), ByteString.EMPTY));
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("getbundle"), Map.of(), null);
    Server server = new Server(deferred, run -> new ObjectsReply(objects.iterator()));

    Map<Integer, Received> got = receive(client, server.exchange(bytesOf(((Action.SendFrames) call.action()).frames())));

    Received r = got.get(1);
    assertTrue(r.done());
    assertTrue(r.frames.size() >= 300_000 / FrameConstants.DEFAULT_MAX_FRAME_SIZE);
    List<Object> decoded = decodeObjects(r.frames);
    assertEquals(Map.of(b("status"), b("ok")), decoded.get(0));
    assertEquals(List.of(objects.get(0), objects.get(1), ByteString.wrap(bundle), objects.get(3)),
        decoded.subList(1, decoded.size()));
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void mixedBytesAndObjectsResponsesInOneBatch(boolean deferred) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(true).withBufferSends(true));
    client.callCommand(b("raw"), Map.of(), null);
    client.callCommand(b("objs"), Map.of(), null);
    Server server = new Server(deferred, run -> run.command().equals(b("raw"))
        ? new BytesReply(ByteString.wrap(new byte[70_000]))
        : new ObjectsReply(List.of(b("x"), 1L).iterator()));

    Map<Integer, Received> got = receive(client, server.exchange(bytesOf(((Action.SendFrames) client.flushCommands())
        .frames())));

    assertEquals(Frames.OVERALL_OK.concat(ByteString.wrap(new byte[70_000])), got.get(1).payload);
    assertEquals(List.of(Map.of(b("status"), b("ok")), b("x"), 1L), decodeObjects(got.get(3).frames));
    assertNull(server.ran.get(0).data());
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void commandErrorReachesTheClientAsAnErrorStatus(boolean deferred) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("lookup"), Map.of(b("key"), b("nope")), null);
    Iterator<Object> failing = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        throw new CommandError(b("unknown revision '%s'"), List.of(b("nope")));
      }
    };
    Server server = new Server(deferred, run -> new ObjectsReply(failing));

    Map<Integer, Received> got = receive(client, server.exchange(bytesOf(((Action.SendFrames) call.action()).frames())));

    Received r = got.get(1);
    assertTrue(r.done());
    Map<?, ?> m = ReactorTestSupport.decodeMap(r.payload);
    assertEquals(b("error"), m.get(b("status")));
    assertEquals(Map.of(b("message"), b("unknown revision '%s'"), b("args"), List.of(b("nope"))), m.get(b("error")));
  }

  @ParameterizedTest(name = "deferred={0}")
  @ValueSource(booleans = {false, true})
  void serverErrorFrameReachesTheClientAsAnErrorResponse(boolean deferred) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(false));
    ClientReactor.Call call = client.callCommand(b("heads"), Map.of(), null);
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(deferred));
    FrameDecoder decoder = new FrameDecoder(Limits.DEFAULTS);
    byte[] request = bytesOf(((Action.SendFrames) call.action()).frames());
    List<Frame> frames = new ArrayList<>();
    decoder.feed(request, 0, request.length, frames::add);
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class, reactor.onFrameReceived(frames.get(0)));
    Action sent = reactor.onServerError(reactor.makeOutputStream(), run.requestId(), "repository is locked");
    FrameIterator out = deferred ? ((Action.SendFrames) reactor.onInputEof()).frames()
        : ((Action.SendFrames) sent).frames();
    Frame errorFrame = out.next();
    assertFalse(out.hasNext());
    assertEquals(FrameType.ERROR_RESPONSE.id(), errorFrame.typeId());

    Action.ErrorResponse e = assertInstanceOf(Action.ErrorResponse.class, client.onFrameReceived(errorFrame));
    assertEquals(b("server"), e.type());
    assertEquals(List.of(Map.of(b("msg"), b("repository is locked"))), e.message());
    assertEquals(CommandRequest.State.ERRORED, call.request().state());
  }
}
