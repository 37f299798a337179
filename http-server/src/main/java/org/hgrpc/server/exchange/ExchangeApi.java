package org.hgrpc.server.exchange;

import java.util.Arrays;
import java.util.Optional;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * An API generation of Mercurial's frame-based protocol: its name in URLs and handshakes, the
 * media type of its framing, and the reactor that speaks it. A transport routes a request to
 * one of these and hands it to the exchange; nothing else in the transport depends on which.
 * A server serves them side by side, each at its own URL.
 */
public enum ExchangeApi {
  /** HTTP version 2, experimental, revision 1: framing {@code 0005} (Mercurial 4.6 and 4.7). */
  HTTP_V2_0001(Framing.V0005),
  /**
   * HTTP version 2, experimental, revision 3: framing {@code 0006} (Mercurial 4.8), with
   * content-encoded responses, the data commands and typed argument capabilities.
   */
  HTTP_V2_0003(Framing.V0006);

  private final Framing framing;

  ExchangeApi(Framing framing) {
    this.framing = framing;
  }

  /** The API's name, as in {@code /api/<name>/} and the handshake's {@code X-HgUpgrade-1}. */
  public String apiName() {
    return framing.httpApiName();
  }

  /** The media type of the framing: requests must declare it, responses carry it. */
  public String framingMediaType() {
    return framing.mediaType();
  }

  /** The framing this API carries. */
  public Framing framing() {
    return framing;
  }

  /** The API named {@code name}, if it is one. */
  public static Optional<ExchangeApi> byName(String name) {
    return Arrays.stream(values()).filter(a -> a.apiName().equals(name)).findFirst();
  }

  /**
   * A server reactor for one exchange of this API. Output is deferred: the transports that
   * carry an exchange (HTTP/1.1 here) cannot answer while the request is still arriving.
   * {@code encoders} is the server's preference of content encodings (framing 0006 only).
   */
  ServerReactor newReactor(Limits limits, ContentEncodings encoders) {
    return new ServerReactor(ServerReactor.Options.of(framing).withDeferOutput(true).withLimits(limits)
        .withEncoders(encoders));
  }
}
