package org.hgrpc.core.fuzz;

import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_BEGIN_STREAM;
import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_ENCODING_APPLIED;
import static org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_END_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandRequest;

/**
 * Fuzzes the {@link ClientReactor} of a single-send transport (as over HTTP): a few buffered
 * commands are flushed and their frames sent, then fuzzer-built frames arrive as the
 * response.
 *
 * <p>Properties checked, for {@link Limits#DEFAULTS} and a tight variant:
 *
 * <ul>
 *   <li>issuing and flushing the commands gives their frames, all on the client's odd stream,
 *       and afterwards the single-send reactor refuses new commands;
 *   <li>no exception escapes {@link ClientReactor#onFrameReceived}, whatever arrives: every
 *       frame gives {@link Action.ResponseData}, {@link Action.ErrorResponse} or
 *       {@link Action.Error}, and the first two name the request the frame was for;
 *   <li>handling a frame allocates at most 32 times its payload size plus 64 MiB, so a small
 *       error response cannot make the client hold gigabytes.
 * </ul>
 *
 * <p>The response frames come in one of two ways, chosen by bit 1 of the last input byte (bit
 * 0 chooses the tight limits). Structured: biased toward the plausible, with even streams and
 * the begin flag, the ids of the requests sent, command-response and error-response types,
 * error payloads that are CBOR maps with (or without) {@code type} and {@code message}. Wire:
 * frame bytes from the start of the input, whose length is given by the three bytes before
 * the last one (least significant first), cut into frames by a {@link FrameDecoder}; the
 * commands are then made from the rest of the input, so a seed that is only frame bytes and
 * those four bytes sends one command with request id 1.
 */
@org.junit.jupiter.api.Tag("fuzz")
class ClientReactorFuzzTest {

  private static final Limits TIGHT = new Limits(64, 4, 4, 64, 128, 2);
  private static final ByteString TYPE = ByteString.latin1("type");
  private static final ByteString MESSAGE = ByteString.latin1("message");
  private static final ByteString MSG = ByteString.latin1("msg");
  private static final long ALLOCATION_FACTOR = 32;
  private static final long ALLOCATION_SLACK = 64 << 20;

  @FuzzTest
  void reactorTurnsAnyResponseIntoActions(FuzzedDataProvider data) {
    int setup = data.consumeInt(0, 3);
    List<Frame> wireFrames = (setup & 2) != 0 ? framesFromWire(data) : null;
    ClientReactor client = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true).withLimits((setup & 1) != 0 ? TIGHT : Limits.DEFAULTS));
    List<Integer> requestIds = sendCommands(data, client);

    if (wireFrames != null) {
      wireFrames.forEach(f -> receive(client, f));
    } else {
      int frames = data.consumeInt(0, 16);
      for (int i = 0; i < frames; i++) {
        receive(client, responseFrame(data, requestIds));
      }
    }
  }

  /** Hands a frame to the client and checks the action and the memory it took. */
  private static void receive(ClientReactor client, Frame frame) {
    long before = allocatedBytes();
    Action action = client.onFrameReceived(frame);
    long allocated = allocatedBytes() - before;
    assertNotNull(action, "no action for " + frame);
    assertTrue(before < 0 || allocated <= ALLOCATION_FACTOR * frame.payload().size() + ALLOCATION_SLACK,
        "handling " + frame + " allocated " + allocated + " bytes");
    if (action instanceof Action.ResponseData response) {
      assertEquals(frame.requestId(), response.request().requestId());
    } else if (action instanceof Action.ErrorResponse error) {
      assertEquals(frame.requestId(), error.request().requestId());
    } else {
      assertInstanceOf(Action.Error.class, action, "unexpected action for " + frame);
    }
  }

  /** Bytes allocated by this thread so far, or -1 where the JVM cannot tell. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
        && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
      return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  /** Issues one to three commands, flushes them, drains their frames; returns their request ids. */
  private static List<Integer> sendCommands(FuzzedDataProvider data, ClientReactor client) {
    List<Integer> ids = new ArrayList<>();
    int calls = data.consumeInt(1, 3);
    for (int i = 0; i < calls; i++) {
      ByteArrayInputStream body = data.consumeBoolean() ? new ByteArrayInputStream(data.consumeBytes(100)) : null;
      ClientReactor.Call call = client.callCommand(bytes(data, 20), args(data), body);
      assertInstanceOf(Action.Noop.class, call.action(), "buffered command was sent at once");
      assertEquals(CommandRequest.State.PENDING, call.request().state());
      ids.add(call.request().requestId());
    }
    Action.SendFrames send = assertInstanceOf(Action.SendFrames.class, client.flushCommands());
    send.frames().forEachRemaining(f -> assertEquals(1, f.streamId(), "command frame not on stream 1: " + f));
    assertThrows(IllegalStateException.class, () -> client.callCommand(bytes(data, 5), Map.of(), null),
        "single-send reactor accepted a command after sending");
    assertTrue(client.hasActiveRequests());
    return ids;
  }

  // ---- response frames ----

  /** Frames cut from wire bytes at the start of the input; stops at the first bad frame. */
  private static List<Frame> framesFromWire(FuzzedDataProvider data) {
    byte[] wire = data.consumeBytes(data.consumeInt(0, 0xffffff));
    List<Frame> frames = new ArrayList<>();
    try {
      new FrameDecoder(Limits.DEFAULTS).feed(wire, 0, wire.length, frames::add);
    } catch (ProtocolException e) {
      // Keep the frames before the bad one.
    }
    return frames;
  }

  /** A frame from the server: a command response, an error response, or any frame. */
  private static Frame responseFrame(FuzzedDataProvider data, List<Integer> requestIds) {
    return switch (data.consumeInt(0, 3)) {
      case 0, 1 -> new Frame(requestId(data, requestIds), serverStream(data), streamFlags(data),
          FrameType.COMMAND_RESPONSE, data.consumeInt(0, 3), bytes(data, 100));
      case 2 -> new Frame(requestId(data, requestIds), serverStream(data), streamFlags(data),
          FrameType.ERROR_RESPONSE, 0, errorPayload(data));
      default -> new Frame(data.consumeInt(0, 0xffff), data.consumeInt(0, 0xff), data.consumeInt(0, 0xff),
          data.consumeInt(0, 15), data.consumeInt(0, 15), bytes(data, 100));
    };
  }

  /** Mostly the id of a request sent, sometimes any id. */
  private static int requestId(FuzzedDataProvider data, List<Integer> requestIds) {
    int choice = data.consumeInt(0, requestIds.size());
    return choice < requestIds.size() ? requestIds.get(choice) : data.consumeInt(0, 0xffff);
  }

  /** Mostly stream 2, sometimes 4 or an odd (client) stream. */
  private static int serverStream(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 4 -> 4;
      case 5 -> 1;
      default -> 2;
    };
  }

  /** Mostly begin-stream; sometimes none, end-stream or the unsupported encoding flag. */
  private static int streamFlags(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 6)) {
      case 3 -> 0;
      case 4 -> STREAM_FLAG_BEGIN_STREAM | STREAM_FLAG_END_STREAM;
      case 5 -> STREAM_FLAG_END_STREAM;
      case 6 -> STREAM_FLAG_BEGIN_STREAM | STREAM_FLAG_ENCODING_APPLIED;
      default -> STREAM_FLAG_BEGIN_STREAM;
    };
  }

  /** An error response payload: well formed, missing a key, some other CBOR, or random bytes. */
  private static ByteString errorPayload(FuzzedDataProvider data) {
    Map<Object, Object> error = new LinkedHashMap<>();
    switch (data.consumeInt(0, 4)) {
      case 0, 1 -> {
        error.put(TYPE, bytes(data, 10));
        error.put(MESSAGE, List.of(Map.of(MSG, bytes(data, 40))));
      }
      case 2 -> error.put(data.consumeBoolean() ? TYPE : MESSAGE, bytes(data, 10));
      case 3 -> {
        return CborEncoder.encodeToByteString(data.consumeBoolean() ? List.of(bytes(data, 10)) : bytes(data, 10));
      }
      default -> {
        return bytes(data, 64);
      }
    }
    return CborEncoder.encodeToByteString(error);
  }

  // ---- commands ----

  /** Command arguments: byte-string keys with byte-string, integer or list values. */
  private static Map<Object, Object> args(FuzzedDataProvider data) {
    Map<Object, Object> args = new LinkedHashMap<>();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      Object value = switch (data.consumeInt(0, 2)) {
        case 0 -> bytes(data, 30);
        case 1 -> data.consumeLong();
        default -> List.of(bytes(data, 10), data.consumeBoolean());
      };
      args.put(bytes(data, 10), value);
    }
    return args;
  }

  /** Up to {@code max} bytes of the input. */
  private static ByteString bytes(FuzzedDataProvider data, int max) {
    return ByteString.wrap(data.consumeBytes(data.consumeInt(0, max)));
  }
}
