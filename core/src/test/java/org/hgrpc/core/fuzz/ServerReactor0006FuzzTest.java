package org.hgrpc.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.EncodedResponse;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * Fuzzes the framing 0006 {@link ServerReactor}: the sender-protocol-settings frames that open
 * every 0006 exchange, the content encodings they negotiate, stream flags (including the
 * encoded flag), then command requests answered in every way a command can answer (bytes,
 * objects, an {@link EncodedResponse}, a command error, a server error).
 *
 * <p>Properties, with and without deferred output, for {@link Limits#DEFAULTS} and a tight
 * variant, and for the default and the identity-only encoders:
 *
 * <ul>
 *   <li>no exception escapes the reactor, and every frame iterator it returns can be drained
 *       (which runs the negotiated encoder over the command output);
 *   <li>every frame it sends is on an even (server) stream;
 *   <li>after an {@link Action.Error} the reactor stays {@link ServerReactor.State#ERRORED};
 *   <li>the content encodings it reports for the client are never null once set.
 * </ul>
 *
 * <p>Input layout (the seeds under {@code ServerReactor0006FuzzTestInputs} follow it): the
 * last byte is the setup (bit 0 deferred output, bit 1 tight limits, bit 2 identity-only
 * encoders, bit 3 prepend a well-formed settings frame naming the encodings listed by the
 * bytes before it); everything else, from the start, is wire bytes cut into frames by a
 * {@link FrameDecoder}. The seeds are the conformance vectors' 0006 server-reactor frames.
 */
@org.junit.jupiter.api.Tag("fuzz")
class ServerReactor0006FuzzTest {
  private static final Limits TIGHT = new Limits(64, 4, 4, 64, 128, 2);
  private static final List<String> ENCODING_NAMES =
      List.of("zstd-8mb", "zlib", "identity", "gzip", "", "zstd");

  @FuzzTest
  void reactorTurnsAnySettingsAndFramesIntoActions(FuzzedDataProvider data) {
    MEMORY.check();
    int setup = data.consumeInt(0, 15);
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(Framing.V0006)
        .withDeferOutput((setup & 1) != 0)
        .withLimits((setup & 2) != 0 ? TIGHT : Limits.DEFAULTS)
        .withEncoders((setup & 4) != 0 ? ContentEncodings.IDENTITY_ONLY : ContentEncodings.DEFAULT));
    List<Frame> frames = new ArrayList<>();
    if ((setup & 8) != 0) {
      List<String> names = new ArrayList<>();
      int n = data.consumeInt(0, 4);
      for (int i = 0; i < n; i++) {
        names.add(ENCODING_NAMES.get(data.consumeInt(0, ENCODING_NAMES.size() - 1)));
      }
      frames.add(Frames.createSenderProtocolSettingsFrame(new FrameStream(1), 1, names));
    }
    byte[] wire = data.consumeRemainingAsBytes();
    try {
      new FrameDecoder(Limits.DEFAULTS).feed(wire, 0, wire.length, frames::add);
    } catch (ProtocolException e) {
      // Keep the frames before the bad one.
    }
    try {
      run(reactor, frames);
    } finally {
      reactor.close(); // as a transport does when the exchange is over: the encoders' native memory goes now
    }
  }

  private static void run(ServerReactor reactor, List<Frame> frames) {
    boolean errored = false;
    List<FrameStream> outputs = new ArrayList<>();
    for (Frame frame : frames) {
      Action action = reactor.onFrameReceived(frame);
      assertNotNull(action, "no action for " + frame);
      if (errored) {
        assertInstanceOf(Action.Error.class, action, "an errored reactor accepted " + frame);
      }
      if (action instanceof Action.Error) {
        errored = true;
        assertEquals(ServerReactor.State.ERRORED, reactor.state());
      } else if (action instanceof Action.RunCommand run) {
        respond(reactor, outputs, run);
      }
    }
    assertNotNull(reactor.clientContentEncodings());
    Action end = reactor.onInputEof();
    if (end instanceof Action.SendFrames send) {
      drain(send);
    }
  }

  /** Answers a command; which way depends on its request id, so the input chooses. */
  private static void respond(ServerReactor reactor, List<FrameStream> outputs, Action.RunCommand run) {
    // Streams are made after the settings arrived, so they carry the negotiated encoder.
    // A reactor has 127 output stream ids (2 to 254); asking for more is caller misuse (the
    // fuzzer found this harness doing it: bug-harness-more-output-streams-than-ids).
    if (outputs.isEmpty() || (run.requestId() % 3 == 0 && outputs.size() < 100)) {
      outputs.add(reactor.makeOutputStream());
    }
    FrameStream out = outputs.get(run.requestId() % outputs.size());
    int id = run.requestId();
    // Up to 100,000 bytes, to cross frame boundaries. Filled by the JDK: the fuzzer instruments our
    // classes, and ByteString.latin1's loop traced a comparison per byte, which held the run to
    // some 1,500 inputs a second.
    byte[] bytes = new byte[id % 100_000];
    Arrays.fill(bytes, (byte) 'x');
    ByteString payload = ByteString.wrap(bytes);
    Action action = switch (id % 5) {
      // Framing 0006 has no bytes responses (caller misuse there); streamed bytes are its equivalent.
      // Chunks of 1 to 1,000 bytes, but at most 256 of them: each is a pass through the emitter and
      // the encoder, and 100,000 one-byte chunks made one input last longer than thousands of others.
      case 0 -> reactor.onCommandResponseReadyObjects(out, id,
          List.<Object>of(IndefiniteByteString.split(payload, Math.max(1 + id % 1000, bytes.length / 256))).iterator());
      case 1 -> reactor.onCommandResponseReadyObjects(out, id,
          List.<Object>of(Map.of(ByteString.latin1("args"), run.args()), payload).iterator());
      case 2 -> reactor.onCommandResponseReadyObjects(out, id, List.<Object>of(new EncodedResponse(payload)).iterator());
      case 3 -> reactor.onCommandError(out, id, ByteString.latin1("refused %s"), List.of(run.command()));
      default -> reactor.onServerError(out, id, "failed " + run.command());
    };
    assertNotNull(action);
    if (reactor.defersOutput()) {
      assertInstanceOf(Action.Noop.class, action, "deferred output was not deferred");
    } else {
      drain(assertInstanceOf(Action.SendFrames.class, action));
    }
  }

  private static void drain(Action.SendFrames send) {
    send.frames().forEachRemaining(f -> assertTrue(f.streamId() % 2 == 0, "server sent on an odd stream: " + f));
  }

  private static final ResidentMemoryGuard MEMORY = new ResidentMemoryGuard();
}
