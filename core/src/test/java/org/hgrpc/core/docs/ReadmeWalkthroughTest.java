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
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true));
    client.callCommand(ByteString.latin1("customreadonly"), Map.of(), null);
    Action.SendFrames send = (Action.SendFrames) client.flushCommands();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    send.frames().forEachRemaining(f -> body.writeBytes(f.encode()));
    assertEquals("1500000100010111" + "a1446e616d654e637573746f6d726561646f6e6c79", hex(body.toByteArray()));

    // 2. The server decodes the bytes into frames and feeds its reactor.
    ServerReactor server = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true));
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
    assertTrue(frames.get(0).toString().startsWith("frame(size=11; request=1; stream=2; streamflags=stream-begin"));
  }
}
