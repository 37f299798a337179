package org.hgrpc.core.reactor;

import static org.hgrpc.core.frame.FrameConstants.*;
import static org.hgrpc.core.reactor.ReactorTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.HumanFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both reactors in framing 0006: settings, encoder negotiation, encoded streams, redirects. */
class Framing0006ReactorTest {

  private static Frame f6(String human) {
    return HumanFrames.parse(Framing.V0006, human);
  }

  private static ServerReactor server(String... encoders) {
    return new ServerReactor(ServerReactor.Options.of(Framing.V0006).withEncoders(ContentEncodings.of(encoders)));
  }

  private static Action settings(ServerReactor r, String literal) {
    return r.onFrameReceived(f6("0 1 stream-begin sender-protocol-settings eos cbor:" + literal));
  }

  @Test
  void startsInInitialAndAcceptsACommandRequestFirst() {
    ServerReactor r = server("zlib", "identity");
    assertEquals(ServerReactor.State.INITIAL, r.state());
    Action.RunCommand rc = assertInstanceOf(Action.RunCommand.class,
        r.onFrameReceived(f6("1 1 stream-begin command-request new cbor:{b'name': b'heads'}")));
    assertEquals(b("heads"), rc.command());
    assertNull(rc.redirect());
    assertEquals(List.of(b("identity")), r.clientContentEncodings());
  }

  @Test
  void settingsErrors() {
    assertError(server("identity").onFrameReceived(f6("1 1 stream-begin text-output 0 ")), Action.ErrorKind.PROTOCOL,
        "expected sender protocol settings or command request frame; got 6");
    assertError(server("identity").onFrameReceived(f6("0 1 stream-begin sender-protocol-settings continuation|eos ")),
        Action.ErrorKind.PROTOCOL,
        "sender protocol settings frame cannot have both continuation and end of stream flags set");
    assertError(server("identity").onFrameReceived(f6("0 1 stream-begin sender-protocol-settings 0 ")),
        Action.ErrorKind.PROTOCOL, "sender protocol settings frame must have continuation or end of stream flag set");
    assertError(server("identity").onFrameReceived(f6("0 1 stream-begin sender-protocol-settings eos ")),
        Action.ErrorKind.CBOR, "sender protocol settings frame did not contain CBOR data");
    assertError(server("identity").onFrameReceived(f6("0 1 stream-begin sender-protocol-settings eos \\x01\\x02")),
        Action.ErrorKind.CBOR, "sender protocol settings frame contained multiple CBOR values");
    // Where the reference accepted or crashed: an error naming the rule.
    assertInstanceOf(Action.Error.class, settings(server("identity"), "[b'contentencodings']"));
    assertInstanceOf(Action.Error.class, settings(server("identity"), "{b'contentencodings': b'xzlibx'}"));
    assertInstanceOf(Action.Error.class, settings(server("identity"), "{b'contentencodings': 1}"));
    assertInstanceOf(Action.Error.class, server("identity")
        .onFrameReceived(f6("0 1 stream-begin sender-protocol-settings eos \\xa1\\x50contentencod")));
    // Settings after the first request.
    ServerReactor late = server("identity");
    late.onFrameReceived(f6("1 1 stream-begin command-request new cbor:{b'name': b'a'}"));
    assertError(late.onFrameReceived(f6("0 1 0 sender-protocol-settings eos cbor:{}")), Action.ErrorKind.PROTOCOL,
        "expected command request frame; got 8");
  }

  @Test
  void settingsSpanFrames() {
    ServerReactor r = server("zstd-8mb", "zlib", "identity");
    // {b'contentencodings': [b'zlib']} split in two
    ByteString all = org.hgrpc.core.cbor.CborEncoder.encodeToByteString(
        Map.of(b("contentencodings"), List.of(b("zlib"))));
    Action first = r.onFrameReceived(new Frame(0, 1, STREAM_FLAG_BEGIN_STREAM, 8, FLAG_SETTINGS_CONTINUATION,
        all.substring(0, 5)));
    assertEquals(ServerReactor.State.PROTOCOL_SETTINGS_RECEIVING, assertInstanceOf(Action.WantFrame.class, first).state());
    Action second = r.onFrameReceived(new Frame(0, 1, 0, 8, FLAG_SETTINGS_EOS, all.substring(5, all.size())));
    assertEquals(ServerReactor.State.IDLE, assertInstanceOf(Action.WantFrame.class, second).state());
    assertEquals(List.of(b("zlib")), r.clientContentEncodings());
  }

  @Test
  void settingsBeyondTheArgumentLimitAreRefused() {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(Framing.V0006)
        .withLimits(Limits.DEFAULTS.withMaxArgumentBytes(8)));
    assertEquals(Action.ErrorKind.LIMIT, assertInstanceOf(Action.Error.class,
        settings(r, "{b'contentencodings': [b'identity']}")).kind());
  }

  @Test
  void negotiationPrefersTheServersOrder() {
    ServerReactor r = server("zstd-8mb", "zlib", "identity");
    settings(r, "{b'contentencodings': [b'identity', b'zlib']}");
    assertEquals("zlib", r.makeOutputStream().encoder().name());

    ServerReactor z = server("zstd-8mb", "zlib", "identity");
    settings(z, "{b'contentencodings': [b'zlib', b'zstd-8mb', 7]}");
    assertEquals("zstd-8mb", z.makeOutputStream().encoder().name());

    ServerReactor none = server("zstd-8mb", "zlib");
    settings(none, "{b'contentencodings': [b'bogus']}");
    assertEquals("identity", none.makeOutputStream().encoder().name(), "no encoder in common: identity");

    ServerReactor empty = server("zlib", "identity");
    settings(empty, "{b'contentencodings': []}");
    assertEquals("identity", empty.makeOutputStream().encoder().name());

    assertEquals("identity", server("zlib", "identity").makeOutputStream().encoder().name(), "no settings frame");
  }

  @Test
  void identityResponsesAnnounceTheStreamOnceAndFlagEncoded() {
    ServerReactor r = server("identity");
    r.onFrameReceived(f6("1 1 stream-begin command-request new cbor:{b'name': b'a'}"));
    r.onFrameReceived(f6("3 1 0 command-request new cbor:{b'name': b'b'}"));
    FrameStream out = r.makeOutputStream();
    List<Frame> one = frames(r.onCommandResponseReadyObjects(out, 1, List.of(b("x")).iterator()));
    assertEquals(4, one.size());
    assertEquals(9, one.get(0).typeId());
    assertEquals(STREAM_FLAG_BEGIN_STREAM, one.get(0).streamFlags());
    for (Frame f : one.subList(1, 3)) {
      assertEquals(STREAM_FLAG_ENCODING_APPLIED, f.streamFlags());
    }
    assertEquals(0, one.get(3).streamFlags(), "an empty end frame is not encoded");
    List<Frame> two = frames(r.onCommandResponseReadyObjects(out, 3, List.of(b("y")).iterator()));
    assertTrue(two.stream().noneMatch(f -> f.typeId() == 9), "settings only once per stream");
  }

  @Test
  void bytesResponsesDoNotExistIn0006() {
    ServerReactor r = server("identity");
    r.onFrameReceived(f6("1 1 stream-begin command-request new cbor:{b'name': b'a'}"));
    assertThrows(IllegalStateException.class, () -> r.onCommandResponseReady(r.makeOutputStream(), 1, b("x")));
  }

  @Test
  void redirectIsPassedOnAndMustBeAMap() {
    ServerReactor r = server("identity");
    Action.RunCommand rc = assertInstanceOf(Action.RunCommand.class, r.onFrameReceived(f6(
        "1 1 stream-begin command-request new cbor:{b'name': b'a', b'redirect': {b'targets': [b't']}}")));
    assertEquals(Map.of(b("targets"), List.of(b("t"))), rc.redirect());
    assertInstanceOf(Action.Error.class, server("identity").onFrameReceived(
        f6("1 1 stream-begin command-request new cbor:{b'name': b'a', b'redirect': 3}")));
  }

  @Test
  void encodedClientFramesAndTrailingRequestValuesAreErrors() {
    assertInstanceOf(Action.Error.class, server("identity").onFrameReceived(
        f6("1 1 stream-begin|encoded command-request new cbor:{b'name': b'a'}")));
    assertInstanceOf(Action.Error.class, server("identity").onFrameReceived(
        f6("1 1 stream-begin command-request new \\xa1DnameAa\\x01")));
  }

  @Test
  void aRedirectMustComeAlone() throws Exception {
    ServerReactor r = server("identity");
    r.onFrameReceived(f6("1 1 stream-begin command-request new cbor:{b'name': b'a'}"));
    AlternateLocationResponse loc = new AlternateLocationResponse(b("https://cdn/x"), b("application/mercurial-cbor"));
    List<Frame> frames = frames(r.onCommandResponseReadyObjects(r.makeOutputStream(), 1,
        List.<Object>of(loc, b("more")).iterator()));
    Frame last = frames.get(frames.size() - 1);
    assertEquals(5, last.typeId());
    assertTrue(last.payload().utf8().contains("object follows alternatelocationresponse"));
  }

  /** Server to client through each encoder: the client decodes exactly what the command produced. */
  @ParameterizedTest
  @ValueSource(strings = {"identity", "zlib", "zstd-8mb"})
  void exchangeThroughEachEncoder(String encoding) throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006)
        .withClientContentEncoders(List.of(encoding, "identity")));
    ServerReactor server = new ServerReactor(ServerReactor.Options.of(Framing.V0006).withDeferOutput(true));
    ClientReactor.Call call = client.callCommand(b("big"), Map.of(), null, Map.of(b("targets"), List.of()));
    assertInstanceOf(Action.Noop.class, call.action());
    List<Frame> sent = frames(client.flushCommands());
    assertEquals(8, sent.get(0).typeId(), "sender-protocol-settings first");
    assertEquals(call.request().requestId(), sent.get(0).requestId());
    Action.RunCommand rc = null;
    for (Frame f : sent) {
      Action a = server.onFrameReceived(f);
      if (a instanceof Action.RunCommand) {
        rc = (Action.RunCommand) a;
      }
    }
    assertNotNull(rc);
    assertEquals(Map.of(b("targets"), List.of()), rc.redirect());
    FrameStream out = server.makeOutputStream();
    assertEquals(encoding, out.encoder().name());
    byte[] blob = new byte[200_000];
    new java.util.Random(5).nextBytes(blob);
    server.onCommandResponseReadyObjects(out, rc.requestId(), List.<Object>of(Map.of(b("k"), b("v")),
        IndefiniteByteString.split(ByteString.wrap(blob), 65536)).iterator());
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (Frame f : frames(server.onInputEof())) {
      assertTrue(f.payload().size() <= DEFAULT_MAX_FRAME_SIZE);
      Action a = client.onFrameReceived(f);
      if (a instanceof Action.ResponseData) {
        body.writeBytes(((Action.ResponseData) a).data().toByteArray());
      } else {
        assertInstanceOf(Action.Noop.class, a, "only the stream settings frame gives nothing");
      }
    }
    List<Object> values = org.hgrpc.core.cbor.CborDecoder.decodeAll(ByteString.wrap(body.toByteArray()));
    assertEquals(Map.of(b("status"), b("ok")), values.get(0));
    assertEquals(Map.of(b("k"), b("v")), values.get(1));
    assertEquals(CommandRequest.State.RECEIVED, call.request().state());
  }

  @Test
  void clientSendsNoSettingsWithoutEncodersAndRejectsBadEncodedData() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withBufferSends(false));
    List<Frame> sent = frames(client.callCommand(b("a"), Map.of(), null).action());
    assertEquals(1, sent.size());
    assertEquals(1, sent.get(0).typeId());
    assertInstanceOf(Action.Noop.class, client.onFrameReceived(f6("1 2 stream-begin stream-settings eos cbor:b'zlib'")));
    Action bad = client.onFrameReceived(new Frame(1, 2, STREAM_FLAG_ENCODING_APPLIED, 3, 1, b("not zlib at all")));
    assertEquals(Action.ErrorKind.ENCODING, assertInstanceOf(Action.Error.class, bad).kind());
  }

  @Test
  void clientRefusesUnknownDecodersAndSettingsThatEndTheStream() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withBufferSends(false)
        .withDecoders(ContentEncodings.of("identity")));
    frames(client.callCommand(b("a"), Map.of(), null).action());
    assertError(client.onFrameReceived(f6("1 2 stream-begin stream-settings eos cbor:b'zlib'")),
        Action.ErrorKind.PROTOCOL, "error setting stream decoder: unknown stream decoder: zlib");
    assertInstanceOf(Action.Error.class,
        client.onFrameReceived(f6("1 4 stream-begin|stream-end stream-settings eos cbor:b'identity'")));
  }

  /** {@code mebibytes} MiB of zeros as one zstd-8mb stream's payload, ended by a flush: a few hundred bytes. */
  private static ByteString zstdZeros(int mebibytes) {
    FrameStream s = new FrameStream(2, true);
    s.setEncoder(ContentEncodings.DEFAULT.newEncoder("zstd-8mb").orElseThrow());
    ByteString zeros = ByteString.wrap(new byte[1 << 20]);
    List<ByteString> parts = new ArrayList<>();
    for (int i = 0; i < mebibytes; i++) {
      parts.add(s.encode(zeros));
    }
    parts.add(s.flush());
    return parts.stream().reduce(ByteString.EMPTY, ByteString::concat);
  }

  @Test
  void aZstdBombFromTheServerIsAnErrorAction() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withBufferSends(false)
        .withLimits(Limits.DEFAULTS.withMaxDecodedPayload(1 << 20)));
    frames(client.callCommand(b("a"), Map.of(), null).action());
    client.onFrameReceived(f6("1 2 stream-begin stream-settings eos cbor:b'zstd-8mb'"));
    ByteString bomb = zstdZeros(16);
    assertTrue(bomb.size() < DEFAULT_MAX_FRAME_SIZE);
    Action a = client.onFrameReceived(new Frame(1, 2, STREAM_FLAG_ENCODING_APPLIED, 3, 2, bomb));
    assertEquals(Action.ErrorKind.ENCODING, assertInstanceOf(Action.Error.class, a).kind());
  }

  @Test
  void aPayloadDecodingPastTheFrameLengthLimitIsResponseData() {
    // 32 MiB of zeros in one small zstd frame: within maxDecodedPayload (64 MiB), beyond the 24-bit
    // length of a frame on the wire. The data is not a frame, so it must not have to fit one.
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withBufferSends(false));
    frames(client.callCommand(b("a"), Map.of(), null).action());
    client.onFrameReceived(f6("1 2 stream-begin stream-settings eos cbor:b'zstd-8mb'"));
    ByteString compressed = zstdZeros(32);
    assertTrue(compressed.size() < DEFAULT_MAX_FRAME_SIZE);
    Action a = client.onFrameReceived(new Frame(1, 2, STREAM_FLAG_ENCODING_APPLIED, FrameType.COMMAND_RESPONSE, 2, compressed));
    Action.ResponseData data = assertInstanceOf(Action.ResponseData.class, a, a::toString);
    assertEquals(32 << 20, data.data().size());
    assertTrue(data.eos());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zlib", "zstd-8mb"})
  void closingTheServerReactorFreesItsStreamsEncoders(String encoding) {
    ServerReactor r = server("zstd-8mb", "zlib", "identity");
    settings(r, "{b'contentencodings': [b'" + encoding + "']}");
    FrameStream out = r.makeOutputStream();
    assertEquals(encoding, out.encoder().name());
    out.encode(b("data"));
    r.close();
    assertThrows(IllegalStateException.class, () -> out.encode(b("more")));
    assertDoesNotThrow(r::close);
  }

  @Test
  void closingTheClientReactorFreesItsStreamsDecoders() {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006).withBufferSends(false));
    frames(client.callCommand(b("a"), Map.of(), null).action());
    client.onFrameReceived(f6("1 2 stream-begin stream-settings eos cbor:b'zstd-8mb'"));
    ByteString zeros = zstdZeros(1);
    client.close();
    assertThrows(IllegalStateException.class, () -> client.onFrameReceived(
        new Frame(1, 2, STREAM_FLAG_ENCODING_APPLIED, FrameType.COMMAND_RESPONSE, 2, zeros)));
    assertDoesNotThrow(client::close);
  }

  @Test
  void encodersCompressAsTheEmitterProduces() {
    // A lazily made 64 MiB response: frames come out while the chunks are pulled, a few at a time.
    ServerReactor r = server("zstd-8mb", "zlib", "identity");
    settings(r, "{b'contentencodings': [b'zlib']}");
    r.onFrameReceived(f6("1 1 0 command-request new cbor:{b'name': b'a'}"));
    int[] pulled = {0};
    Iterator<ByteString> chunks = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pulled[0] < 1024;
      }

      @Override
      public ByteString next() {
        pulled[0]++;
        byte[] b = new byte[65536];
        new java.util.Random(pulled[0]).nextBytes(b);
        return ByteString.wrap(b);
      }
    };
    Iterator<Frame> frames = assertInstanceOf(Action.SendFrames.class, r.onCommandResponseReadyObjects(
        r.makeOutputStream(), 1, List.<Object>of(IndefiniteByteString.fromChunks(chunks)).iterator())).frames();
    int taken = 0;
    while (frames.hasNext()) {
      frames.next();
      taken++;
      assertTrue(pulled[0] <= taken / 2 + 2, "pulled " + pulled[0] + " chunks for " + taken + " frames");
    }
    assertEquals(1024, pulled[0]);
  }
}
