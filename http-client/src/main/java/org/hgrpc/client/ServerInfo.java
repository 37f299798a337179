package org.hgrpc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.response.MessageFormatter;

/**
 * What the handshake ({@code GET <base>?cmd=capabilities} asking to upgrade to the APIs the
 * client speaks) told us: where the APIs live, which ones the server offers, and the one the
 * client chose with its capabilities. Commands are posted to
 * {@code <base><apiBase><apiName>/<ro|rw>/<command>} in the chosen API's framing.
 *
 * @param apiBase the path of the APIs relative to the base URI, e.g. {@code api/}
 * @param framing the API chosen (its framing; {@code framing.httpApiName()} is its name)
 * @param capabilities the chosen API's capabilities
 * @param offeredApis the names of every API the server described, in its order
 * @param v1Capabilities the legacy protocol's capability string, empty if absent
 * @param raw the whole handshake map as decoded
 */
public record ServerInfo(String apiBase, Framing framing, Capabilities capabilities, List<String> offeredApis,
    ByteString v1Capabilities, Map<?, ?> raw) {

  private static final ByteString APIBASE = Values.key("apibase");
  private static final ByteString APIS = Values.key("apis");
  private static final ByteString V1 = Values.key("v1capabilities");

  /** Copies the list. */
  public ServerInfo {
    offeredApis = List.copyOf(offeredApis);
  }

  /** The name of the API in use, e.g. {@code exp-http-v2-0003}. */
  public String apiName() {
    return framing.httpApiName();
  }

  /**
   * Reads a handshake answer and chooses the first of {@code acceptable} the server offers.
   *
   * @param acceptable the APIs the client may use, most preferred first (one when forced)
   * @throws ProtocolErrorException if the answer is malformed or offers none of {@code acceptable}
   */
  static ServerInfo parse(Object value, List<Framing> acceptable) {
    Map<?, ?> m = Values.map(value, "handshake");
    Object base = m.get(APIBASE);
    Object apis = m.get(APIS);
    if (base == null || apis == null) {
      throw new ProtocolErrorException("handshake: the server did not upgrade to " + names(acceptable)
          + " (no apibase or apis in its answer)");
    }
    Map<?, ?> apiMap = Values.map(apis, "handshake apis");
    List<String> offered = new ArrayList<>();
    apiMap.keySet().forEach(k -> offered.add(MessageFormatter.text(k)));
    for (Framing f : acceptable) {
      Object api = apiMap.get(ByteString.utf8(f.httpApiName()));
      if (api != null) {
        Object v1 = m.get(V1);
        return new ServerInfo(Values.bytes(base, "handshake apibase").utf8(), f, Capabilities.parse(api), offered,
            v1 instanceof ByteString ? (ByteString) v1 : ByteString.EMPTY, m);
      }
    }
    throw new ProtocolErrorException("handshake: the server does not offer API " + names(acceptable)
        + "; it offers " + (offered.isEmpty() ? "none" : offered.toString()));
  }

  /** {@code a}, or {@code a or b}: the API names of {@code framings}. */
  static String names(List<Framing> framings) {
    StringJoiner j = new StringJoiner(" or ");
    framings.forEach(f -> j.add(f.httpApiName()));
    return j.toString();
  }
}
