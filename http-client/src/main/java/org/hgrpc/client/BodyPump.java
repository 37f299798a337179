package org.hgrpc.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Moves a response body from the JDK's HTTP client into a {@link BodySink} as it arrives,
 * with back-pressure and an idle timeout.
 *
 * <p>It asks the HTTP client for one batch of buffers at a time, and for the next only when
 * the sink has room: a consumer that reads slowly makes us stop reading the socket (TCP then
 * slows the server) instead of buffering without bound. While a batch is asked for and has not
 * come, a timer runs: if nothing arrives within the idle timeout the exchange fails with a
 * timeout and the connection is dropped. The JDK's own request timeout covers only the wait
 * for the response headers; this covers the body.
 *
 * <p>Lock order: a sink may call {@link #abort()} and {@link #resume()} while holding its own
 * lock; the pump never calls the sink while holding {@link #lock}.
 */
final class BodyPump implements HttpResponse.BodySubscriber<Void> {
  private final BodySink sink;
  private final Transport transport;
  private final URI uri;
  private final CompletableFuture<Void> body = new CompletableFuture<>();
  private final Object lock = new Object();

  private Flow.Subscription subscription;
  private boolean paused;
  private boolean done;
  private ScheduledFuture<?> idleTask;
  private long idleGeneration;
  private volatile long received;

  BodyPump(BodySink sink, Transport transport, URI uri) {
    this.sink = sink;
    this.transport = transport;
    this.uri = uri;
    sink.attach(this);
  }

  @Override
  public CompletionStage<Void> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    boolean closed;
    synchronized (lock) {
      if (subscription != null || done) {
        s.cancel();
        return;
      }
      subscription = s;
      closed = !armIdle();
    }
    if (closed) {
      endClosed(s);
      return;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    synchronized (lock) {
      if (done) {
        return;
      }
      disarmIdle();
    }
    long n = 0;
    for (ByteBuffer b : buffers) {
      n += b.remaining();
    }
    received += n;
    if (transport.settings().progress() != null) {
      transport.settings().progress().onProgress(uri, received);
    }
    boolean more = true;
    for (ByteBuffer b : buffers) {
      more = sink.onData(b);
    }
    boolean closed = false;
    synchronized (lock) {
      if (done) {
        return;
      }
      if (!more) {
        paused = true;
      } else {
        closed = !armIdle();
      }
    }
    if (!more) {
      // A consumer may have made room after onData answered and before the pause above: its
      // resume() found nothing paused. Look again now that any later resume() sees the pause.
      if (sink.hasRoom()) {
        resume();
      }
      return;
    }
    if (closed) {
      endClosed(subscription);
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable t) {
    if (!finish()) {
      return;
    }
    String detail = t.getMessage() != null ? t.getMessage() : t.toString();
    if (t instanceof HttpTimeoutException) {
      sink.onFailure(new HgrpcTimeoutException("timed out reading the response from " + uri + ": " + detail,
          (HttpTimeoutException) t));
    } else {
      // The headers arrived, so whatever broke (a reset, an early close) cut the response short.
      sink.onFailure(new TruncatedResponseException("the response from " + uri + " was cut after " + received
          + " bytes: " + detail, t));
    }
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!finish()) {
      return;
    }
    sink.onEnd();
    body.complete(null);
  }

  /** The sink has room again: ask for more if it had paused us. Call without holding the pump's lock. */
  void resume() {
    Flow.Subscription s;
    boolean closed;
    synchronized (lock) {
      if (done || !paused || subscription == null) {
        return;
      }
      paused = false;
      closed = !armIdle();
      s = subscription;
    }
    if (closed) {
      endClosed(s);
      return;
    }
    s.request(1);
  }

  /** Drops the connection without telling the sink (it has already decided the outcome). */
  void abort() {
    Flow.Subscription s;
    synchronized (lock) {
      if (done) {
        return;
      }
      done = true;
      disarmIdle();
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    body.complete(null);
  }

  /** Body bytes received so far. */
  long received() {
    return received;
  }

  /** Whether the sink has paused the reading. */
  boolean isPaused() {
    synchronized (lock) {
      return paused && !done;
    }
  }

  private boolean finish() {
    synchronized (lock) {
      if (done) {
        return false;
      }
      done = true;
      disarmIdle();
      return true;
    }
  }

  /**
   * Starts the idle timer; called with {@link #lock} held whenever we ask for data. When the
   * client is closed the timer refuses: then the exchange ends here, as cancelled.
   *
   * @return false if the exchange was ended (call {@link #endClosed()} without the lock)
   */
  private boolean armIdle() {
    long generation = ++idleGeneration;
    try {
      idleTask = transport.timer().schedule(() -> idleTimeout(generation), transport.settings().idleTimeout().toNanos(),
          TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      done = true;
      return false;
    }
  }

  /** Ends an exchange whose client was closed while it ran. */
  private void endClosed(Flow.Subscription s) {
    s.cancel();
    sink.onFailure(new CallCancelledException("the client was closed while receiving from " + uri));
    body.complete(null);
  }

  private void disarmIdle() {
    idleGeneration++;
    if (idleTask != null) {
      idleTask.cancel(false);
      idleTask = null;
    }
  }

  private void idleTimeout(long generation) {
    Flow.Subscription s;
    synchronized (lock) {
      // A stale timer (data came, a new wait began) must not fire.
      if (done || generation != idleGeneration) {
        return;
      }
      done = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    String message = "no response data from " + uri + " for " + transport.settings().idleTimeout().toMillis()
        + " ms (after " + received + " bytes)";
    sink.onFailure(new HgrpcTimeoutException(message, new HttpTimeoutException(message)));
    body.completeExceptionally(new IOException(message));
  }
}
