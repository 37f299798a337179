package org.hgrpc.server.ops;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One line per request, as Jetty finishes it (so it sees answers Jetty itself gave too).
 *
 * <p>{@link LogFormat#TEXT}: Apache's combined format followed by the duration in milliseconds
 * (Apache's {@code %{ms}T}):
 *
 * <pre>
 * 127.0.0.1 - alice [30/Nov/2026:15:04:05 +0000] "POST /api/exp-http-v2-0001/rw/pushkey HTTP/1.1" 200 93 "-" "hgrpc-java" 12
 * </pre>
 *
 * <p>The user is the one {@link RequestAttributes#USER} names (the basic authentication filter
 * sets it), else {@code -}. The byte count is the response body's. {@link LogFormat#JSON}: the
 * same fields as one JSON object ({@code time, remote, user, method, uri, protocol, status,
 * bytes, referer, userAgent, durationMs}).
 */
public final class AccessLog implements RequestLog {
  private static final DateTimeFormatter NCSA_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final LogFormat format;

  /** Writes to {@code out} (flushed after each line) in {@code format}. */
  public AccessLog(PrintStream out, LogFormat format) {
    this.out = out;
    this.format = format;
  }

  @Override
  public void log(Request request, Response response) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
    String user = user(request);
    String remote = Request.getRemoteAddr(request);
    String uri = request.getHttpURI().getPathQuery();
    String protocol = request.getConnectionMetaData().getProtocol();
    String referer = request.getHeaders().get(HttpHeader.REFERER);
    String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
    long bytes = Response.getContentBytesWritten(response);
    Instant now = Instant.now();
    String line;
    if (format == LogFormat.JSON) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("time", now.toString());
      fields.put("remote", remote);
      fields.put("user", user);
      fields.put("method", request.getMethod());
      fields.put("uri", uri);
      fields.put("protocol", protocol);
      fields.put("status", response.getStatus());
      fields.put("bytes", bytes);
      fields.put("referer", referer);
      fields.put("userAgent", agent);
      fields.put("durationMs", millis);
      line = Json.object(fields);
    } else {
      line = remote + " - " + (user == null ? "-" : user) + " [" + NCSA_TIME.format(now) + "] \""
          + request.getMethod() + " " + uri + " " + protocol + "\" " + response.getStatus() + " " + bytes
          + " \"" + quoted(referer) + "\" \"" + quoted(agent) + "\" " + millis;
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The authenticated user of {@code request}, or null. */
  public static String user(Request request) {
    Object user = request.getAttribute(RequestAttributes.USER);
    if (user != null) {
      return user.toString();
    }
    Request.AuthenticationState auth = Request.getAuthenticationState(request);
    return auth != null && auth.getUserPrincipal() != null ? auth.getUserPrincipal().getName() : null;
  }

  /** A header value inside the quotes of the combined format: {@code -} when absent, quotes escaped. */
  private static String quoted(String value) {
    if (value == null) {
      return "-";
    }
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
