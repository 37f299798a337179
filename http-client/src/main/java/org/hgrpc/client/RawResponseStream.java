package org.hgrpc.client;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link HgrpcClient#callRaw}: the response body, frames undecoded, as an
 * {@link InputStream} read while it arrives, for tools that save or forward frames. Status and
 * content type are checked as for decoded calls; the body waits for the reader in the same
 * {@link PacedQueue} and {@link FlowControl} as decoded values do, so a bounded amount is held
 * and a read that sees no data for the idle timeout fails.
 */
final class RawResponseStream extends InputStream implements BodySink {
  private static final byte[] NOTHING = new byte[0];

  private final Transport transport;
  private final FlowControl flow;
  private final PacedQueue<byte[]> queue;
  private final CompletableFuture<InputStream> started = new CompletableFuture<>();
  private byte[] current = NOTHING;
  private int pos;

  RawResponseStream(Transport transport, URI uri) {
    this.transport = transport;
    this.flow = new FlowControl(transport.settings());
    this.queue = new PacedQueue<>(flow, new PacedQueue.WaitMessages() {
      @Override
      public String closed() {
        return "the response from " + uri + " was closed";
      }

      @Override
      public String interrupted() {
        return "interrupted while reading the response from " + uri;
      }

      @Override
      public String timedOut(long millis) {
        return "no response data from " + uri + " for " + millis + " ms";
      }
    });
  }

  /** Completes with this stream once the headers say the body is frames. */
  CompletableFuture<InputStream> started() {
    return started;
  }

  @Override
  public void attach(BodyPump pump) {
    flow.attach(pump);
    transport.complete(() -> started.complete(this));
  }

  @Override
  public boolean hasRoom() {
    synchronized (flow) {
      return !queue.isClosed() && !queue.isFinished() && flow.hasRoom();
    }
  }

  @Override
  public boolean onData(ByteBuffer data) {
    synchronized (flow) {
      if (queue.isClosed() || queue.isFinished()) {
        return false;
      }
      byte[] b = new byte[data.remaining()];
      data.get(b);
      queue.offer(b, b.length);
      flow.dataArrived();
      return flow.hasRoom();
    }
  }

  @Override
  public void onEnd() {
    synchronized (flow) {
      queue.end();
    }
  }

  @Override
  public void onFailure(HgrpcException e) {
    synchronized (flow) {
      if (queue.isFinished()) {
        return;
      }
      queue.fail(e);
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
    // Only the reader's thread touches current and pos.
    while (pos == current.length) {
      byte[] next = queue.take();
      if (next == null) {
        return -1;
      }
      current = next;
      pos = 0;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public void close() {
    queue.close(null, () -> {
      boolean ended;
      synchronized (flow) {
        ended = queue.isFinished();
      }
      if (!ended) {
        flow.abortPump();
      }
    });
  }
}
