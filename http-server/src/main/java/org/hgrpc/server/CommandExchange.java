package org.hgrpc.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.Permission;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.core.reactor.ServerReactor;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;

/**
 * One POST of frames to {@code <api>/<ro|rw>/<command>} or {@code .../multirequest}: the
 * reference's {@code _processhttpv2request} and {@code _httpv2runcommand}, with its defects
 * fixed (a truncated or empty body gets a 400, a push command is refused on an {@code ro} URL).
 *
 * <p>The body is read incrementally into a frame decoder and a deferred-output server reactor;
 * commands start as their requests complete, and their frames are written after the body has
 * ended (HTTP/1.1 is half-duplex here), pulled from the commands as they are sent.
 */
final class CommandExchange {
  static final String FRAMING_TYPE = CapabilitiesCommand.FRAMING_MEDIA_TYPE;
  private static final ByteString MULTIREQUEST = ByteString.latin1("multirequest");

  /** A response decided before the end of the body; the rest of the body is not read. */
  private record Early(int status, String body) {}

  private final CommandRegistry registry;
  private final Limits limits;
  private final boolean readWrite;
  private final ByteString urlCommand;
  private final String remoteUser;
  private final boolean secure;
  private final ServerReactor reactor;
  private final FrameStream out;
  private boolean seenCommand;
  private boolean anyFrame;
  private Early early;

  CommandExchange(CommandRegistry registry, Limits limits, boolean readWrite, ByteString urlCommand,
      String remoteUser, boolean secure) {
    this.registry = registry;
    this.limits = limits;
    this.readWrite = readWrite;
    this.urlCommand = urlCommand;
    this.remoteUser = remoteUser;
    this.secure = secure;
    this.reactor = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true).withLimits(limits));
    this.out = reactor.makeOutputStream();
  }

  void run(InputStream body, HttpServletResponse resp) throws IOException {
    FrameDecoder decoder = new FrameDecoder(limits);
    byte[] buffer = new byte[8 * 1024]; // most bodies are one small frame; Jetty reads in pieces of this order anyway
    try {
      int n;
      while (early == null && (n = body.read(buffer)) != -1) {
        decoder.feed(buffer, 0, n, this::onFrame);
      }
      if (early == null) {
        decoder.finish();
      }
    } catch (ProtocolException e) {
      // A frame before the bad bytes may already have decided the answer: the first error wins.
      if (early == null) {
        int status = e.kind() == ProtocolException.Kind.FRAME_TOO_LARGE ? 413 : 400;
        drain(body);
        PlainResponses.text(resp, status, "malformed request body: " + e.getMessage() + "\n");
        return;
      }
    } catch (IOException e) {
      BodyReadFailure.answer(e, resp);
      return;
    }
    if (early != null) {
      drain(body);
      PlainResponses.text(resp, early.status(), early.body());
      return;
    }
    if (!anyFrame) {
      PlainResponses.text(resp, 400, "request body is empty: expected command request frames\n");
      return;
    }
    if (reactor.state() == ServerReactor.State.COMMAND_RECEIVING) {
      PlainResponses.text(resp, 400, "request body ended before the command request was complete\n");
      return;
    }
    Action eof = reactor.onInputEof();
    if (!(eof instanceof Action.SendFrames)) {
      PlainResponses.text(resp, 400, "request body held no complete command request\n");
      return;
    }
    resp.setStatus(200);
    resp.setContentType(FRAMING_TYPE);
    writeFrames(((Action.SendFrames) eof).frames(), resp.getOutputStream());
  }

  /**
   * Reads what is left of a body we answer early. Closing a connection with unread request
   * bytes makes TCP reset it, and the client loses our answer; the body's own limits (size,
   * rate, idle time) bound how much this reads.
   */
  private static void drain(InputStream body) {
    byte[] skip = new byte[8192];
    try {
      while (body.read(skip) != -1) {
        // discard
      }
    } catch (IOException e) {
      // The answer goes out anyway; the limit or failure is the client's problem now.
    }
  }

  private static void writeFrames(FrameIterator frames, OutputStream os) throws IOException {
    byte[] header = new byte[8];
    while (frames.hasNext()) {
      Frame f = frames.next();
      f.header().writeTo(header, 0);
      os.write(header);
      f.payload().writeTo(os);
    }
  }

  private void onFrame(Frame frame) {
    if (early != null) {
      return;
    }
    anyFrame = true;
    Action action = reactor.onFrameReceived(frame);
    if (action instanceof Action.RunCommand) {
      runCommand((Action.RunCommand) action);
    } else if (action instanceof Action.Error) {
      Action.Error e = (Action.Error) action;
      // The reference answers protocol errors with 200 and the message (the vectors keep us to it);
      // where it raised instead (undecodable CBOR) we answer 400, and a broken limit is a 413.
      int status = e.kind() == Action.ErrorKind.LIMIT ? 413 : e.kind() == Action.ErrorKind.CBOR ? 400 : 200;
      early = new Early(status, e.message() + "\n");
    }
  }

  private void runCommand(Action.RunCommand rc) {
    Optional<Command> command = registry.get(rc.command());
    if (urlCommand.equals(MULTIREQUEST)) {
      if (command.isEmpty()) {
        early = new Early(200, "wire protocol command not available: " + rc.command().utf8());
        return;
      }
    } else {
      if (seenCommand) {
        early = new Early(200, "multiple commands cannot be issued to this URL");
        return;
      }
      if (!urlCommand.equals(rc.command())) {
        early = new Early(200, "command in frame must match command in URL");
        return;
      }
    }
    Command cmd = command.orElseThrow();
    if (!readWrite && cmd.permission() == Permission.PUSH) {
      // The reference checks this on multirequest only; a single-command ro URL must not escalate either.
      early = new Early(403, "insufficient permissions to execute command: " + rc.command().utf8());
      return;
    }
    seenCommand = true;
    dispatch(cmd, rc);
  }

  private void dispatch(Command cmd, Action.RunCommand rc) {
    Action result;
    try {
      Map<ByteString, Object> args = validate(cmd, rc.args());
      CommandResponse response = cmd.execute(new CommandInvocation(rc.requestId(), args, rc.data(), remoteUser,
          secure));
      if (response instanceof CommandResponse.Bytes) {
        result = reactor.onCommandResponseReady(out, rc.requestId(), ((CommandResponse.Bytes) response).data());
      } else {
        result = reactor.onCommandResponseReadyObjects(out, rc.requestId(),
            ((CommandResponse.Objects) response).objects());
      }
    } catch (CommandError e) {
      result = reactor.onCommandError(out, rc.requestId(), e.format(), e.args());
    } catch (Exception e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      result = reactor.onServerError(out, rc.requestId(), "exception when invoking command: " + message);
    }
    if (!(result instanceof Action.Noop)) {
      throw new IllegalStateException("a deferred-output reactor answered " + result);
    }
  }

  /** Checks arguments against the command's specs: no unknown ones, every required one. */
  static Map<ByteString, Object> validate(Command cmd, Map<Object, Object> given) {
    Map<ByteString, ArgumentSpec> specs = new LinkedHashMap<>();
    cmd.arguments().forEach(a -> specs.put(a.name(), a));
    TreeSet<ByteString> unknown = new TreeSet<>();
    Map<ByteString, Object> args = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : given.entrySet()) {
      if (e.getKey() instanceof ByteString && specs.containsKey(e.getKey())) {
        args.put((ByteString) e.getKey(), e.getValue());
      } else {
        unknown.add(e.getKey() instanceof ByteString ? (ByteString) e.getKey()
            : ByteString.utf8(String.valueOf(e.getKey())));
      }
    }
    if (!unknown.isEmpty()) {
      throw new CommandError(ByteString.latin1("unsupported argument to command: %s"), List.of(join(unknown)));
    }
    List<ByteString> missing = new ArrayList<>();
    for (ArgumentSpec a : specs.values()) {
      if (a.required() && !args.containsKey(a.name())) {
        missing.add(a.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new CommandError(ByteString.latin1("missing required arguments: %s"),
          List.of(join(new TreeSet<>(missing))));
    }
    return args;
  }

  private static ByteString join(Iterable<ByteString> names) {
    ByteString sep = ByteString.latin1(", ");
    ByteString all = ByteString.EMPTY;
    for (ByteString n : names) {
      all = all.isEmpty() ? n : all.concat(sep).concat(n);
    }
    return all;
  }
}
