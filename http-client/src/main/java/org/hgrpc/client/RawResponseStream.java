package org.hgrpc.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link HgrpcClient#callRaw}: the response body, frames undecoded, as an
 * {@link InputStream} read while it arrives, for tools that save or forward frames. Status and
 * content type are checked as for decoded calls; a bounded amount of body waits for the
 * reader, and a read that sees no data for the idle timeout fails.
 */
final class RawResponseStream extends InputStream implements BodySink {
  private static final long READER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Transport transport;
  private final URI uri;
  private final CompletableFuture<InputStream> started = new CompletableFuture<>();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private BodyPump pump;
  private long buffered;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;
  private boolean closed;
  private HgrpcException failure;
  private long lastProgressNanos = System.nanoTime();

  RawResponseStream(Transport transport, URI uri) {
    this.transport = transport;
    this.uri = uri;
  }

  /** Completes with this stream once the headers say the body is frames. */
  CompletableFuture<InputStream> started() {
    return started;
  }

  @Override
  public void attach(BodyPump pump) {
    synchronized (this) {
      this.pump = pump;
    }
    transport.complete(() -> started.complete(this));
  }

  @Override
  public synchronized boolean onData(ByteBuffer data) {
    if (closed || failure != null) {
      return false;
    }
    byte[] b = new byte[data.remaining()];
    data.get(b);
    chunks.add(b);
    buffered += b.length;
    lastProgressNanos = System.nanoTime();
    notifyAll();
    return buffered < transport.bufferBytes();
  }

  @Override
  public synchronized void onEnd() {
    ended = true;
    notifyAll();
  }

  @Override
  public void onFailure(HgrpcException e) {
    synchronized (this) {
      if (ended || failure != null) {
        return;
      }
      failure = e;
      notifyAll();
    }
    transport.complete(() -> started.completeExceptionally(e));
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    boolean resume = false;
    int n;
    synchronized (this) {
      long waitStart = System.nanoTime();
      long idle = transport.idleTimeout().toNanos() + READER_GRACE_NANOS;
      while (pos == current.length) {
        if (closed) {
          throw new CallCancelledException("the response from " + uri + " was closed");
        }
        if (!chunks.isEmpty()) {
          current = chunks.remove();
          pos = 0;
          buffered -= current.length;
          resume = buffered <= transport.bufferBytes() / 2;
          continue;
        }
        if (failure != null) {
          throw failure;
        }
        if (ended) {
          return -1;
        }
        long left = Math.max(waitStart, lastProgressNanos) + idle - System.nanoTime();
        if (left <= 0) {
          String message = "no response data from " + uri + " for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms";
          throw new HgrpcTimeoutException(message, new HttpTimeoutException(message));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CallCancelledException("interrupted while reading the response from " + uri);
        }
      }
      n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
    }
    if (resume) {
      BodyPump p;
      synchronized (this) {
        p = pump;
      }
      if (p != null) {
        p.resume();
      }
    }
    return n;
  }

  @Override
  public void close() {
    BodyPump p;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      chunks.clear();
      notifyAll();
      p = ended ? null : pump;
    }
    if (p != null) {
      p.abort();
    }
  }
}
