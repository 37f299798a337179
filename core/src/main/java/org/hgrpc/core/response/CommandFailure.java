package org.hgrpc.core.response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A command ran and reported a failure: its response began with
 * {@code {b'status': b'error', b'error': {b'message': format, b'args': [...]}}} (the server
 * side's {@code CommandError}).
 *
 * @param format the message as sent, with {@code %s} placeholders
 * @param args the placeholder values as sent (usually byte strings, possibly null); empty when
 *     none were sent
 * @param raw the whole {@code error} map as decoded, for callers that want more than the message
 */
public record CommandFailure(ByteString format, List<Object> args, Map<?, ?> raw) {
  public CommandFailure {
    Objects.requireNonNull(format, "format");
    // Not List.copyOf: a peer may send null (CBOR null) among the arguments.
    args = Collections.unmodifiableList(new ArrayList<>(args));
    Objects.requireNonNull(raw, "raw");
  }

  /** The message as a user reads it: the format with its placeholders filled in. */
  public String formattedMessage() {
    return MessageFormatter.format(format, args);
  }
}
