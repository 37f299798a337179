package org.hgrpc.client;

import java.util.Locale;

/**
 * The media types of the bodies that are not frames, the only place the client defines them,
 * and how a {@code Content-Type} header is compared with a media type. The frame media types
 * and the API names are core's {@link org.hgrpc.core.Framing} ({@code mediaType()},
 * {@code httpApiName()}), the one definition the server uses too.
 */
final class MediaTypes {
  private MediaTypes() {}

  /** The handshake's CBOR answer. */
  static final String CBOR = "application/mercurial-cbor";
  /** The legacy protocol's media type, which the handshake asks for as its {@code Accept}. */
  static final String LEGACY = "application/mercurial-0.1";

  /** Whether {@code contentType} (parameters ignored, any case) is {@code expected}. */
  static boolean matches(String contentType, String expected) {
    return contentType != null && essence(contentType).equals(expected);
  }

  /** Whether a body of {@code contentType} is worth showing as text in an error message. */
  static boolean isText(String contentType) {
    return contentType == null || essence(contentType).startsWith("text/");
  }

  private static String essence(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }
}
