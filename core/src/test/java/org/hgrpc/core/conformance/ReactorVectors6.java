package org.hgrpc.core.conformance;

import static org.hgrpc.core.conformance.VectorSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.HumanFrames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.AlternateLocationResponse;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.core.reactor.CommandRequest;
import org.hgrpc.core.reactor.EncodedResponse;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * Runs framing 0006 reactor scenarios with the v0006 README's checking rules: an
 * {@code expect.project} replaces the reference's result; a {@code defect} step (without
 * project) needs an error action and ends checking; steps whose frames hold zstd output are
 * compared in {@link Canonical canonical form}, one canonicaliser per scenario.
 */
final class ReactorVectors6 {
  private ReactorVectors6() {}

  /** The expectation the project must meet: {@code project} where the reference's result is a defect. */
  private static JsonNode effective(JsonNode expect) {
    return expect != null && expect.has("project") ? expect.get("project") : expect;
  }

  private static boolean mustError(JsonNode expect) {
    return expect.has("defect") || expect.has("exception");
  }

  private static org.hgrpc.core.frame.Frame frameOf(JsonNode step) {
    return step.has("human") ? HumanFrames.parse(Framing.V0006, step.get("human").asText())
        : frameFromHex(step.get("hex").asText());
  }

  // ---------------------------------------------------------------- server

  static void server(JsonNode scenario) {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(Framing.V0006)
        .withDeferOutput(scenario.get("deferoutput").asBoolean())
        .withEncoders(ContentEncodings.of(strings(scenario.get("encoders")))));
    Map<Integer, FrameStream> streams = new HashMap<>();
    Canonical canonical = new Canonical();
    boolean checking = true;
    boolean commandRequested = false;
    int index = 0;
    for (JsonNode step : scenario.get("steps")) {
      String op = step.get("op").asText();
      String where = "step " + index++ + " (" + op + ")";
      JsonNode expect = effective(step.get("expect"));
      switch (op) {
        case "make_output_stream": {
          FrameStream s = reactor.makeOutputStream();
          streams.put(s.streamId(), s);
          if (checking) {
            assertFalse(mustError(expect), where + ": a defect here can only follow an earlier one");
            assertEquals(expect.get("stream").asInt(), s.streamId(), where);
            JsonNode enc = expect.get("encoder");
            assertEquals(enc.isNull() ? null : enc.asText(), s.encoder() == null ? null : s.encoder().name(),
                where + " encoder");
          }
          continue;
        }
        case "state":
          if (checking) {
            assertEquals(expect.get("state").asText(), reactor.state().referenceName(), where);
            assertEquals(literal(expect.get("contentencodings").asText()), reactor.clientContentEncodings(),
                where + " contentencodings");
          }
          continue;
        default:
          break;
      }
      if (!checking && step.has("request") && !reactor.activeRequestIds().contains(step.get("request").asInt())) {
        continue; // after an error the request never became active: answering it would be the caller's mistake
      }
      ServerReactor.State before = reactor.state();
      boolean partlyReceived = before == ServerReactor.State.COMMAND_RECEIVING
          || before == ServerReactor.State.PROTOCOL_SETTINGS_RECEIVING;
      boolean nothingAsked = reactor.defersOutput() && !commandRequested
          && (before == ServerReactor.State.IDLE || before == ServerReactor.State.INITIAL);
      Action action = serverStep(reactor, streams, step);
      commandRequested |= action instanceof Action.RunCommand;
      if (checking && op.equals("eof") && expect.path("action").asText().equals("noop")
          && (partlyReceived || nothingAsked)) {
        // A deliberate departure (issue 11, and H4 of the HTTP vectors): input ending inside a
        // request, or a deferred exchange that never asked for a command, is an error where the
        // reference answers noop.
        Action.Error e = assertInstanceOf(Action.Error.class, action, where);
        assertEquals(Action.ErrorKind.INCOMPLETE, e.kind(), where);
        checking = false;
        continue;
      }
      if (op.equals("respond_objects") && step.has("drain") && !step.get("drain").asBoolean()) {
        if (checking) {
          assertInstanceOf(Action.SendFrames.class, action, where);
        }
        continue; // the frames are kept and never drained
      }
      if (!checking) {
        ReactorVectors.drainIfFrames(action);
        continue;
      }
      if (mustError(expect)) {
        ReactorVectors.drainIfFrames(action);
        assertTrue(action instanceof Action.Error, where + ": the reference raised or misbehaved ("
            + expect.path("defect").asText(expect.path("exception").asText()) + "); expected an error action, got "
            + action);
        checking = false;
        continue;
      }
      assertServerAction(expect, action, canonical, where);
    }
  }

  private static Action serverStep(ServerReactor reactor, Map<Integer, FrameStream> streams, JsonNode step) {
    String op = step.get("op").asText();
    switch (op) {
      case "frame":
      case "frame_hex":
        return reactor.onFrameReceived(frameOf(step));
      case "eof":
        return reactor.onInputEof();
      case "respond_objects":
        return reactor.onCommandResponseReadyObjects(ReactorVectors.stream(streams, step),
            step.get("request").asInt(), objects(step));
      case "server_error":
        return reactor.onServerError(ReactorVectors.stream(streams, step), step.get("request").asInt(),
            step.get("message").asText());
      case "command_error":
        return reactor.onCommandError(ReactorVectors.stream(streams, step), step.get("request").asInt(),
            ByteString.utf8(step.get("message").asText()), ReactorVectors.byteStrings(step.get("args")));
      default:
        throw new AssertionError("unknown server op " + op);
    }
  }

  /** One response object: a literal, or a special response named by its only key. */
  private static Object object(JsonNode o) {
    if (o.isTextual()) {
      return literal(o.asText());
    }
    if (o.has("encoded_hex")) {
      return new EncodedResponse(hex(o.get("encoded_hex").asText()));
    }
    if (o.has("indefinite_hex")) {
      List<ByteString> chunks = new ArrayList<>();
      o.get("indefinite_hex").forEach(c -> chunks.add(hex(c.asText())));
      return IndefiniteByteString.fromChunks(chunks.iterator());
    }
    if (o.has("alternate_location")) {
      Map<?, ?> m = (Map<?, ?>) literal(o.get("alternate_location").asText());
      return new AlternateLocationResponse((ByteString) m.get(b("url")), (ByteString) m.get(b("mediatype")),
          m.get(b("size")) == null ? null : ((Number) m.get(b("size"))).longValue(), (List<?>) m.get(b("fullhashes")),
          (ByteString) m.get(b("fullhashseed")), (List<?>) m.get(b("serverdercerts")),
          (List<?>) m.get(b("servercadercerts")));
    }
    throw new AssertionError("unknown response object " + o);
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }

  private static Iterator<Object> objects(JsonNode step) {
    List<Object> objects = new ArrayList<>();
    step.get("objects").forEach(o -> objects.add(object(o)));
    JsonNode raise = step.get("raise");
    int raiseAfter = step.has("raise_after") ? step.get("raise_after").asInt() : objects.size();
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return raise != null && i >= raiseAfter || i < objects.size();
      }

      @Override
      public Object next() {
        if (raise != null && i >= raiseAfter) {
          if (raise.get("kind").asText().equals("command")) {
            throw new CommandError(ByteString.utf8(raise.get("message").asText()),
                ReactorVectors.byteStrings(raise.get("args")));
          }
          throw new RuntimeException(raise.get("message").asText());
        }
        if (i >= objects.size()) {
          throw new NoSuchElementException();
        }
        return objects.get(i++);
      }
    };
  }

  private static void assertServerAction(JsonNode expect, Action action, Canonical canonical, String where) {
    String kind = expect.get("action").asText();
    switch (kind) {
      case "runcommand": {
        Action.RunCommand rc = assertInstanceOf(Action.RunCommand.class, action, where);
        assertEquals(expect.get("requestid").asInt(), rc.requestId(), where + " requestid");
        assertEquals(ByteString.utf8(expect.get("command").asText()), rc.command(), where + " command");
        assertEquals(literal(expect.get("args").asText()), rc.args(), where + " args");
        JsonNode data = expect.get("data_hex");
        assertEquals(data == null || data.isNull() ? null : hex(data.asText()), rc.data(), where + " data");
        JsonNode redirect = expect.get("redirect");
        assertEquals(redirect == null || redirect.isNull() ? null : literal(redirect.asText()), rc.redirect(),
            where + " redirect");
        break;
      }
      case "wantframe": {
        Action.WantFrame wf = assertInstanceOf(Action.WantFrame.class, action, where);
        assertEquals(expect.get("state").asText(), wf.state().referenceName(), where + " state");
        break;
      }
      case "error": {
        Action.Error e = assertInstanceOf(Action.Error.class, action, where);
        assertEquals(expect.get("message").asText(), e.message(), where + " message");
        break;
      }
      case "noop":
        assertInstanceOf(Action.Noop.class, action, where);
        break;
      case "sendframes": {
        Action.SendFrames sf = assertInstanceOf(Action.SendFrames.class, action, where);
        List<String> actual = drain(sf.frames());
        List<String> canon = canonical.feed(actual);
        if ("decode".equals(expect.path("compare").asText())) {
          assertFrames(strings(expect.get("canonical")), canon);
        } else {
          assertFrames(strings(expect.get("frames")), actual);
        }
        break;
      }
      default:
        fail(where + ": unknown expected action " + kind);
    }
  }

  // ---------------------------------------------------------------- client

  static void client(JsonNode scenario) {
    JsonNode encoders = scenario.get("clientcontentencoders");
    ClientReactor reactor = new ClientReactor(ClientReactor.Options.of(Framing.V0006)
        .withHasMultipleSend(scenario.get("hasmultiplesend").asBoolean())
        .withBufferSends(scenario.get("buffersends").asBoolean())
        .withClientContentEncoders(encoders == null || encoders.isNull() ? null : strings(encoders))
        .withDecoders(ContentEncodings.of(strings(scenario.get("encoders")))));
    Map<Integer, CommandRequest> requests = new LinkedHashMap<>();
    boolean checking = true;
    int index = 0;
    for (JsonNode step : scenario.get("steps")) {
      String op = step.get("op").asText();
      String where = "step " + index++ + " (" + op + ")";
      JsonNode expect = effective(step.get("expect"));
      switch (op) {
        case "call": {
          ByteString name = ByteString.utf8(step.get("command").asText());
          Map<?, ?> args = (Map<?, ?>) literal(step.get("args").asText());
          JsonNode data = step.get("data_hex");
          ByteArrayInputStream dataStream = data == null || data.isNull() ? null
              : new ByteArrayInputStream(hex(data.asText()).toByteArray());
          JsonNode redirectNode = step.get("redirect");
          Map<?, ?> redirect = redirectNode == null || redirectNode.isNull() ? null
              : (Map<?, ?>) literal(redirectNode.asText());
          if (expect.has("exception")) {
            if (checking) {
              IllegalStateException e = assertThrows(IllegalStateException.class,
                  () -> reactor.callCommand(name, args, dataStream, redirect), where);
              assertEquals(expect.get("message").asText(), e.getMessage(), where);
            }
            continue;
          }
          ClientReactor.Call call = reactor.callCommand(name, args, dataStream, redirect);
          requests.put(call.request().requestId(), call.request());
          if (!checking) {
            ReactorVectors.drainIfFrames(call.action());
            continue;
          }
          assertEquals(expect.get("requestid").asInt(), call.request().requestId(), where);
          assertEquals(expect.get("state").asText(), call.request().state().referenceName(), where + " state");
          ReactorVectors.assertClientSendAction(expect, call.action(), where);
          assertEquals(expect.get("state_after").asText(), call.request().state().referenceName(),
              where + " state_after");
          break;
        }
        case "flush": {
          if (expect.has("exception")) {
            if (checking) {
              assertThrows(IllegalStateException.class, reactor::flushCommands, where);
            }
            continue;
          }
          Action action = reactor.flushCommands();
          if (checking) {
            ReactorVectors.assertClientSendAction(expect, action, where);
          } else {
            ReactorVectors.drainIfFrames(action);
          }
          break;
        }
        case "states": {
          if (checking) {
            Map<String, String> expected = new LinkedHashMap<>();
            expect.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            Map<String, String> actual = new LinkedHashMap<>();
            requests.forEach((id, r) -> actual.put(Integer.toString(id), r.state().referenceName()));
            assertEquals(expected, actual, where);
          }
          break;
        }
        case "frame":
        case "frame_hex": {
          Action action = reactor.onFrameReceived(frameOf(step));
          if (!checking) {
            continue;
          }
          if (mustError(expect)) {
            assertTrue(action instanceof Action.Error, where + ": the reference raised or misbehaved ("
                + expect.path("defect").asText(expect.path("exception").asText()) + "); expected an error action, got "
                + action);
            checking = false;
            continue;
          }
          assertClientFrameAction(expect, action, where);
          break;
        }
        default:
          fail("unknown client op " + op);
      }
    }
  }

  private static void assertClientFrameAction(JsonNode expect, Action action, String where) {
    String kind = expect.get("action").asText();
    if (kind.equals("responsedata")) {
      Action.ResponseData rd = assertInstanceOf(Action.ResponseData.class, action, where);
      assertEquals(expect.get("requestid").asInt(), rd.request().requestId(), where);
      assertEquals(hex(expect.get("data_hex").asText()), rd.data(), where + " data");
      assertEquals(expect.get("eos").asBoolean(), rd.eos(), where + " eos");
      assertEquals(expect.get("expectmore").asBoolean(), rd.expectMore(), where + " expectmore");
    } else if (kind.equals("error") && expect.has("requestid")) {
      Action.ErrorResponse er = assertInstanceOf(Action.ErrorResponse.class, action, where);
      assertEquals(expect.get("requestid").asInt(), er.request().requestId(), where);
      assertEquals(literal(expect.get("type").asText()), er.type(), where + " type");
      assertEquals(literal(expect.get("message").asText()), er.message(), where + " message");
    } else if (kind.equals("error")) {
      Action.Error e = assertInstanceOf(Action.Error.class, action, where);
      assertEquals(expect.get("message").asText(), e.message(), where + " message");
    } else if (kind.equals("noop")) {
      assertInstanceOf(Action.Noop.class, action, where);
    } else {
      fail(where + ": unknown expected action " + kind);
    }
  }
}
