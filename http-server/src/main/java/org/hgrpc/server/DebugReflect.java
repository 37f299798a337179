package org.hgrpc.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameReader;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * The {@code debugreflect} endpoint: feeds the request's frames to a server reactor and
 * answers with a log of each frame and the action it caused, in the reference's format. It
 * runs no command. Off unless {@code experimental.web.api.debugreflect} is set, because
 * reflection endpoints tend to disclose more than intended.
 */
final class DebugReflect {
  private DebugReflect() {}

  static void handle(InputStream body, Limits limits, HttpServletResponse resp) throws IOException {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(false).withLimits(limits));
    FrameReader reader = new FrameReader(body, limits);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      Frame frame;
      try {
        frame = reader.readFrame();
      } catch (ProtocolException e) {
        PlainResponses.text(resp, 400, "malformed request body: " + e.getMessage() + "\n");
        return;
      } catch (IOException e) {
        BodyReadFailure.answer(e, resp);
        return;
      }
      if (frame == null) {
        line(out, "received: <no frame>".getBytes(StandardCharsets.US_ASCII));
        break;
      }
      out.writeBytes(String.format("received: %d %d %d ", frame.typeId(), frame.flags(), frame.requestId())
          .getBytes(StandardCharsets.US_ASCII));
      line(out, frame.payload().toByteArray());
      Action action = reactor.onFrameReceived(frame);
      line(out, ReflectJson.dumps(List.of(name(action), meta(action))).getBytes(StandardCharsets.US_ASCII));
    }
    Action eofAction = reactor.onInputEof();
    Map<String, Object> eof = meta(eofAction);
    eof.put("action", name(eofAction));
    out.writeBytes(ReflectJson.dumps(eof).getBytes(StandardCharsets.US_ASCII));
    PlainResponses.send(resp, 200, PlainResponses.TEXT, out.toByteArray());
  }

  private static void line(ByteArrayOutputStream out, byte[] b) {
    out.writeBytes(b);
    out.write('\n');
  }

  private static String name(Action a) {
    if (a instanceof Action.RunCommand) {
      return "runcommand";
    } else if (a instanceof Action.WantFrame) {
      return "wantframe";
    } else if (a instanceof Action.Error) {
      return "error";
    } else if (a instanceof Action.SendFrames) {
      return "sendframes";
    }
    return "noop";
  }

  private static Map<String, Object> meta(Action a) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (a instanceof Action.RunCommand) {
      Action.RunCommand rc = (Action.RunCommand) a;
      m.put("args", rc.args());
      m.put("command", rc.command());
      m.put("data", rc.data());
      m.put("requestid", rc.requestId());
    } else if (a instanceof Action.WantFrame) {
      m.put("state", ((Action.WantFrame) a).state().referenceName());
    } else if (a instanceof Action.Error) {
      m.put("message", ((Action.Error) a).message());
    }
    return m;
  }
}
