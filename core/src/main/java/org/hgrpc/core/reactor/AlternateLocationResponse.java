package org.hgrpc.core.reactor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A redirect ({@code wireprototypes.alternatelocationresponse}, framing 0006): the response
 * is to be fetched from another location, e.g. a content delivery network. It must be the
 * first and only object of a command's output; otherwise the client gets a server error.
 *
 * @param url where the response is
 * @param mediaType its media type, e.g. {@code application/mercurial-cbor}
 * @param size its size in bytes, or null
 * @param fullHashes {@code [[algorithm, digest], ...]} of the whole response, or null
 * @param fullHashSeed seed of those hashes, or null
 * @param serverDerCerts the server's certificates (DER), or null
 * @param serverCaDerCerts the certificates of its CAs (DER), or null
 */
public record AlternateLocationResponse(ByteString url, ByteString mediaType, Long size, List<?> fullHashes,
    ByteString fullHashSeed, List<?> serverDerCerts, List<?> serverCaDerCerts) {

  private static final String[] OPTIONAL = {"size", "fullhashes", "fullhashseed", "serverdercerts", "servercadercerts"};

  /** Requires url and media type. */
  public AlternateLocationResponse {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(mediaType, "mediaType");
  }

  /** A redirect with only the required attributes. */
  public AlternateLocationResponse(ByteString url, ByteString mediaType) {
    this(url, mediaType, null, null, null, null, null);
  }

  /** The {@code location} map sent to the client: the attributes that are set, keyed by wire name. */
  public Map<Object, Object> locationMap() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("url"), url);
    m.put(ByteString.latin1("mediatype"), mediaType);
    Object[] values = {size, fullHashes, fullHashSeed, serverDerCerts, serverCaDerCerts};
    for (int i = 0; i < OPTIONAL.length; i++) {
      if (values[i] != null) {
        m.put(ByteString.latin1(OPTIONAL[i]), values[i]);
      }
    }
    return m;
  }
}
