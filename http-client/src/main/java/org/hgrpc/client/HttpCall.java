package org.hgrpc.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one HTTP request and routes its answer: a 200 of the expected media type goes, as it
 * arrives, to the caller's {@link BodySink}; anything else is collected (bounded) and reported
 * to that sink as an {@link HttpStatusException} or {@link UnexpectedContentTypeException}
 * carrying the server's text. Failures of the exchange itself are mapped to the exception
 * types of {@link HgrpcException}.
 */
final class HttpCall {
  private HttpCall() {}

  /**
   * Starts the exchange.
   *
   * @return the JDK's future of the exchange, to cancel it before the headers arrive
   */
  static CompletableFuture<HttpResponse<Void>> start(Transport transport, HttpRequest request, String expectedType,
      BodySink target) {
    URI uri = request.uri();
    AtomicBoolean headersReceived = new AtomicBoolean();
    CompletableFuture<HttpResponse<Void>> future = transport.http().sendAsync(request, info -> {
      headersReceived.set(true);
      int status = info.statusCode();
      String contentType = info.headers().firstValue("Content-Type").orElse(null);
      BodySink sink = target;
      if (status != 200) {
        String refusal = info.headers().firstValue(HttpStatusException.REFUSAL_HEADER).orElse(null);
        sink = new CollectingSink(HttpStatusException.MAX_BODY_CHARS,
            body -> target.onFailure(new HttpStatusException(uri, status, contentType, text(body), refusal)),
            failure -> target.onFailure(new HttpStatusException(uri, status, contentType, "", refusal)));
      } else if (!MediaTypes.matches(contentType, expectedType)) {
        sink = new CollectingSink(HttpStatusException.MAX_BODY_CHARS,
            body -> target.onFailure(new UnexpectedContentTypeException(uri, expectedType, contentType,
                MediaTypes.isText(contentType) ? text(body) : "")),
            failure -> target.onFailure(new UnexpectedContentTypeException(uri, expectedType, contentType, "")));
      }
      return new BodyPump(sink, transport, uri);
    });
    future.whenComplete((response, error) -> {
      if (error != null) {
        target.onFailure(map(error, uri, headersReceived.get(), transport));
      }
    });
    return future;
  }

  /** The exception type of a failure of {@code sendAsync}. */
  static HgrpcException map(Throwable error, URI uri, boolean headersReceived, Transport transport) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof HgrpcException) {
      return (HgrpcException) e;
    }
    String detail = e.getMessage() != null ? e.getMessage() : e.toString();
    if (e instanceof HttpConnectTimeoutException) {
      return new HgrpcTimeoutException("timed out connecting to " + uri + ": " + detail, (HttpTimeoutException) e);
    }
    if (e instanceof HttpTimeoutException) {
      return new HgrpcTimeoutException("no response from " + uri + " within "
          + transport.settings().requestTimeout().toMillis() + " ms: " + detail, (HttpTimeoutException) e);
    }
    if (e instanceof CancellationException) {
      return new CallCancelledException("the request to " + uri + " was cancelled");
    }
    if (e instanceof IOException) {
      if (headersReceived) {
        return new TruncatedResponseException("the response from " + uri + " was cut short: " + detail, e);
      }
      return new TransportException("the request to " + uri + " failed: " + detail, (IOException) e);
    }
    return new TransportException("the request to " + uri + " failed: " + detail, new IOException(e));
  }

  private static String text(CollectingSink.Body body) {
    String s = new String(body.bytes(), StandardCharsets.UTF_8);
    return body.truncated() ? s + "..." : s;
  }
}
