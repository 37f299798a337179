package org.hgrpc.core.response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.StreamingCborDecoder;

/**
 * Decodes the response to one command request on the client side, without I/O: fed the
 * payloads the client reactor hands out for that request ({@code ResponseData}) and its error
 * frame ({@code ErrorResponse}), it returns {@link ResponseEvent}s.
 *
 * <p>The payloads of a request's {@code command-response} frames are one CBOR stream
 * ({@code wireprotov2.txt}, "Command Response Data"). Its first value is the overall status
 * map: {@code {b'status': b'ok'}} starts the command's values; {@code b'error'} carries the
 * command's failure ({@code {b'error': {b'message': ..., b'args': [...]}}}); {@code b'redirect'}
 * (framing 0006) a {@code location}, but only for a request that offered redirect targets
 * ({@link #acceptingRedirects}): to any other request, and in framing 0005, it is an unknown
 * status. Anything else there is a malformed response, reported as
 * {@link ResponseEvent.Malformed} with the rule and the value; bad input never throws.
 *
 * <p>A definite value is bounded like command data ({@link Limits#maxCommandDataBytes()}),
 * nesting by {@link Limits#maxCborDepth()}: larger values must come as indefinite-length byte
 * strings, which are handed out chunk by chunk. Not thread-safe: one decoder per request,
 * fed by one thread (or under one lock).
 */
public final class ResponseDecoder {
  private static final ByteString STATUS = ByteString.latin1("status");
  private static final ByteString OK = ByteString.latin1("ok");
  private static final ByteString ERROR = ByteString.latin1("error");
  private static final ByteString REDIRECT = ByteString.latin1("redirect");
  private static final ByteString MESSAGE = ByteString.latin1("message");
  private static final ByteString ARGS = ByteString.latin1("args");
  private static final ByteString LOCATION = ByteString.latin1("location");
  private static final ByteString URL = ByteString.latin1("url");
  private static final ByteString MEDIA_TYPE = ByteString.latin1("mediatype");

  private final StreamingCborDecoder cbor;
  private final boolean redirects;
  private boolean statusSeen;
  private boolean finished;

  /** A decoder, bounded by {@code limits}, of a response whose status is {@code ok} or {@code error}. */
  public ResponseDecoder(Limits limits) {
    this(limits, false);
  }

  /**
   * A decoder, bounded by {@code limits}, of a response to a request that offered redirect
   * targets: its status may also be {@code redirect}.
   */
  public static ResponseDecoder acceptingRedirects(Limits limits) {
    return new ResponseDecoder(limits, true);
  }

  private ResponseDecoder(Limits limits, boolean redirects) {
    this.cbor = new StreamingCborDecoder(new CborDecoder(limits.maxCborDepth(), limits.maxCommandDataBytes()));
    this.redirects = redirects;
  }

  /** Whether the status map arrived (and said {@code ok}, or the response is over). */
  public boolean statusSeen() {
    return statusSeen;
  }

  /** Whether a terminal event was returned; input after it is ignored. */
  public boolean isFinished() {
    return finished;
  }

  /**
   * The payload of one {@code command-response} frame of this request.
   *
   * @param eos whether the frame had the end-of-stream flag: the response is complete
   * @return the events, in order; empty once {@link #isFinished()}
   */
  public List<ResponseEvent> onData(ByteString data, boolean eos) {
    if (finished) {
      return List.of();
    }
    List<ResponseEvent> events = new ArrayList<>(2);
    List<Object> values;
    try {
      values = cbor.feed(data);
    } catch (CborDecodeException e) {
      return finish(events, new ResponseEvent.Malformed("the response is not valid CBOR: " + e.getMessage(), e));
    }
    for (Object v : values) {
      onValue(v, events);
      if (finished) {
        return events;
      }
    }
    if (eos) {
      try {
        cbor.finish();
      } catch (CborDecodeException e) {
        return finish(events, new ResponseEvent.Malformed("the response ends inside a CBOR value", e));
      }
      return finish(events, statusSeen ? new ResponseEvent.End()
          : new ResponseEvent.Malformed("the response ended without a status", null));
    }
    return events;
  }

  /**
   * An {@code error-response} frame answered this request: its decoded {@code type} and
   * {@code message}.
   *
   * @return a {@link ResponseEvent.ServerError}, or nothing once {@link #isFinished()}
   */
  public List<ResponseEvent> onErrorFrame(Object type, Object message) {
    if (finished) {
      return List.of();
    }
    return finish(new ArrayList<>(1), new ResponseEvent.ServerError(ServerFailure.of(type, message)));
  }

  private void onValue(Object value, List<ResponseEvent> events) {
    if (statusSeen) {
      events.add(new ResponseEvent.Value(value));
      return;
    }
    if (!(value instanceof Map) || !((Map<?, ?>) value).containsKey(STATUS)) {
      finish(events, new ResponseEvent.Malformed("the response does not begin with a status map but with "
          + MessageFormatter.describe(value), null));
      return;
    }
    Map<?, ?> overall = (Map<?, ?>) value;
    Object status = overall.get(STATUS);
    if (OK.equals(status)) {
      statusSeen = true;
      events.add(new ResponseEvent.Ok());
    } else if (ERROR.equals(status)) {
      statusSeen = true;
      finish(events, commandError(overall.get(ERROR)));
    } else if (redirects && REDIRECT.equals(status)) {
      statusSeen = true;
      finish(events, redirect(overall.get(LOCATION)));
    } else {
      finish(events, new ResponseEvent.Malformed("unknown response status " + MessageFormatter.describe(status),
          null));
    }
  }

  private static ResponseEvent commandError(Object error) {
    if (!(error instanceof Map) || !(((Map<?, ?>) error).get(MESSAGE) instanceof ByteString)) {
      return new ResponseEvent.Malformed("malformed command error " + MessageFormatter.describe(error), null);
    }
    Map<?, ?> e = (Map<?, ?>) error;
    Object args = e.get(ARGS);
    return new ResponseEvent.Failed(new CommandFailure((ByteString) e.get(MESSAGE),
        args instanceof List ? new ArrayList<Object>((List<?>) args) : List.of(), e));
  }

  /** The spec makes the redirect the response's only object, so it ends the response here. */
  private static ResponseEvent redirect(Object location) {
    if (!(location instanceof Map) || !(((Map<?, ?>) location).get(URL) instanceof ByteString)
        || !(((Map<?, ?>) location).get(MEDIA_TYPE) instanceof ByteString)) {
      return new ResponseEvent.Malformed("malformed redirect location " + MessageFormatter.describe(location)
          + ": it needs byte strings url and mediatype", null);
    }
    Map<?, ?> l = (Map<?, ?>) location;
    return new ResponseEvent.Redirected(new Redirect((ByteString) l.get(URL), (ByteString) l.get(MEDIA_TYPE), l));
  }

  private List<ResponseEvent> finish(List<ResponseEvent> events, ResponseEvent terminal) {
    finished = true;
    events.add(terminal);
    return events;
  }
}
