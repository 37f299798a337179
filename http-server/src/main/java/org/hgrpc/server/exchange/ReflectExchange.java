package org.hgrpc.server.exchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * The {@code debugreflect} service: feeds a request's frames to a server reactor (immediate
 * output, as the reference's) and reports each frame and the action it caused, then the action
 * at the end of input, in the reference's format. It runs no command. Only bytes that are not
 * frames are refused, as for any exchange; protocol errors are what it reports.
 *
 * <p>The report grows with the body (about twice its size), so the transport's body limit
 * bounds it.
 */
public final class ReflectExchange implements Exchange {
  private final ServerReactor reactor;
  private final FrameInput input;
  private final ByteArrayOutputStream report = new ByteArrayOutputStream();

  /** A reflection of framing 0005 bounded by {@code limits}. */
  public ReflectExchange(Limits limits) {
    this(limits, ExchangeApi.HTTP_V2_0001);
  }

  /** A reflection of the framing of {@code api}, bounded by {@code limits}. */
  public ReflectExchange(Limits limits, ExchangeApi api) {
    this.reactor = new ServerReactor(ServerReactor.Options.of(api.framing()).withDeferOutput(false).withLimits(limits));
    this.input = new FrameInput(limits, this::onFrame);
  }

  @Override
  public boolean wantsInput() {
    return input.open();
  }

  @Override
  public void receive(byte[] bytes, int offset, int length) {
    input.feed(bytes, offset, length);
  }

  /** The reflection is text and the reactor makes no response streams; closed all the same, should it ever. */
  @Override
  public void close() {
    reactor.close();
  }

  @Override
  public ExchangeOutcome endOfInput() {
    ExchangeOutcome.Refusal refusal = input.end();
    if (refusal != null) {
      return refusal;
    }
    line("received: <no frame>".getBytes(StandardCharsets.US_ASCII));
    Action eofAction = reactor.onInputEof();
    Map<String, Object> eof = meta(eofAction);
    eof.put("action", name(eofAction));
    report.writeBytes(ReflectJson.dumps(eof).getBytes(StandardCharsets.US_ASCII));
    return new ExchangeOutcome.Reflection(ByteString.wrap(report.toByteArray()));
  }

  private void onFrame(Frame frame) {
    report.writeBytes(String.format("received: %d %d %d ", frame.typeId(), frame.flags(), frame.requestId())
        .getBytes(StandardCharsets.US_ASCII));
    line(frame.payload().toByteArray());
    Action action = reactor.onFrameReceived(frame);
    line(ReflectJson.dumps(List.of(name(action), meta(action))).getBytes(StandardCharsets.US_ASCII));
  }

  private void line(byte[] b) {
    report.writeBytes(b);
    report.write('\n');
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
