package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.hgrpc.core.Limits;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ReflectExchange;
import org.hgrpc.server.exchange.RefusalKind;
import org.junit.jupiter.api.Test;

/** Moving a body into an exchange: it stops reading at a decision, drains the rest, and names read failures. */
class HttpBodyTest {

  /** A body that counts what was read from it. */
  private static final class CountingBody extends ByteArrayInputStream {
    CountingBody(byte[] bytes) {
      super(bytes);
    }

    int consumed() {
      return pos;
    }
  }

  @Test
  void aBodyRefusedEarlyIsDrainedAndTheRefusalAnswers() {
    // Not frames from the first bytes (a frame header announcing more than the limit), then a long tail.
    byte[] body = new byte[100_000];
    body[0] = (byte) 0xff;
    body[1] = (byte) 0xff;
    CountingBody in = new CountingBody(body);

    ExchangeOutcome outcome = HttpBody.exchange(new ReflectExchange(Limits.DEFAULTS.withMaxFramePayload(16)), in);

    assertEquals(RefusalKind.LIMIT, assertInstanceOf(ExchangeOutcome.Refusal.class, outcome).kind());
    assertEquals(body.length, in.consumed(), "the rest of the body was read, so the connection is not reset");
  }

  @Test
  void aBodyThatCannotBeReadIsRefusedAsTheFailureSays() {
    InputStream tooLarge = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new BodyTooLargeException(10);
      }
    };
    InputStream tooSlow = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new BodyTooSlowException("request body too slow");
      }
    };

    ExchangeOutcome.Refusal large = assertInstanceOf(ExchangeOutcome.Refusal.class,
        HttpBody.exchange(new ReflectExchange(Limits.DEFAULTS), tooLarge));
    ExchangeOutcome.Refusal slow = assertInstanceOf(ExchangeOutcome.Refusal.class,
        HttpBody.exchange(new ReflectExchange(Limits.DEFAULTS), tooSlow));

    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.LIMIT, "request body exceeds maximum size of 10 bytes\n"),
        large);
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.TIMEOUT, "request body too slow\n"), slow);
  }

  @Test
  void aWholeBodyGoesToTheExchange() {
    ExchangeOutcome outcome = HttpBody.exchange(new ReflectExchange(Limits.DEFAULTS),
        new ByteArrayInputStream(new byte[0]));

    assertInstanceOf(ExchangeOutcome.Reflection.class, outcome);
  }
}
