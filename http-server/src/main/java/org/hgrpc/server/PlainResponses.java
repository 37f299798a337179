package org.hgrpc.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the short non-frame responses of the API, as the reference words and types them. */
final class PlainResponses {
  static final String TEXT = "text/plain";

  private PlainResponses() {}

  /** A response with a body and, when {@code contentType} is null, no Content-Type at all. */
  static void send(HttpServletResponse resp, int status, String contentType, byte[] body) throws IOException {
    resp.setStatus(status);
    if (contentType != null) {
      resp.setContentType(contentType);
    }
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** A {@code text/plain} response. */
  static void text(HttpServletResponse resp, int status, String body) throws IOException {
    send(resp, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }
}
