package org.hgrpc.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;

/**
 * The handshake: {@code GET <base>?cmd=capabilities} with {@code X-HgUpgrade-1} asking for
 * the API and {@code X-HgProto-1: cbor}, whose CBOR answer says where the API lives and what it
 * offers ({@link ServerInfo}). A server without the API answers with the legacy media type,
 * which is reported as such.
 */
final class Handshake {
  /** Largest handshake answer accepted. */
  static final int MAX_HANDSHAKE_BYTES = 16 << 20;

  private Handshake() {}

  /** Starts the handshake with the server at {@code baseUri}; {@code result} gets its outcome. */
  static void start(Transport transport, URI baseUri, CompletableFuture<ServerInfo> result) {
    URI uri = baseUri.resolve("?cmd=capabilities");
    HttpRequest request = transport.request(uri)
        .header("Accept", MediaTypes.LEGACY)
        .header("X-HgUpgrade-1", MediaTypes.API_NAME)
        .header("X-HgProto-1", "cbor")
        .GET().build();
    CollectingSink sink = new CollectingSink(MAX_HANDSHAKE_BYTES,
        body -> {
          HgrpcException failure = null;
          ServerInfo info = null;
          try {
            info = parse(transport, uri, body);
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
        failure -> transport.complete(() -> result.completeExceptionally(explain(uri, failure))));
    HttpCall.start(transport, request, MediaTypes.CBOR, sink);
  }

  private static ServerInfo parse(Transport transport, URI uri, CollectingSink.Body body) {
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
    return ServerInfo.parse(values.get(0), MediaTypes.API_NAME);
  }

  /** A legacy answer means the server has no frame-based API: say so rather than "wrong media type". */
  private static HgrpcException explain(URI uri, HgrpcException failure) {
    if (failure instanceof UnexpectedContentTypeException u
        && u.actual().filter(t -> MediaTypes.matches(t, MediaTypes.LEGACY)).isPresent()) {
      return new UnexpectedContentTypeException("handshake: " + uri + " answered with the legacy protocol ("
          + MediaTypes.LEGACY + "): the server does not offer " + MediaTypes.API_NAME, u.expected(), u.actual().get(),
          u.body());
    }
    return failure;
  }
}
