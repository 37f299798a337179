package org.hgrpc.client;

import java.net.URI;
import java.util.Optional;

/**
 * The server answered with an HTTP status other than 200. The server's text body (up to
 * {@value #MAX_BODY_CHARS} bytes) is part of the message, because hgrpc servers explain
 * refusals there: {@code unknown wire protocol command: badcommand},
 * {@code insufficient permissions to execute command: pushkey}, ... Where the body must keep
 * Mercurial's bare {@code permission denied}, an hgrpc server says which setting refused the
 * request in the {@value #REFUSAL_HEADER} header, which the message adds.
 */
public final class HttpStatusException extends HgrpcException {
  private static final long serialVersionUID = 1L;

  /** At most this many bytes of the body are kept. */
  public static final int MAX_BODY_CHARS = 8192;

  /** The response header in which an hgrpc server explains a refusal. */
  public static final String REFUSAL_HEADER = "Hgrpc-Refusal";

  private final int statusCode;
  private final String contentType;
  private final String body;
  private final String refusal;
  private final URI uri;

  HttpStatusException(URI uri, int statusCode, String contentType, String body, String refusal) {
    super("HTTP " + statusCode + " from " + uri + (body.isBlank() ? "" : ": " + body.strip())
        + (refusal == null || refusal.isBlank() ? "" : " (" + refusal.strip() + ")"));
    this.uri = uri;
    this.statusCode = statusCode;
    this.contentType = contentType;
    this.body = body;
    this.refusal = refusal;
  }

  /** The HTTP status code. */
  public int statusCode() {
    return statusCode;
  }

  /** The response's {@code Content-Type}, if it had one. */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /** The response body decoded as UTF-8, cut after {@value #MAX_BODY_CHARS} bytes. */
  public String body() {
    return body;
  }

  /** The server's explanation of a refusal ({@value #REFUSAL_HEADER}), if it gave one. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The URI that was requested. */
  public URI uri() {
    return uri;
  }
}
