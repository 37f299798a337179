package org.hgrpc.client;

import java.nio.ByteBuffer;

/**
 * Where a {@link BodyPump} delivers a response body. The pump calls {@link #onData}
 * serially; {@link #onEnd} or {@link #onFailure} may come from another thread (a timer), so
 * implementations synchronize, and take only the first terminal call.
 */
interface BodySink {
  /** The pump feeding this sink; set before the first byte arrives. */
  void attach(BodyPump pump);

  /**
   * Body bytes arrived. The buffer is valid only during the call.
   *
   * @return whether the pump may ask for more now; when false the sink later calls
   *     {@link BodyPump#resume()}
   */
  boolean onData(ByteBuffer data);

  /**
   * Whether the pump may ask for more now. The pump asks again right after it paused on
   * {@link #onData}'s false: a consumer that made room in between found nothing paused to
   * resume, and without this second look the body would stall for good.
   */
  boolean hasRoom();

  /** The body ended normally. */
  void onEnd();

  /** The exchange failed; the first call wins, later ones are ignored. */
  void onFailure(HgrpcException failure);
}
