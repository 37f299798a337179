package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.hgrpc.core.Limits;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ReflectExchange;
import org.hgrpc.server.exchange.RefusalKind;
import org.junit.jupiter.api.Test;

/**
 * Moving a body into an exchange as it arrives: it reads only while the input is ready, stops
 * feeding at a decision and drops the rest, reserves every byte in the budget first, and names
 * read failures.
 */
class HttpBodyTest {

  /** A servlet input whose bytes arrive in pieces the test hands it; not ready between pieces. */
  private static final class ArrivingInput extends ServletInputStream {
    private final Deque<byte[]> pieces = new ArrayDeque<>();
    private byte[] current;
    private int pos;
    private boolean ended;
    private IOException failure;
    long consumed;

    void arrive(byte[] piece) {
      pieces.add(piece);
    }

    void end() {
      ended = true;
    }

    @Override
    public boolean isFinished() {
      return ended && pieces.isEmpty() && current == null;
    }

    @Override
    public boolean isReady() {
      return current != null || !pieces.isEmpty() || ended;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw failure;
      }
      if (current == null) {
        current = pieces.poll();
        pos = 0;
      }
      if (current == null) {
        if (ended) {
          return -1;
        }
        throw new IllegalStateException("read while not ready");
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      consumed += n;
      if (pos == current.length) {
        current = null;
      }
      return n;
    }
  }

  private final ArrivingInput in = new ArrivingInput();
  private final BufferBudget budget = new BufferBudget(1 << 20);
  private final List<ExchangeOutcome> sent = new ArrayList<>();
  private int finished;

  private final HttpBody.Responder responder = new HttpBody.Responder() {
    @Override
    public void send(ExchangeOutcome outcome) {
      sent.add(outcome);
    }

    @Override
    public void internalError(RuntimeException e) {
      throw new AssertionError("unexpected", e);
    }
  };

  private HttpBody body(ReflectExchange exchange, BufferBudget.Account account) {
    return new HttpBody(in, new BodyMeter(1 << 20, 30_000, 0, System::nanoTime), exchange, account, 1 << 20, responder,
        () -> finished++);
  }

  @Test
  void aBodyRefusedEarlyIsAnsweredAtOnceThenReadToItsEnd() {
    // Not frames from the first bytes (a frame header announcing more than the limit), then a long tail.
    byte[] head = new byte[100];
    head[0] = (byte) 0xff;
    head[1] = (byte) 0xff;
    HttpBody body = body(new ReflectExchange(Limits.DEFAULTS.withMaxFramePayload(16)), budget.open());

    in.arrive(head);
    body.onDataAvailable();
    assertEquals(1, sent.size(), "answered before the rest of the body arrived");
    assertEquals(RefusalKind.LIMIT, assertInstanceOf(ExchangeOutcome.Refusal.class, sent.get(0)).kind());
    assertEquals(0, budget.held(), "the refused request holds no budget");

    in.arrive(new byte[50_000]);
    in.arrive(new byte[50_000]);
    in.end();
    body.onDataAvailable();
    body.onAllDataRead();
    assertEquals(100_100, in.consumed, "the rest of the body was read, so the connection is not reset");
    assertEquals(1, sent.size(), "answered once");
    assertEquals(1, finished);
  }

  @Test
  void readingStopsWhileThePeerHasNothingAndGoesOnWhenMoreArrives() {
    byte[] request = HostileInputTest.NORMAL_REQUEST;
    HttpBody body = body(new ReflectExchange(Limits.DEFAULTS), budget.open());

    in.arrive(java.util.Arrays.copyOf(request, 5));
    body.onDataAvailable(); // returns: nothing more is ready
    assertTrue(sent.isEmpty());
    assertEquals(5, budget.held(), "the bytes handed to the exchange are reserved");

    in.arrive(java.util.Arrays.copyOfRange(request, 5, request.length));
    in.end();
    body.onDataAvailable();
    body.onAllDataRead();
    assertInstanceOf(ExchangeOutcome.Reflection.class, sent.get(0));
    assertEquals(0, budget.held(), "given back once answered");
    assertEquals(1, finished);
  }

  @Test
  void bytesPastTheBudgetAreRefusedBeforeTheExchangeGetsThem() {
    BufferBudget small = new BufferBudget(800_000);
    BufferBudget.Account other = small.open();
    assertEquals(null, other.reserve(700_000));
    BufferBudget.Account smallOne = small.open();
    assertEquals(null, smallOne.reserve(60_000));
    BufferBudget.Account smallTwo = small.open();
    assertEquals(null, smallTwo.reserve(35_000));

    HttpBody busy = body(new ReflectExchange(Limits.DEFAULTS), small.open());
    in.arrive(new byte[8_000]); // zeros: empty frames, so 8000 bytes to reserve, in one read
    busy.onDataAvailable();
    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class, sent.get(0));
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.BUSY, "server busy: request bodies being received hold 795000"
        + " of 800000 bytes (hgrpc.max-buffered-bytes); try again later\n"), r);
    assertEquals(795_000, small.held());

    other.close();
    smallOne.close();
    smallTwo.close();
    sent.clear();
    HttpBody tooLarge = body(new ReflectExchange(Limits.DEFAULTS), small.open());
    in.arrive(new byte[700_001]);
    tooLarge.onDataAvailable();
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.LIMIT, "request body too large to hold: it needs more than"
        + " 700000 bytes, the most one request may hold of the 800000 the server holds for request bodies"
        + " (hgrpc.max-buffered-bytes)\n"), sent.get(0));
    assertEquals(0, small.held());
  }

  @Test
  void aBodyThatCannotBeReadIsRefusedAsTheFailureSays() {
    HttpBody large = new HttpBody(in, new BodyMeter(10, 30_000, 0, System::nanoTime),
        new ReflectExchange(Limits.DEFAULTS), budget.open(), 1 << 20, responder, () -> finished++);
    in.arrive(new byte[11]);
    large.onDataAvailable();
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.LIMIT, "request body exceeds maximum size of 10 bytes\n"),
        sent.get(0));
    assertEquals(1, finished, "reading stops at the limit");
    assertTrue(large.isDone());

    sent.clear();
    HttpBody stalled = body(new ReflectExchange(Limits.DEFAULTS), budget.open());
    stalled.onError(new IOException(new TimeoutException("idle")));
    assertEquals(new ExchangeOutcome.Refusal(RefusalKind.TIMEOUT,
        "request body timed out: no data arrived within the idle timeout\n"), sent.get(0));
    assertEquals(2, finished);
  }

  @Test
  void aTooSlowBodyIsATimeout() {
    long[] now = {0};
    HttpBody slow = new HttpBody(in, new BodyMeter(1 << 20, 1000, 100, () -> now[0]),
        new ReflectExchange(Limits.DEFAULTS), budget.open(), 1 << 20, responder, () -> finished++);
    for (int i = 0; i < 3 && sent.isEmpty(); i++) {
      now[0] += 600_000_000L;
      in.arrive(new byte[10]);
      slow.onDataAvailable();
    }
    ExchangeOutcome.Refusal r = assertInstanceOf(ExchangeOutcome.Refusal.class, sent.get(0));
    assertEquals(RefusalKind.TIMEOUT, r.kind());
    assertTrue(r.message().startsWith("request body too slow: 20 bytes in the last 1062 ms"), r.message());
    assertEquals(1, finished);
  }

  @Test
  void aBodyAnsweredBeforeItIsReadIsOnlyDropped() {
    HttpBody dropped = new HttpBody(in, new BodyMeter(1 << 20, 30_000, 0, System::nanoTime), null, budget.open(),
        1 << 20, responder, () -> finished++);
    in.arrive(new byte[1000]);
    in.end();
    dropped.onDataAvailable();
    dropped.onAllDataRead();
    assertTrue(sent.isEmpty());
    assertEquals(1000, in.consumed);
    assertEquals(0, budget.held());
    assertFalse(!dropped.isDone());
  }

  @Test
  void aFramesDeclaredPayloadIsReservedWithItsHeader() {
    // The decoder makes room for the whole payload once the header is in: so does the budget.
    HttpBody body = body(new ReflectExchange(Limits.DEFAULTS), budget.open());
    in.arrive(HostileInputTest.header(50_000, 1, 1, org.hgrpc.core.frame.FrameConstants.STREAM_FLAG_BEGIN_STREAM,
        org.hgrpc.core.frame.FrameType.COMMAND_REQUEST, org.hgrpc.core.frame.FrameConstants.FLAG_COMMAND_REQUEST_NEW));
    body.onDataAvailable();
    assertEquals(50_008, budget.held());
    in.arrive(new byte[1000]);
    body.onDataAvailable();
    assertEquals(50_008, budget.held(), "the payload's bytes were reserved already");
  }

  @Test
  void largeRequestsLeaveTheLastEighthOfTheBudgetToSmallOnes() {
    BufferBudget budget = new BufferBudget(800_000);
    BufferBudget.Account large = budget.open();
    assertEquals(null, large.reserve(400_000));
    BufferBudget.Account other = budget.open();
    assertEquals(RefusalKind.BUSY, other.reserve(300_001).kind(), "seven eighths are all that large requests get");
    assertEquals(RefusalKind.LIMIT, budget.open().reserve(700_001).kind(), "more than that alone is too large");
    assertEquals(null, other.reserve(300_000));
    BufferBudget.Account small = budget.open();
    assertEquals(null, small.reserve(BufferBudget.SMALL_REQUEST), "a small request still fits");
    assertEquals(RefusalKind.BUSY, small.reserve(1).kind(), "past its first 64 KiB it is a large one");
    small.close();
    large.close();
    other.close();
    assertEquals(0, budget.held());
  }
}
