package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;

/**
 * The handshake: {@code GET <base>?cmd=capabilities} with {@code X-HgUpgrade-N} naming the APIs
 * the client speaks and {@code X-HgProto-1: cbor}, whose CBOR answer says where the APIs live
 * and describes those the server offers too ({@link ServerInfo}). A server without the APIs
 * answers with the legacy media type, which is reported as such.
 *
 * <p>The API names travel as one space-separated value, cut into {@code X-HgUpgrade-1},
 * {@code -2}, ... only when it is too long for one header, as Mercurial's
 * {@code encodevalueinheaders} does: servers join the pieces without a separator before
 * splitting at spaces, so two names must never go in two headers. The order of the names is
 * our preference, but the server describes every API both know and the client chooses.
 */
final class Handshake {
  /** Largest handshake answer accepted. */
  static final int MAX_HANDSHAKE_BYTES = 16 << 20;
  /** Longest {@code X-HgUpgrade-N} header line, as Mercurial's client makes them before it knows the server's limit. */
  static final int HEADER_LIMIT = 1024;

  private Handshake() {}

  /** Starts the handshake with the server at {@code baseUri}; {@code result} gets its outcome. */
  static void start(Transport transport, URI baseUri, List<Framing> acceptable, CompletableFuture<ServerInfo> result) {
    URI uri = baseUri.resolve("?cmd=capabilities");
    HttpRequest.Builder builder = transport.request(uri)
        .header("Accept", MediaTypes.LEGACY)
        .header("X-HgProto-1", "cbor");
    StringJoiner apis = new StringJoiner(" ");
    HgrpcClient.APIS.forEach(f -> apis.add(f.httpApiName()));
    headerSeries("X-HgUpgrade", apis.toString(), HEADER_LIMIT).forEach(builder::header);
    HttpRequest request = builder.GET().build();
    CollectingSink sink = new CollectingSink(MAX_HANDSHAKE_BYTES,
        body -> {
          HgrpcException failure = null;
          ServerInfo info = null;
          try {
            info = parse(transport, uri, body, acceptable);
          } catch (HgrpcException e) {
            failure = e;
          }
          ServerInfo ok = info;
          HgrpcException bad = failure;
          transport.complete(() -> {
            if (bad == null) {
              result.complete(ok);
            } else {
              result.completeExceptionally(bad);
            }
          });
        },
        failure -> transport.complete(() -> result.completeExceptionally(explain(uri, acceptable, failure))));
    HttpCall.start(transport, request, MediaTypes.CBOR, sink);
  }

  /**
   * {@code value} as the headers {@code prefix-1}, {@code prefix-2}, ..., each at most
   * {@code limit} bytes with its name, {@code ": "} and the line end (Mercurial's
   * {@code encodevalueinheaders}).
   */
  static Map<String, String> headerSeries(String prefix, String value, int limit) {
    int room = limit - (prefix + "-000").length() - ": \r\n".length();
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0, n = 1; i < value.length(); i += room, n++) {
      headers.put(prefix + "-" + n, value.substring(i, Math.min(value.length(), i + room)));
    }
    return headers;
  }

  private static ServerInfo parse(Transport transport, URI uri, CollectingSink.Body body, List<Framing> acceptable) {
    if (body.truncated()) {
      throw new ProtocolErrorException("handshake: the answer of " + uri + " is larger than " + MAX_HANDSHAKE_BYTES
          + " bytes");
    }
    List<Object> values;
    try {
      values = CborDecoder.decodeAll(ByteString.wrap(body.bytes()),
          new CborDecoder(transport.settings().limits().maxCborDepth(), MAX_HANDSHAKE_BYTES));
    } catch (CborDecodeException e) {
      throw new ProtocolErrorException("handshake: the answer of " + uri + " is not valid CBOR: " + e.getMessage(), e);
    }
    if (values.size() != 1) {
      throw new ProtocolErrorException("handshake: expected one CBOR value from " + uri + ", got " + values.size());
    }
    return ServerInfo.parse(values.get(0), acceptable);
  }

  /** A legacy answer means the server has no frame-based API: say so rather than "wrong media type". */
  private static HgrpcException explain(URI uri, List<Framing> acceptable, HgrpcException failure) {
    if (failure instanceof UnexpectedContentTypeException u
        && u.actual().filter(t -> MediaTypes.matches(t, MediaTypes.LEGACY)).isPresent()) {
      return new UnexpectedContentTypeException("handshake: " + uri + " answered with the legacy protocol ("
          + MediaTypes.LEGACY + "): the server does not offer " + ServerInfo.names(acceptable), u.expected(), u.actual().get(),
          u.body());
    }
    return failure;
  }
}
