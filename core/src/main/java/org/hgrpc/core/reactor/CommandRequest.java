package org.hgrpc.core.reactor;

import java.io.InputStream;
import java.util.Map;
import org.hgrpc.core.ByteString;

/**
 * A command the client reactor was asked to send (the reference's {@code commandrequest}),
 * with its progress: {@code pending}, {@code sending}, {@code sent}, {@code receiving},
 * {@code received} or {@code errored}.
 */
public final class CommandRequest {

  /** Where a request is in its life. */
  public enum State {
    /** Buffered, not yet sent. */
    PENDING("pending"),
    /** Its frames are being made. */
    SENDING("sending"),
    /** All its frames were made. */
    SENT("sent"),
    /** Response frames are arriving. */
    RECEIVING("receiving"),
    /** The last response frame arrived. */
    RECEIVED("received"),
    /** An error response arrived. */
    ERRORED("errored");

    private final String referenceName;

    State(String referenceName) {
      this.referenceName = referenceName;
    }

    /** The reference's name of the state. */
    public String referenceName() {
      return referenceName;
    }
  }

  private final int requestId;
  private final ByteString name;
  private final Map<?, ?> args;
  private final InputStream data;
  private final Map<?, ?> redirect;
  private volatile State state = State.PENDING;

  CommandRequest(int requestId, ByteString name, Map<?, ?> args, InputStream data, Map<?, ?> redirect) {
    this.requestId = requestId;
    this.name = name;
    this.args = args;
    this.data = data;
    this.redirect = redirect;
  }

  /** Framing 0006: the redirect map sent with the request, or {@code null}. */
  public Map<?, ?> redirect() {
    return redirect;
  }

  /** The request id. */
  public int requestId() {
    return requestId;
  }

  /** The command name. */
  public ByteString name() {
    return name;
  }

  /** The arguments. */
  public Map<?, ?> args() {
    return args;
  }

  /** The command data to send, or {@code null}. */
  public InputStream data() {
    return data;
  }

  /** The request's state. */
  public State state() {
    return state;
  }

  void state(State s) {
    state = s;
  }

  @Override
  public String toString() {
    return "CommandRequest[" + requestId + " " + name + " " + state.referenceName() + "]";
  }
}
