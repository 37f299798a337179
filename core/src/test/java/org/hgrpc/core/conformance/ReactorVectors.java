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
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.HumanFrames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.core.reactor.CommandRequest;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * Runs reactor scenarios step by step, comparing each action with the reference's. A step
 * where the reference raised on peer input must give an error action here; later steps still
 * run (nothing may throw) but are not compared, as the vectors' README says.
 */
final class ReactorVectors {
  private ReactorVectors() {}

  static Frame frameOf(JsonNode step) {
    return step.has("human") ? HumanFrames.parse(step.get("human").asText()) : frameFromHex(step.get("hex").asText());
  }

  // ---------------------------------------------------------------- server

  static void server(JsonNode scenario) {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(scenario.get("deferoutput").asBoolean()));
    Map<Integer, FrameStream> streams = new HashMap<>();
    boolean checking = true;
    int index = 0;
    for (JsonNode step : scenario.get("steps")) {
      JsonNode expect = step.get("expect");
      String where = "step " + index++ + " (" + step.get("op").asText() + ")";
      String op = step.get("op").asText();
      if (op.equals("make_output_stream")) {
        FrameStream s = reactor.makeOutputStream();
        streams.put(s.streamId(), s);
        if (checking) {
          assertEquals(expect.get("stream").asInt(), s.streamId(), where);
        }
        continue;
      }
      boolean partlyReceived = reactor.state() == ServerReactor.State.COMMAND_RECEIVING;
      Action action = serverStep(reactor, streams, step);
      if (checking && op.equals("eof") && partlyReceived) {
        // A deliberate departure (issue 11): input ending inside a request is an error where the
        // reference answers noop and leaves the request unfinished forever.
        assertEquals("noop", expect.get("action").asText(), where);
        Action.Error e = assertInstanceOf(Action.Error.class, action, where);
        assertEquals(Action.ErrorKind.INCOMPLETE, e.kind(), where);
        checking = false;
        continue;
      }
      if (!checking) {
        drainIfFrames(action);
        continue;
      }
      if (expect.has("exception")) {
        assertTrue(action instanceof Action.Error,
            where + ": reference raised " + expect.get("exception").asText() + " (" + expect.get("message").asText()
                + "); expected an error action, got " + action);
        checking = false;
        continue;
      }
      assertServerAction(expect, action, where);
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
      case "respond_bytes":
        return reactor.onCommandResponseReady(stream(streams, step), step.get("request").asInt(),
            hex(step.get("data_hex").asText()));
      case "respond_objects":
        return reactor.onCommandResponseReadyObjects(stream(streams, step), step.get("request").asInt(),
            objects(step));
      case "server_error":
        return reactor.onServerError(stream(streams, step), step.get("request").asInt(),
            step.get("message").asText());
      case "command_error":
        return reactor.onCommandError(stream(streams, step), step.get("request").asInt(),
            ByteString.utf8(step.get("message").asText()), byteStrings(step.get("args")));
      default:
        throw new AssertionError("unknown server op " + op);
    }
  }

  static FrameStream stream(Map<Integer, FrameStream> streams, JsonNode step) {
    return streams.computeIfAbsent(step.get("stream").asInt(), FrameStream::new);
  }

  static List<ByteString> byteStrings(JsonNode array) {
    List<ByteString> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(ByteString.utf8(n.asText())));
    }
    return out;
  }

  /** The objects a command yields, then the exception it raises, if the step says so. */
  private static Iterator<Object> objects(JsonNode step) {
    List<Object> objects = new ArrayList<>();
    step.get("objects").forEach(o -> objects.add(literal(o.asText())));
    JsonNode raise = step.get("raise");
    int raiseAfter = step.has("raise_after") ? step.get("raise_after").asInt() : objects.size();
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        if (raise != null && i >= raiseAfter) {
          return true;
        }
        return i < objects.size();
      }

      @Override
      public Object next() {
        if (raise != null && i >= raiseAfter) {
          if (raise.get("kind").asText().equals("command")) {
            throw new CommandError(ByteString.utf8(raise.get("message").asText()), byteStrings(raise.get("args")));
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

  private static void assertServerAction(JsonNode expect, Action action, String where) {
    String kind = expect.get("action").asText();
    switch (kind) {
      case "runcommand": {
        Action.RunCommand rc = assertInstanceOf(Action.RunCommand.class, action, where);
        assertEquals(expect.get("requestid").asInt(), rc.requestId(), where + " requestid");
        assertEquals(ByteString.latin1(expect.get("command").asText()), rc.command(), where + " command");
        assertEquals(literal(expect.get("args").asText()), rc.args(), where + " args");
        JsonNode data = expect.get("data_hex");
        assertEquals(data == null || data.isNull() ? null : hex(data.asText()), rc.data(), where + " data");
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
        assertFrames(strings(expect.get("frames")), drain(sf.frames()));
        break;
      }
      default:
        fail(where + ": unknown expected action " + kind);
    }
  }

  static void drainIfFrames(Action action) {
    if (action instanceof Action.SendFrames) {
      drain(((Action.SendFrames) action).frames());
    }
  }

  // ---------------------------------------------------------------- client

  static void client(JsonNode scenario) {
    ClientReactor reactor = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(scenario.get("hasmultiplesend").asBoolean()).withBufferSends(scenario.get("buffersends").asBoolean()));
    Map<Integer, CommandRequest> requests = new LinkedHashMap<>();
    boolean checking = true;
    int index = 0;
    for (JsonNode step : scenario.get("steps")) {
      JsonNode expect = step.get("expect");
      String op = step.get("op").asText();
      String where = "step " + index++ + " (" + op + ")";
      switch (op) {
        case "call": {
          ByteString name = ByteString.latin1(step.get("command").asText());
          Map<?, ?> args = (Map<?, ?>) literal(step.get("args").asText());
          JsonNode data = step.get("data_hex");
          ByteArrayInputStream dataStream = data == null || data.isNull() ? null
              : new ByteArrayInputStream(hex(data.asText()).toByteArray());
          if (expect.has("exception")) {
            if (checking) {
              // Calling a single-send client twice is the caller's mistake: throwing is right.
              IllegalStateException e = assertThrows(IllegalStateException.class,
                  () -> reactor.callCommand(name, args, dataStream), where);
              assertEquals(expect.get("message").asText(), e.getMessage(), where);
            }
            continue;
          }
          ClientReactor.Call call = reactor.callCommand(name, args, dataStream);
          requests.put(call.request().requestId(), call.request());
          if (!checking) {
            drainIfFrames(call.action());
            continue;
          }
          assertEquals(expect.get("requestid").asInt(), call.request().requestId(), where);
          assertEquals(expect.get("state").asText(), call.request().state().referenceName(), where + " state");
          assertClientSendAction(expect, call.action(), where);
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
            assertClientSendAction(expect, action, where);
          } else {
            drainIfFrames(action);
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
        case "frame": {
          Action action = reactor.onFrameReceived(frameOf(step));
          if (!checking) {
            continue;
          }
          if (expect.has("exception")) {
            assertTrue(action instanceof Action.Error, where + ": reference raised " + expect.get("exception").asText()
                + "; expected an error action, got " + action);
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

  static void assertClientSendAction(JsonNode expect, Action action, String where) {
    String kind = expect.get("action").asText();
    if (kind.equals("noop")) {
      assertInstanceOf(Action.Noop.class, action, where);
    } else if (kind.equals("sendframes")) {
      Action.SendFrames sf = assertInstanceOf(Action.SendFrames.class, action, where);
      assertFrames(strings(expect.get("frames")), drain(sf.frames()));
    } else {
      fail(where + ": unexpected action " + kind);
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
      assertEquals(ByteString.latin1(expect.get("type").asText()), er.type(), where + " type");
      assertEquals(literal(expect.get("message").asText()), er.message(), where + " message");
    } else if (kind.equals("error")) {
      Action.Error e = assertInstanceOf(Action.Error.class, action, where);
      assertEquals(expect.get("message").asText(), e.message(), where + " message");
    } else {
      fail(where + ": unknown expected action " + kind);
    }
  }
}
