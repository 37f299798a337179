package org.hgrpc.server.exchange;

import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_EXPECT_DATA;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES;
import static org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_NEW;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.spi.Command;

/**
 * Refuses command data for a command that takes none ({@link Command#takesData()}), as soon as
 * the command request announcing it (flag {@code expect data}) is complete: before a byte of
 * the data is buffered. The reactor would otherwise collect all of it (up to {@code
 * hgrpc.max-command-data-bytes}) only for the command to ignore it.
 *
 * <p>It looks only at command requests that announce data, and only decides when it can name
 * the command: anything it cannot make sense of (bad CBOR, no name, an unknown command) is left
 * to the reactor and the exchange, whose rules and messages apply as before.
 */
final class CommandDataCheck {
  private static final ByteString KEY_NAME = ByteString.latin1("name");

  private final CommandRegistry registry;
  private final Limits limits;
  /** The payload so far of each request announcing data whose command request frames are not all in. */
  private final Map<Integer, ByteString> partial = new HashMap<>();

  CommandDataCheck(CommandRegistry registry, Limits limits) {
    this.registry = registry;
    this.limits = limits;
  }

  /** Looks at a frame before the reactor does: a refusal if it completes a data-announcing request of a command that takes none, else null. */
  ExchangeOutcome.Refusal onFrame(Frame frame) {
    if (frame.typeId() != FrameType.COMMAND_REQUEST.id() || (frame.flags() & FLAG_COMMAND_REQUEST_EXPECT_DATA) == 0) {
      return null;
    }
    ByteString payload;
    if ((frame.flags() & FLAG_COMMAND_REQUEST_NEW) != 0) {
      payload = frame.payload();
    } else {
      ByteString before = partial.remove(frame.requestId());
      if (before == null) {
        return null; // a continuation of nothing: the reactor's error
      }
      payload = before.concat(frame.payload());
    }
    if (payload.size() > limits.maxArgumentBytes()) {
      return null; // the reactor refuses it as too large
    }
    if ((frame.flags() & FLAG_COMMAND_REQUEST_MORE_FRAMES) != 0) {
      partial.put(frame.requestId(), payload);
      return null;
    }
    Optional<Command> command = commandName(payload).flatMap(registry::get);
    if (command.isPresent() && !command.get().takesData()) {
      return new ExchangeOutcome.Refusal(RefusalKind.BAD_REQUEST, "command " + command.get().name().utf8()
          + " takes no command data; the request announces some (expect data flag on request "
          + frame.requestId() + ")\n");
    }
    return null;
  }

  /** The {@code name} of a command request's CBOR map, if it is one. */
  private Optional<ByteString> commandName(ByteString payload) {
    List<Object> values;
    try {
      values = CborDecoder.decodeAll(payload, new CborDecoder(limits.maxCborDepth(), limits.maxArgumentBytes()));
    } catch (CborDecodeException e) {
      return Optional.empty();
    }
    if (values.isEmpty() || !(values.get(0) instanceof Map)) {
      return Optional.empty();
    }
    Object name = ((Map<?, ?>) values.get(0)).get(KEY_NAME);
    return name instanceof ByteString ? Optional.of((ByteString) name) : Optional.empty();
  }
}
