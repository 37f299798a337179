package org.hgrpc.client;

import java.util.Locale;

/**
 * The names of the protocol the client speaks, the only place the client defines them: the
 * media types of each kind of body, the API asked for in the handshake, and how a
 * {@code Content-Type} header is compared with a media type.
 */
final class MediaTypes {
  private MediaTypes() {}

  /** The HTTP API of the frame-based protocol, asked for in the handshake and part of every command URL. */
  static final String API_NAME = "exp-http-v2-0001";
  /** Frames, both ways, for commands. */
  static final String FRAMING = "application/mercurial-exp-framing-0005";
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
