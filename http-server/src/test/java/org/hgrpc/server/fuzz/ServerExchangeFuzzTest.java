package org.hgrpc.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Iterator;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.Permission;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeRequest;
import org.hgrpc.server.exchange.ServerExchange;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/**
 * Fuzzes whole HTTP requests through the transport-neutral {@link ServerExchange}: any body,
 * in any pieces, to any of a fixed registry's commands or {@code multirequest}, on a
 * read-only or read-write URL, for every {@link ExchangeApi} the server has.
 *
 * <p>Properties: nothing the peer sends makes the exchange throw; the outcome is
 * {@link ExchangeOutcome.Frames} or {@link ExchangeOutcome.Refusal} (never a reflection,
 * which only {@code debugreflect} makes); once an exchange stops wanting input its outcome is
 * a refusal; every frame of a {@code Frames} outcome can be taken (which runs the commands'
 * lazy output, including output that fails part way) and is on an even stream.
 *
 * <p>Input layout (the seeds under {@code ServerExchangeFuzzTestInputs} follow it): the last
 * bytes choose the API, the URL's command, {@code ro}/{@code rw}, the limits and how the body
 * is split; the body is everything from the start.
 */
@org.junit.jupiter.api.Tag("fuzz")
class ServerExchangeFuzzTest {
  private static final Limits TIGHT = new Limits(64, 4, 4, 64, 128, 2);
  private static final List<String> URL_COMMANDS =
      List.of("multirequest", "echo", "need", "write", "raw", "data", "broken", "refuse", "lazy", "nosuch");

  private static final CommandRegistry REGISTRY = CommandRegistry.builder()
      .add(Command.of("echo", Permission.PULL, List.of(ArgumentSpec.optional("value", b("x"))),
          call -> CommandResponse.object(call.arg("value", ByteString.class, b("nothing")))))
      .add(Command.of("need", Permission.PULL, List.of(ArgumentSpec.required("key", b("k")),
          ArgumentSpec.required("also", b("a"))), call -> CommandResponse.object(call.args())))
      .add(Command.of("write", Permission.PUSH, List.of(), call -> CommandResponse.object(b("written"))))
      .add(Command.of("raw", Permission.PULL, List.of(), call -> CommandResponse.bytes(b("raw bytes"))))
      .add(Command.of("data", Permission.PULL, List.of(), call -> CommandResponse.object(
          b("got " + (call.data() == null ? -1 : call.data().size())))))
      .add(Command.of("broken", Permission.PULL, List.of(), call -> {
        throw new IllegalStateException("disk on fire");
      }))
      .add(Command.of("refuse", Permission.PULL, List.of(), call -> {
        throw new CommandError(b("no such revision: %s"), List.of(b("tip")));
      }))
      .add(Command.of("lazy", Permission.PULL, List.of(), call -> CommandResponse.objects(new Iterator<Object>() {
        private int left = 3;

        @Override
        public boolean hasNext() {
          return left > 0;
        }

        @Override
        public Object next() {
          if (left == 1) {
            throw new CommandError(b("failed after %s"), List.of(b("two")));
          }
          return (long) left--;
        }
      })))
      .build();

  @FuzzTest
  void anyRequestBodyEndsInFramesOrARefusal(FuzzedDataProvider data) {
    ExchangeApi api = ExchangeApi.values()[data.consumeInt(0, ExchangeApi.values().length - 1)];
    String command = URL_COMMANDS.get(data.consumeInt(0, URL_COMMANDS.size() - 1));
    boolean readWrite = data.consumeBoolean();
    String remoteUser = data.consumeBoolean() ? "fuzz" : null;
    Limits limits = data.consumeBoolean() ? TIGHT : Limits.DEFAULTS;
    int pieces = data.consumeInt(1, 8);
    int[] cuts = new int[pieces];
    for (int i = 0; i < pieces; i++) {
      cuts[i] = data.consumeInt(0, 512);
    }
    byte[] body = data.consumeRemainingAsBytes();

    ServerExchange exchange = new ServerExchange(REGISTRY, limits,
        new ExchangeRequest(api, readWrite, b(command), remoteUser, false));
    try {
      run(exchange, body, pieces, cuts);
    } finally {
      exchange.close();
    }
  }

  private static void run(ServerExchange exchange, byte[] body, int pieces, int[] cuts) {
    int from = 0;
    for (int i = 0; from < body.length && exchange.wantsInput(); i++) {
      int length = i < pieces - 1 ? Math.min(cuts[i], body.length - from) : body.length - from;
      exchange.receive(body, from, length);
      from += length;
    }
    boolean stoppedEarly = !exchange.wantsInput();
    ExchangeOutcome outcome = exchange.endOfInput();
    assertNotNull(outcome);
    assertFalse(outcome instanceof ExchangeOutcome.Reflection, "a command exchange reflected");
    if (stoppedEarly) {
      assertInstanceOf(ExchangeOutcome.Refusal.class, outcome, "stopped wanting input but answered " + outcome);
    }
    if (outcome instanceof ExchangeOutcome.Frames frames) {
      frames.frames().forEachRemaining(f -> assertTrue(f.streamId() % 2 == 0, "frame on an odd stream: " + f));
    } else {
      assertFalse(((ExchangeOutcome.Refusal) outcome).message().isEmpty(), "a refusal without a message");
    }
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
