package org.hgrpc.server;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.function.Supplier;
import org.hgrpc.core.frame.FrameHeader;
import org.hgrpc.server.exchange.Exchange;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;

/**
 * Moves a request body into an {@link Exchange} as it arrives, without tying a thread (or a
 * slot) to a slow peer: a {@link ReadListener} that reads while {@link
 * ServletInputStream#isReady()} and returns when the peer has nothing more for now. The
 * container calls back when more arrives.
 *
 * <ul>
 *   <li>Every byte is counted by a {@link BodyMeter} (size and rate) and, before the exchange
 *       gets it, reserved in the request's {@link BufferBudget.Account}: a frame's header and its
 *       whole declared payload as soon as the header is in, since that is when the frame decoder
 *       makes room for the payload (a peer declaring large frames and trickling them would
 *       otherwise hold far more heap than it sent).
 *   <li>As soon as the exchange decides (a refusal), or the budget or the meter refuses, the
 *       answer goes out; the rest of the body is then read and dropped (bounded by the meter
 *       and the idle timeout), since closing a connection with request bytes unread makes TCP
 *       reset it and the client would lose the answer.
 *   <li>At the end of the body the exchange's outcome is answered: the exchange runs its
 *       commands there, once its admission lets it.
 *   <li>A body that cannot be read (idle timeout, garbled chunks) is answered with {@link
 *       BodyReadFailure}'s refusal if nothing was answered yet.
 * </ul>
 *
 * <p>Containers where the request cannot be asynchronous get the same logic blocking ({@link
 * #readBlocking()}). The container calls a listener's methods one at a time.
 */
final class HttpBody implements ReadListener {
  // Most bodies are one small frame; Jetty reads in pieces of this order anyway.
  private static final int BUFFER_SIZE = 8 * 1024;
  private static final int FRAME_HEADER_SIZE = org.hgrpc.core.frame.FrameConstants.FRAME_HEADER_SIZE;

  /** Where answers go. */
  interface Responder {
    /** Sends an outcome (and gives back whatever the request held to run its commands). */
    void send(ExchangeOutcome outcome) throws IOException;

    /** A bug of ours or of a command, outside the exchange's care: log it and answer 500 if still possible. */
    void internalError(RuntimeException e) throws IOException;
  }

  private final ServletInputStream in;
  private final BodyMeter meter;
  private final Exchange exchange;
  private final BufferBudget.Account account;
  private final Responder responder;
  private final Runnable finished;
  private final int maxFramePayload;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  /** Where the frames are in the body: header bytes seen of the current frame, payload bytes still to come. */
  private int headerSeen;
  private final byte[] header = new byte[FRAME_HEADER_SIZE];
  private long payloadLeft;
  private boolean answered;
  private boolean done;

  /**
   * A body for {@code exchange}.
   *
   * @param exchange the exchange to feed, or null when the request was answered before its body
   *     (the body is then only read and dropped)
   * @param maxFramePayload the largest frame payload the exchange's decoder accepts (larger ones
   *     it refuses from the header, holding nothing)
   * @param finished called once, when nothing more will be read: completes the request
   */
  HttpBody(ServletInputStream in, BodyMeter meter, Exchange exchange, BufferBudget.Account account,
      int maxFramePayload, Responder responder, Runnable finished) {
    this.maxFramePayload = maxFramePayload;
    this.in = in;
    this.meter = meter;
    this.exchange = exchange;
    this.account = account;
    this.responder = responder;
    this.finished = finished;
    this.answered = exchange == null;
  }

  @Override
  public void onDataAvailable() {
    try {
      while (!done && in.isReady()) {
        int n = in.read(buffer);
        if (n < 0) {
          return; // onAllDataRead follows
        }
        consume(n);
      }
    } catch (IOException e) {
      onError(e);
    }
  }

  @Override
  public void onAllDataRead() {
    if (!answered) {
      answer(exchange::endOfInput);
    }
    finish();
  }

  @Override
  public void onError(Throwable t) {
    if (!answered && !done) {
      answer(() -> BodyReadFailure.refusal(t));
    }
    finish();
  }

  /** The same, for a request that cannot be asynchronous: reads until the end of the body, blocking. */
  void readBlocking() {
    try {
      int n;
      while (!done && (n = in.read(buffer)) >= 0) {
        consume(n);
      }
    } catch (IOException e) {
      onError(e);
      return;
    }
    if (!done) {
      onAllDataRead();
    }
  }

  /** Whether the listener has finished: the request is answered and its body read, or given up on. */
  boolean isDone() {
    return done;
  }

  private void consume(int n) throws IOException {
    meter.count(n);
    if (answered) {
      return; // dropped
    }
    Refusal over = account.reserve(framed(n));
    if (over != null) {
      answer(() -> over);
      return;
    }
    exchange.receive(buffer, 0, n);
    if (!exchange.wantsInput()) {
      answer(exchange::endOfInput);
    }
  }

  /**
   * How many bytes to reserve for the next {@code n} of the buffer: the headers among them, and
   * for each header completed, the payload it declares (its bytes are reserved with it).
   */
  private long framed(int n) {
    long reserve = 0;
    int i = 0;
    while (i < n) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, n - i);
        payloadLeft -= skip;
        i += skip;
        continue;
      }
      header[headerSeen++] = buffer[i++];
      reserve++;
      if (headerSeen == FRAME_HEADER_SIZE) {
        headerSeen = 0;
        payloadLeft = FrameHeader.lengthOf(FrameHeader.read(header, 0));
        reserve += Math.min(payloadLeft, maxFramePayload);
      }
    }
    return reserve;
  }

  private void answer(Supplier<ExchangeOutcome> outcome) {
    answered = true;
    try {
      try {
        ExchangeOutcome o = outcome.get();
        if (o instanceof Refusal) {
          account.close(); // nothing of the body is needed to refuse it: free the budget before the peer hears
        }
        responder.send(o);
      } catch (RuntimeException e) {
        responder.internalError(e);
      } finally {
        account.close();
      }
    } catch (IOException e) {
      finish(); // the connection failed: nothing more to answer or read
    }
  }

  private void finish() {
    if (!done) {
      done = true;
      account.close();
      finished.run();
    }
  }
}
