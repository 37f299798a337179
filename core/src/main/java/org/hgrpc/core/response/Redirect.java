package org.hgrpc.core.response;

import java.util.Map;
import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A content redirect (framing 0006): the response's only object is
 * {@code {b'status': b'redirect', b'location': {b'url': ..., b'mediatype': ..., ...}}}, telling
 * the client to fetch the output elsewhere. A server may redirect only a client that offered
 * redirect targets in its request.
 *
 * @param url where the content is
 * @param mediaType the media type of the content there
 * @param location the whole {@code location} map (size, hashes, certificates, ...)
 */
public record Redirect(ByteString url, ByteString mediaType, Map<?, ?> location) {
  public Redirect {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(location, "location");
  }
}
