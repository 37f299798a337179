package org.hgrpc.core.reactor;

import java.util.Map;
import java.util.Objects;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.FrameIterator;

/**
 * What a reactor asks its caller to do next, the Java form of the reference's
 * {@code (action, meta)} tuples. A caller handles them with an {@code instanceof} chain or,
 * on newer Java, a pattern {@code switch}.
 */
public sealed interface Action
    permits Action.RunCommand, Action.SendFrames, Action.WantFrame, Action.Noop, Action.Error,
        Action.ResponseData, Action.ErrorResponse {

  /**
   * {@code runcommand} (server): a whole command request arrived; run it and report its
   * result to the reactor.
   *
   * @param requestId the request's id, to answer with
   * @param command the command name
   * @param args the arguments, keys usually {@link ByteString}
   * @param data the command data, or {@code null} when the request had none
   * @param redirect framing 0006: the client's {@code redirect} map (the redirect targets it
   *     accepts and the hashes it understands), or {@code null}
   */
  record RunCommand(int requestId, ByteString command, Map<Object, Object> args, ByteString data,
      Map<Object, Object> redirect) implements Action {
    /** Requires command and args. */
    public RunCommand {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(args, "args");
    }

    /** A command without redirect. */
    public RunCommand(int requestId, ByteString command, Map<Object, Object> args, ByteString data) {
      this(requestId, command, args, data, null);
    }
  }

  /**
   * {@code sendframes}: send these frames to the peer, in order. The frames are made as they
   * are taken; the reactor assumes all of them are sent.
   *
   * @param frames the frames, lazily made
   */
  record SendFrames(FrameIterator frames) implements Action {}

  /**
   * {@code wantframe} (server): nothing to do until more frames arrive.
   *
   * @param state the server reactor's state
   */
  record WantFrame(ServerReactor.State state) implements Action {}

  /** {@code noop}: nothing to do. */
  record Noop() implements Action {
    /** The one instance. */
    public static final Noop INSTANCE = new Noop();
  }

  /**
   * {@code error}: the peer broke the protocol. The server reactor is then in its errored
   * state and refuses further frames; the client reactor keeps going.
   *
   * @param kind which class of rule was broken
   * @param message a message naming the rule and values, as the reference words it where it has one
   */
  record Error(ErrorKind kind, String message) implements Action {}

  /**
   * {@code responsedata} (client): a command response frame for a request.
   *
   * @param request the request it answers
   * @param expectMore whether the frame had the continuation flag
   * @param eos whether it was the request's last frame
   * @param data the frame's payload
   */
  record ResponseData(CommandRequest request, boolean expectMore, boolean eos, ByteString data) implements Action {}

  /**
   * {@code error} (client) for an error-response frame: the server failed the request.
   *
   * @param request the request that failed
   * @param type the error's {@code type} ({@code b'server'}, {@code b'protocol'}, ...)
   * @param message the error's {@code message}: a list of atoms, {@code {b'msg': ..., b'args': [...]}}
   */
  record ErrorResponse(CommandRequest request, Object type, Object message) implements Action {}

  /** Classes of protocol error, so a transport can pick a response (an HTTP status, say). */
  enum ErrorKind {
    /** Frames in an order or with flags the protocol does not allow. */
    PROTOCOL,
    /** A payload that is not the CBOR the protocol expects. */
    CBOR,
    /** Input beyond a configured {@link org.hgrpc.core.Limits limit}. */
    LIMIT,
    /** A protocol feature neither we nor the reference implement (encoded streams in 0005, or sent by a client). */
    UNSUPPORTED,
    /** Content-encoded data (framing 0006) its decoder refuses: corrupt, too large, or after the end. */
    ENCODING,
    /**
     * Input that ended where the protocol does not allow it to: inside a command request, or
     * (with deferred output) before any command request ({@link ServerReactor#onInputEof()}).
     */
    INCOMPLETE
  }
}
