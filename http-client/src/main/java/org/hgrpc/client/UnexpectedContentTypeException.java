package org.hgrpc.client;

import java.net.URI;
import java.util.Optional;

/**
 * The server answered 200 but not with the media type asked for. A Mercurial server reports
 * some protocol errors this way (200 {@code text/plain}: {@code multiple commands cannot be
 * issued to this URL}), and a server without the frame-based API answers the handshake with
 * the legacy {@code application/mercurial-0.1}; so a text body is part of the message.
 */
public final class UnexpectedContentTypeException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;
  private final String body;

  UnexpectedContentTypeException(URI uri, String expected, String actual, String body) {
    this("expected " + expected + " from " + uri + " but got " + (actual == null ? "no content type" : actual)
        + (body.isBlank() ? "" : ": " + body.strip()), expected, actual, body);
  }

  UnexpectedContentTypeException(String message, String expected, String actual, String body) {
    super(message);
    this.expected = expected;
    this.actual = actual;
    this.body = body;
  }

  /** The media type asked for. */
  public String expected() {
    return expected;
  }

  /** The media type received, if the response had one. */
  public Optional<String> actual() {
    return Optional.ofNullable(actual);
  }

  /** The body, decoded as UTF-8 when it is text, cut after {@value HttpStatusException#MAX_BODY_CHARS} bytes; else empty. */
  public String body() {
    return body;
  }
}
