package org.hgrpc.server.exchange;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.core.reactor.ServerReactor;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/**
 * One request of commands: the reference's {@code _processhttpv2request} and
 * {@code _httpv2runcommand} without HTTP, with their defects fixed (input that is cut short or
 * empty is refused; a {@code push} command is refused on a read-only request, not only in a
 * {@code multirequest}; a client naming no encoding the server knows gets identity; bodies
 * without a complete command are refused, not answered with a crash).
 *
 * <p>The rules, in the order they apply:
 *
 * <ol>
 *   <li>at construction, a request naming one command (not {@code multirequest}) that the
 *       registry lacks is refused {@link RefusalKind#NOT_FOUND} before any byte is read;
 *   <li>bytes are cut into frames and fed to a deferred-output {@link ServerReactor}; bytes
 *       that are not frames, and any error the reactor reports, decide a refusal
 *       ({@link RefusalKind#LIMIT} for a broken limit, {@link RefusalKind#BAD_REQUEST} for
 *       undecodable CBOR, else {@link RefusalKind#PROTOCOL} with the reactor's message);
 *   <li>each whole command request is checked: in a {@code multirequest} the command must
 *       exist ({@code wire protocol command not available}); otherwise it must be the only one
 *       and be the command the request names; a {@code push} command needs a read-write
 *       request ({@link RefusalKind#FORBIDDEN_PERMISSION});
 *   <li>the command runs with its arguments validated against its specs (a bad argument is
 *       the command's error response, not a refusal); its {@link CommandResponse} is handed to
 *       the reactor, which makes the frames only when they are taken;
 *   <li>at the end of input the reactor's own rules apply (input cut inside a request, no
 *       command at all: {@link RefusalKind#BAD_REQUEST}); otherwise the outcome is the frames
 *       of every command, in order.
 * </ol>
 *
 * <p>Two guards for the server's memory and slots: a command request that announces command
 * data for a command that takes none ({@link org.hgrpc.server.spi.Command#takesData()}) is
 * refused {@link RefusalKind#BAD_REQUEST} as soon as it is complete, before any data is
 * buffered; and with an {@link Admission}, step 4 waits for the end of input, where the
 * admission decides whether the commands run now or the request is refused.
 *
 * <p>The first refusal decided wins: a frame the reactor refuses before bytes that are not
 * frames gets the reactor's answer. Nothing a peer sends makes this throw; a command's own
 * exception becomes a server error frame. Not thread-safe.
 */
public final class ServerExchange implements Exchange {
  private final CommandRegistry registry;
  private final ExchangeRequest request;
  private final ServerReactor reactor;
  private FrameStream out;
  private final FrameInput input;
  private final CommandDataCheck dataCheck;
  private final Admission admission;
  /** With an admission: the commands to run once the body is complete and admitted. */
  private final java.util.List<Runnable> admitted = new java.util.ArrayList<>();
  private Permission needed = Permission.PULL;
  private boolean seenCommand;

  /**
   * An exchange of {@code request} served by {@code registry}.
   *
   * @param limits the bounds on what the peer may make the server hold
   */
  public ServerExchange(CommandRegistry registry, Limits limits, ExchangeRequest request) {
    this(registry, limits, ContentEncodings.DEFAULT, request, null);
  }

  /**
   * An exchange of {@code request} served by {@code registry}, whose responses (framing 0006)
   * use the first of {@code encoders} that the client lists, identity when none is; each
   * command runs as soon as its request is complete.
   *
   * @param limits the bounds on what the peer may make the server hold
   * @param encoders the server's content encodings, most preferred first
   */
  public ServerExchange(CommandRegistry registry, Limits limits, ContentEncodings encoders, ExchangeRequest request) {
    this(registry, limits, encoders, request, null);
  }

  /**
   * An exchange of {@code request} served by {@code registry} whose commands run only once the
   * body is complete and {@code admission} admits them (see {@link Admission}); a refusal of
   * the admission is the outcome.
   *
   * @param limits the bounds on what the peer may make the server hold
   * @param encoders the server's content encodings (framing 0006), most preferred first
   * @param admission the concurrency budgets, or null to run each command as soon as its
   *     request is complete
   */
  public ServerExchange(CommandRegistry registry, Limits limits, ContentEncodings encoders, ExchangeRequest request,
      Admission admission) {
    this.admission = admission;
    this.dataCheck = new CommandDataCheck(registry, limits);
    this.registry = Objects.requireNonNull(registry, "registry");
    this.request = Objects.requireNonNull(request, "request");
    this.reactor = request.api().newReactor(limits, Objects.requireNonNull(encoders, "encoders"));
    this.input = new FrameInput(limits, this::onFrame);
    if (!request.isMultirequest() && registry.get(request.api(), request.command()).isEmpty()) {
      input.refuse(new ExchangeOutcome.Refusal(RefusalKind.NOT_FOUND,
          "unknown wire protocol command: " + request.command().utf8() + "\n"));
    }
  }

  @Override
  public void close() {
    reactor.close();
  }

  /** The request this exchange serves. */
  public ExchangeRequest request() {
    return request;
  }

  @Override
  public boolean wantsInput() {
    return input.open();
  }

  @Override
  public void receive(byte[] bytes, int offset, int length) {
    input.feed(bytes, offset, length);
  }

  @Override
  public ExchangeOutcome endOfInput() {
    ExchangeOutcome.Refusal refusal = input.end();
    if (refusal != null) {
      return refusal;
    }
    if (!admitted.isEmpty() && reactor.state() != ServerReactor.State.COMMAND_RECEIVING) {
      ExchangeOutcome.Refusal busy = admission.admit(needed);
      if (busy != null) {
        return busy;
      }
      admitted.forEach(Runnable::run);
    }
    Action eof = reactor.onInputEof();
    if (eof instanceof Action.Error) {
      return refusal((Action.Error) eof);
    }
    if (eof instanceof Action.SendFrames) {
      return new ExchangeOutcome.Frames(((Action.SendFrames) eof).frames());
    }
    // Every command requested was answered to the reactor, so a deferred reactor holding nothing
    // means no command was requested: framing 0006's settings frames alone leave it so.
    return new ExchangeOutcome.Refusal(RefusalKind.BAD_REQUEST, "request body held no complete command request\n");
  }

  private void onFrame(Frame frame) {
    ExchangeOutcome.Refusal dataRefused = dataCheck.onFrame(frame);
    if (dataRefused != null) {
      input.refuse(dataRefused);
      return;
    }
    Action action = reactor.onFrameReceived(frame);
    if (action instanceof Action.RunCommand) {
      runCommand((Action.RunCommand) action);
    } else if (action instanceof Action.Error) {
      Action.Error error = (Action.Error) action;
      if (error.kind() == Action.ErrorKind.CBOR && frame.is(request.api().framing(), FrameType.SENDER_PROTOCOL_SETTINGS)) {
        // 4.8 answers bad settings CBOR as any protocol error (a 200 with the message); only a
        // command request's undecodable CBOR made it raise.
        input.refuse(protocol(error.message() + "\n"));
      } else {
        input.refuse(refusal(error));
      }
    }
  }

  /** A reactor error as a refusal; the reference ends these messages with a newline. */
  private static ExchangeOutcome.Refusal refusal(Action.Error error) {
    RefusalKind kind;
    switch (error.kind()) {
      case LIMIT:
        kind = RefusalKind.LIMIT;
        break;
      case CBOR: // the reference raised here; no client can make sense of its own request's CBOR being refused
      case INCOMPLETE:
        kind = RefusalKind.BAD_REQUEST;
        break;
      default:
        kind = RefusalKind.PROTOCOL;
    }
    return new ExchangeOutcome.Refusal(kind, error.message() + "\n");
  }

  private void runCommand(Action.RunCommand run) {
    Optional<Command> command = registry.get(request.api(), run.command());
    if (request.isMultirequest()) {
      if (command.isEmpty()) {
        input.refuse(protocol("wire protocol command not available: " + run.command().utf8()));
        return;
      }
    } else {
      if (seenCommand) {
        input.refuse(protocol("multiple commands cannot be issued to this URL"));
        return;
      }
      if (!request.command().equals(run.command())) {
        input.refuse(protocol("command in frame must match command in URL"));
        return;
      }
    }
    Command cmd = command.orElseThrow();
    if (!request.readWrite() && cmd.permission() == Permission.PUSH) {
      // The reference checks this in a multirequest only; a single-command ro URL must not escalate either.
      input.refuse(new ExchangeOutcome.Refusal(RefusalKind.FORBIDDEN_PERMISSION,
          "insufficient permissions to execute command: " + run.command().utf8()));
      return;
    }
    seenCommand = true;
    if (admission == null) {
      dispatch(cmd, run);
    } else {
      if (cmd.permission() == Permission.PUSH) {
        needed = Permission.PUSH;
      }
      admitted.add(() -> dispatch(cmd, run));
    }
  }

  private static ExchangeOutcome.Refusal protocol(String message) {
    return new ExchangeOutcome.Refusal(RefusalKind.PROTOCOL, message);
  }

  /** Runs the command and tells the reactor what it produced; the frames are made when taken. */
  private void dispatch(Command cmd, Action.RunCommand run) {
    if (out == null) {
      // Made at the first command, not before: framing 0006's settings frames, which choose the
      // stream's encoder, come before it.
      out = reactor.makeOutputStream();
    }
    Action result;
    try {
      Map<ByteString, Object> args = CommandArguments.validate(request.api(), cmd, run.args());
      CommandResponse response = cmd.execute(new CommandInvocation(run.requestId(), args, run.data(),
          request.remoteUser(), request.secure(), request.api()));
      if (response instanceof CommandResponse.Bytes && request.api().framing().hasContentEncoding()) {
        result = reactor.onServerError(out, run.requestId(), "exception when invoking command: "
            + cmd.name().utf8() + " answers raw bytes, which framing 0006 cannot carry");
      } else if (response instanceof CommandResponse.Bytes) {
        result = reactor.onCommandResponseReady(out, run.requestId(), ((CommandResponse.Bytes) response).data());
      } else {
        result = reactor.onCommandResponseReadyObjects(out, run.requestId(),
            ((CommandResponse.Objects) response).objects());
      }
    } catch (CommandError e) {
      result = reactor.onCommandError(out, run.requestId(), e.format(), e.args());
    } catch (Exception e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      result = reactor.onServerError(out, run.requestId(), "exception when invoking command: " + message);
    }
    if (!(result instanceof Action.Noop)) {
      throw new IllegalStateException("a deferred-output reactor answered " + result);
    }
  }
}
