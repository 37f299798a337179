package org.hgrpc.server;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.hgrpc.server.ops.AccessLog;
import org.hgrpc.server.ops.ErrorLog;

/**
 * Jetty's own answers (malformed HTTP, a path outside every repository), as {@code text/plain}
 * like every answer of ours, without stacks, and each logged with its cause to the error log.
 */
final class PlainErrorHandler extends ErrorHandler {
  private final ErrorLog errorLog;

  /** @param errorLog where Jetty's refusals are logged, or null for nowhere */
  PlainErrorHandler(ErrorLog errorLog) {
    this.errorLog = errorLog;
    setShowStacks(false);
    setDefaultResponseMimeType("text/plain");
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    if (errorLog != null && code >= 400) {
      String why = message != null ? message : cause != null ? cause.toString()
          : org.eclipse.jetty.http.HttpStatus.getMessage(code);
      errorLog.refusal(code, request.getMethod(), request.getHttpURI().getPathQuery(), AccessLog.user(request), why);
    }
    super.generateResponse(request, response, code, message, cause, callback);
  }

  /**
   * Text whatever the client accepts: Jetty would answer curl's {@code Accept: *}{@code /*} (and a
   * browser's {@code text/html}) with an HTML page, unlike every other answer of this server.
   */
  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
      String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    return super.generateAcceptableResponse(request, response, callback, "text/plain", charsets, code, message,
        cause);
  }
}
