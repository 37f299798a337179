package org.hgrpc.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.ServerReactor;
import org.junit.jupiter.api.Test;

/** Runs the walkthrough of core/README.md step by step and checks every byte it shows. */
class ReadmeWalkthroughTest {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void commandRequestAndResponseAsShownInTheReadme() throws Exception {
    // 1. The client asks for a command; one HTTP exchange = one single-send reactor.
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0005)
        .withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(ByteString.latin1("customreadonly"), Map.of(), null);
    Action.SendFrames send = (Action.SendFrames) client.flushCommands();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    send.frames().forEachRemaining(f -> body.writeBytes(f.encode()));
    assertEquals("1500000100010111" + "a1446e616d654e637573746f6d726561646f6e6c79", hex(body.toByteArray()));

    // 2. The server decodes the bytes into frames and feeds its reactor.
    ServerReactor server = new ServerReactor(ServerReactor.Options.of(Framing.V0005).withDeferOutput(true));
    FrameStream out = server.makeOutputStream();
    List<Action> actions = new ArrayList<>();
    new FrameDecoder(Limits.DEFAULTS).feed(ByteBuffer.wrap(body.toByteArray()),
        frame -> actions.add(server.onFrameReceived(frame)));
    Action.RunCommand run = assertInstanceOf(Action.RunCommand.class, actions.get(0));
    assertEquals(ByteString.latin1("customreadonly"), run.command());
    assertEquals(1, run.requestId());

    // 3. The command yields one object; output is deferred until the request body has ended.
    Action noop = server.onCommandResponseReadyObjects(out, run.requestId(),
        List.<Object>of(ByteString.latin1("customreadonly bytes response")).iterator());
    assertInstanceOf(Action.Noop.class, noop);
    Action.SendFrames response = assertInstanceOf(Action.SendFrames.class, server.onInputEof());
    List<Frame> frames = response.frames().toList();
    assertEquals(List.of(
        "0b00000100020131" + "a146737461747573426f6b",
        "1f00000100020031" + "581d637573746f6d726561646f6e6c7920627974657320726573706f6e7365",
        "0000000100020032"), frames.stream().map(f -> hex(f.encode())).toList());

    // 4. The client sorts the frames by request and decodes the CBOR.
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (Frame f : frames) {
      Action.ResponseData data = assertInstanceOf(Action.ResponseData.class, client.onFrameReceived(f));
      payload.writeBytes(data.data().toByteArray());
    }
    assertFalse(client.hasActiveRequests());
    List<Object> values = CborDecoder.decodeAll(ByteString.wrap(payload.toByteArray()));
    assertEquals(List.of(Map.of(ByteString.latin1("status"), ByteString.latin1("ok")),
        ByteString.latin1("customreadonly bytes response")), values);
    assertTrue(frames.get(0).describe(Framing.V0005)
        .startsWith("frame(size=11; request=1; stream=2; streamflags=stream-begin"));
  }

  @Test
  void framing0006SettingsAndZlibAsShownInTheReadme() throws Exception {
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(Framing.V0006)
        .withClientContentEncoders(List.of("zlib", "identity")));
    client.callCommand(ByteString.latin1("heads"), Map.of(), null);
    List<Frame> request = ((Action.SendFrames) client.flushCommands()).frames().toList();
    assertEquals(List.of(
        "2100000100010182" + "a150636f6e74656e74656e636f64696e6773" + "82447a6c696248" + "6964656e74697479",
        "0c00000100010011" + "a1446e616d6545" + "6865616473"), request.stream().map(f -> hex(f.encode())).toList());

    ServerReactor server = new ServerReactor(ServerReactor.Options.of(Framing.V0006));
    Action.RunCommand run = null;
    for (Frame f : request) {
      Action a = server.onFrameReceived(f);
      run = a instanceof Action.RunCommand ? (Action.RunCommand) a : run;
    }
    FrameStream out = server.makeOutputStream();
    assertEquals("zlib", out.encoder().name());
    List<Frame> response = ((Action.SendFrames) server.onCommandResponseReadyObjects(out, run.requestId(),
        List.<Object>of(List.of()).iterator())).frames().toList();
    assertEquals("0500000100020192" + "447a6c6962", hex(response.get(0).encode()));
    assertEquals("0200000100020431" + "789c", hex(response.get(1).encode()));
    Frame last = response.get(response.size() - 1);
    assertEquals(0x32, last.encode()[7]);
    assertEquals(0x04, last.streamFlags());
    assertTrue(last.payload().hex().endsWith("0000ffff"));
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (Frame f : response) {
      Action a = client.onFrameReceived(f);
      if (a instanceof Action.ResponseData) {
        payload.writeBytes(((Action.ResponseData) a).data().toByteArray());
      }
    }
    assertEquals(List.of(Map.of(ByteString.latin1("status"), ByteString.latin1("ok")), List.of()),
        CborDecoder.decodeAll(ByteString.wrap(payload.toByteArray())));
  }
}
