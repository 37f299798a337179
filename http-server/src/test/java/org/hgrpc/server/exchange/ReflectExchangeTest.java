package org.hgrpc.server.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.junit.jupiter.api.Test;

/** The debugreflect report, fed like any exchange. */
class ReflectExchangeTest {

  @Test
  void anEmptyBodyReportsNoFrameAndTheEndOfInput() {
    assertEquals("received: <no frame>\n{\"action\": \"noop\"}", report(new byte[0], 1));
  }

  @Test
  void eachFrameIsReportedWithTheActionItCaused() {
    byte[] body = new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST, FrameConstants.FLAG_COMMAND_REQUEST_NEW,
        ByteString.wrap(new byte[] {(byte) 0xa1, 0x44, 'n', 'a', 'm', 'e', 0x41, 'c'})).encode();

    String expected = "received: 1 1 1 \u00a1Dname" + "Ac\n"
        + "[\"runcommand\", {\"args\": {}, \"command\": \"c\", \"data\": null, \"requestid\": 1}]\n"
        + "received: <no frame>\n{\"action\": \"noop\"}";
    assertEquals(expected, report(body, 1));
    assertEquals(expected, report(body, body.length), "however the body is cut");
  }

  @Test
  void aBodyCutInsideARequestReportsTheEndOfInputError() {
    byte[] body = new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST,
        FrameConstants.FLAG_COMMAND_REQUEST_NEW | FrameConstants.FLAG_COMMAND_REQUEST_MORE_FRAMES,
        ByteString.wrap(new byte[] {(byte) 0xa1})).encode();

    assertTrue(report(body, body.length).endsWith("{\"action\": \"error\", "
        + "\"message\": \"request body ended before the command request was complete\"}"));
  }

  @Test
  void bytesThatAreNotFramesAreRefusedAndStopTheInput() {
    ReflectExchange reflect = new ReflectExchange(Limits.DEFAULTS.withMaxFramePayload(4));
    byte[] big = new FrameStream(1).makeFrame(1, FrameType.COMMAND_REQUEST, FrameConstants.FLAG_COMMAND_REQUEST_NEW,
        ByteString.wrap(new byte[5])).encode();

    reflect.receive(big, 0, big.length);

    assertFalse(reflect.wantsInput());
    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class, reflect.endOfInput());
    assertEquals(RefusalKind.LIMIT, r.kind());
  }

  /** The report for {@code body} given in pieces of {@code piece} bytes. */
  private static String report(byte[] body, int piece) {
    ReflectExchange reflect = new ReflectExchange(Limits.DEFAULTS);
    for (int i = 0; i < body.length; i += piece) {
      reflect.receive(body, i, Math.min(piece, body.length - i));
    }
    ExchangeOutcome.Reflection r = assertInstanceOf(ExchangeOutcome.Reflection.class, reflect.endOfInput());
    return new String(r.text().toByteArray(), StandardCharsets.ISO_8859_1);
  }
}
