package org.hgrpc.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.response.MessageFormatter;

/**
 * What the handshake ({@code GET <base>?cmd=capabilities} asking to upgrade to
 * {@value HgrpcClient#API_NAME}) told us: where the API lives and what it offers. Commands are
 * posted to {@code <base><apiBase><apiName>/<ro|rw>/<command>}.
 *
 * @param apiBase the path of the APIs relative to the base URI, e.g. {@code api/}
 * @param apiName the API we speak, as the server named it
 * @param capabilities the API's capabilities
 * @param v1Capabilities the legacy protocol's capability string, empty if absent
 * @param raw the whole handshake map as decoded
 */
public record ServerInfo(String apiBase, String apiName, Capabilities capabilities, ByteString v1Capabilities,
    Map<?, ?> raw) {

  private static final ByteString APIBASE = Values.key("apibase");
  private static final ByteString APIS = Values.key("apis");
  private static final ByteString V1 = Values.key("v1capabilities");

  /**
   * Reads a handshake answer.
   *
   * @throws ProtocolErrorException if it is malformed or does not offer {@code apiName}
   */
  static ServerInfo parse(Object value, String apiName) {
    Map<?, ?> m = Values.map(value, "handshake");
    Object base = m.get(APIBASE);
    Object apis = m.get(APIS);
    if (base == null || apis == null) {
      throw new ProtocolErrorException("handshake: the server did not upgrade to " + apiName
          + " (no apibase or apis in its answer)");
    }
    Map<?, ?> apiMap = Values.map(apis, "handshake apis");
    Object api = apiMap.get(ByteString.utf8(apiName));
    if (api == null) {
      List<String> offered = new ArrayList<>();
      apiMap.keySet().forEach(k -> offered.add(MessageFormatter.text(k)));
      throw new ProtocolErrorException("handshake: the server does not offer API " + apiName + "; it offers "
          + offered);
    }
    Object v1 = m.get(V1);
    return new ServerInfo(Values.bytes(base, "handshake apibase").utf8(), apiName, Capabilities.parse(api),
        v1 instanceof ByteString ? (ByteString) v1 : ByteString.EMPTY, m);
  }
}
