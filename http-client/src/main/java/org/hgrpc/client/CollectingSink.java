package org.hgrpc.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Collects a small body, up to a bound, and hands it over whole: the text of an error
 * response, the handshake's CBOR. Past the bound it stops reading, so a misbehaving server
 * cannot make us buffer without limit.
 */
final class CollectingSink implements BodySink {

  /** What was collected. */
  record Body(byte[] bytes, boolean truncated) {}

  private final int maxBytes;
  private final Consumer<Body> onBody;
  private final Consumer<HgrpcException> onFailure;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private BodyPump pump;
  private boolean finished;

  /**
   * A sink keeping at most {@code maxBytes}.
   *
   * @param onBody called once with what was collected, when the body ended or the bound was reached
   * @param onFailure called once instead when the body failed before either
   */
  CollectingSink(int maxBytes, Consumer<Body> onBody, Consumer<HgrpcException> onFailure) {
    this.maxBytes = maxBytes;
    this.onBody = onBody;
    this.onFailure = onFailure;
  }

  @Override
  public void attach(BodyPump pump) {
    this.pump = pump;
  }

  @Override
  public synchronized boolean hasRoom() {
    return !finished;
  }

  @Override
  public boolean onData(ByteBuffer data) {
    Body full;
    synchronized (this) {
      if (finished) {
        return false;
      }
      int n = Math.min(data.remaining(), maxBytes - out.size());
      byte[] b = new byte[n];
      data.get(b);
      out.writeBytes(b);
      if (out.size() < maxBytes) {
        return true;
      }
      finished = true;
      full = new Body(out.toByteArray(), true);
    }
    // The body first, then the abort: dropping the stream fails the exchange's future (at once
    // over HTTP/2: "stream cancelled"), and the first outcome the caller hears must be this body.
    onBody.accept(full);
    pump.abort();
    return false;
  }

  @Override
  public void onEnd() {
    Body body;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      body = new Body(out.toByteArray(), false);
    }
    onBody.accept(body);
  }

  @Override
  public void onFailure(HgrpcException failure) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
    }
    onFailure.accept(failure);
  }
}
