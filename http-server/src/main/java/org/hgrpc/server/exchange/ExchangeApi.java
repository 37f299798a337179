package org.hgrpc.server.exchange;

import java.util.Arrays;
import java.util.Optional;
import org.hgrpc.core.Limits;
import org.hgrpc.core.reactor.ServerReactor;

/**
 * An API generation of Mercurial's frame-based protocol: its name in URLs and handshakes, the
 * media type of its framing, and the reactor that speaks it. A transport routes a request to
 * one of these and hands it to the exchange; nothing else in the transport depends on which.
 */
public enum ExchangeApi {
  /** HTTP version 2, experimental, revision 1: framing {@code 0005} (Mercurial 4.6 and 4.7). */
  HTTP_V2_0001("exp-http-v2-0001", "application/mercurial-exp-framing-0005");

  private final String apiName;
  private final String framingMediaType;

  ExchangeApi(String apiName, String framingMediaType) {
    this.apiName = apiName;
    this.framingMediaType = framingMediaType;
  }

  /** The API's name, as in {@code /api/<name>/} and the handshake's {@code X-HgUpgrade-1}. */
  public String apiName() {
    return apiName;
  }

  /** The media type of the framing: requests must declare it, responses carry it. */
  public String framingMediaType() {
    return framingMediaType;
  }

  /** The API named {@code name}, if it is one. */
  public static Optional<ExchangeApi> byName(String name) {
    return Arrays.stream(values()).filter(a -> a.apiName.equals(name)).findFirst();
  }

  /**
   * A server reactor for one exchange of this API. Output is deferred: the transports that
   * carry an exchange (HTTP/1.1 here) cannot answer while the request is still arriving.
   */
  ServerReactor newReactor(Limits limits) {
    return new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true).withLimits(limits));
  }
}
