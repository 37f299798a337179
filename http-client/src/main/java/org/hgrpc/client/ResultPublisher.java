package org.hgrpc.client;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link CommandResult#publisher()}: a pull-based publisher. Values are taken (a blocking
 * wait, bounded by the idle timeout) on the executor only while the subscriber has demand, so
 * the subscriber's pace is what paces the reading of the response body.
 */
final class ResultPublisher implements Flow.Publisher<Object> {
  private final Supplier<Object> take;
  private final Runnable close;
  private final Executor executor;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  /**
   * A publisher of the values {@code take} returns until {@link ResultStream#END}.
   *
   * @param close called when the subscriber cancels
   */
  ResultPublisher(Supplier<Object> take, Runnable close, Executor executor) {
    this.take = take;
    this.close = close;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Object> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      subscriber.onError(new IllegalStateException("a command result can be published to one subscriber only"));
      return;
    }
    subscriber.onSubscribe(new Subscription(subscriber));
  }

  private final class Subscription implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super Object> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private boolean terminated;

    Subscription(Flow.Subscriber<? super Object> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        // Reactive Streams rule 3.9.
        cancel();
        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
      drainLater();
    }

    @Override
    public void cancel() {
      cancelled = true;
      close.run();
    }

    private void drainLater() {
      if (wip.getAndIncrement() == 0) {
        try {
          executor.execute(this);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          run(); // the client is closed: taking fails at once, so this does not block
        }
      }
    }

    /** Delivers while there is demand; one runner at a time (the {@code wip} counter). */
    @Override
    public void run() {
      int missed = 1;
      while (true) {
        drain();
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    private void drain() {
      while (!terminated && !cancelled && demand.get() > 0) {
        Object v;
        try {
          v = take.get();
        } catch (RuntimeException e) {
          terminated = true;
          if (!cancelled) {
            subscriber.onError(e);
          }
          return;
        }
        if (v == ResultStream.END) {
          terminated = true;
          subscriber.onComplete();
          return;
        }
        demand.decrementAndGet();
        subscriber.onNext(v);
      }
    }
  }
}
