package org.hgrpc.server.ops;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A filter around the hgrpc servlet that watches each request for the error log and the
 * metrics: it counts the body bytes and frames in and out, and keeps the start of every 4xx or
 * 5xx body, which is the cause the server gave (all our refusals are short text). When the
 * request ends (at once, or when its asynchronous processing completes) it logs a 4xx/5xx with
 * its cause to the {@link ErrorLog} and records the {@link RequestMetrics}.
 */
public final class RequestObserver extends HttpFilter {
  private static final long serialVersionUID = 1L;
  /** How much of an error body is kept: more than {@link ErrorLog#MAX_CAUSE}. */
  private static final int CAUSE_BYTES = 512;
  private static final String FRAMING_PREFIX = "application/mercurial-exp-framing-";

  private final transient ErrorLog errorLog;
  private final transient RequestMetrics metrics;
  private final transient Set<String> apis;
  private final transient Predicate<String> knownCommand;

  /**
   * @param errorLog where refusals go, or null for none
   * @param metrics the meters, or null for none
   * @param apis the API names that may label a metric
   * @param knownCommand the command names that may label a metric
   */
  public RequestObserver(ErrorLog errorLog, RequestMetrics metrics, Set<String> apis, Predicate<String> knownCommand) {
    this.errorLog = errorLog;
    this.metrics = metrics;
    this.apis = Set.copyOf(apis);
    this.knownCommand = knownCommand;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    long start = System.nanoTime();
    if (metrics != null) {
      metrics.started();
    }
    CountingRequest in = new CountingRequest(req);
    CapturingResponse out = new CapturingResponse(resp);
    AtomicBoolean done = new AtomicBoolean();
    try {
      chain.doFilter(in, out);
    } finally {
      if (req.isAsyncStarted()) {
        addCompletionListener(req, () -> finish(req, in, out, start, done));
      } else {
        finish(req, in, out, start, done);
      }
    }
  }

  /**
   * Runs {@code action} when the request's asynchronous processing completes, or at once when it
   * already has (the container refuses a listener then).
   */
  private static void addCompletionListener(HttpServletRequest req, Runnable action) {
    try {
      req.getAsyncContext().addListener(new AsyncListener() {
        @Override
        public void onComplete(AsyncEvent event) {
          action.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {}

        @Override
        public void onStartAsync(AsyncEvent event) {}
      });
    } catch (IllegalStateException completed) {
      action.run();
    }
  }

  private void finish(HttpServletRequest req, CountingRequest in, CapturingResponse out, long start, AtomicBoolean done) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    int status = out.getStatus();
    String user = attribute(req, RequestAttributes.USER, req.getRemoteUser());
    if (errorLog != null && status >= 400) {
      String uri = req.getRequestURI() + (req.getQueryString() != null ? "?" + req.getQueryString() : "");
      errorLog.refusal(status, req.getMethod(), uri, user, out.cause());
    }
    if (metrics != null) {
      List<String> parts = pathParts(req);
      String api = attribute(req, RequestAttributes.API, api(parts));
      String command = attribute(req, RequestAttributes.COMMAND, command(req, parts, api));
      String outcome = attribute(req, RequestAttributes.OUTCOME, outcome(status, out.frames.sawErrorResponse()));
      metrics.finished(api, command, outcome, status, Duration.ofNanos(System.nanoTime() - start), in.bytes,
          out.bytes, in.frames.frames(), out.frames.frames());
    }
  }

  /**
   * The outcome label of a status: {@code ok} (below 400; {@code error-response} when an
   * error-response frame was sent), {@code denied} (401, 403), {@code busy} (503),
   * {@code refused} (other 4xx) or {@code error} (other 5xx).
   */
  static String outcome(int status, boolean errorResponseFrame) {
    if (status < 400) {
      return errorResponseFrame ? "error-response" : "ok";
    }
    if (status == 401 || status == 403) {
      return "denied";
    }
    if (status == 503) {
      return "busy";
    }
    return status < 500 ? "refused" : "error";
  }

  private String api(List<String> parts) {
    if (parts.size() >= 2 && parts.get(0).equals("api") && apis.contains(parts.get(1))) {
      return parts.get(1);
    }
    return "none";
  }

  private String command(HttpServletRequest req, List<String> parts, String api) {
    if (parts.isEmpty()) {
      return "capabilities".equals(req.getParameter("cmd")) ? "handshake" : "none";
    }
    if (api.equals("none") || parts.size() < 4) {
      return "none";
    }
    String c = parts.get(3);
    return c.equals("multirequest") || c.equals("debugreflect") || knownCommand.test(c) ? c : "other";
  }

  private static String attribute(HttpServletRequest req, String name, String otherwise) {
    Object v = req.getAttribute(name);
    return v != null ? v.toString() : otherwise;
  }

  /** The path below the context, split at slashes, without empty parts. */
  private static List<String> pathParts(HttpServletRequest req) {
    String path = req.getRequestURI().substring(Math.min(req.getContextPath().length(), req.getRequestURI().length()));
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

  /** Counts what the servlet reads. */
  private static final class CountingRequest extends HttpServletRequestWrapper {
    final FrameCounter frames = new FrameCounter();
    long bytes;
    private ServletInputStream stream;

    CountingRequest(HttpServletRequest req) {
      super(req);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream inner = super.getInputStream();
        boolean framed = getContentType() != null && getContentType().startsWith(FRAMING_PREFIX);
        stream = new ServletInputStream() {
          @Override
          public int read() throws IOException {
            int b = inner.read();
            if (b >= 0) {
              bytes++;
              if (framed) {
                frames.update(b);
              }
            }
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = inner.read(b, off, len);
            if (n > 0) {
              bytes += n;
              if (framed) {
                frames.update(b, off, n);
              }
            }
            return n;
          }

          @Override
          public int available() throws IOException {
            return inner.available();
          }

          @Override
          public void close() throws IOException {
            inner.close();
          }

          @Override
          public boolean isFinished() {
            return inner.isFinished();
          }

          @Override
          public boolean isReady() {
            return inner.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            inner.setReadListener(listener);
          }
        };
      }
      return stream;
    }
  }

  /** Counts what the servlet writes and keeps the start of an error body. */
  private static final class CapturingResponse extends HttpServletResponseWrapper {
    final FrameCounter frames = new FrameCounter();
    final ByteArrayOutputStream cause = new ByteArrayOutputStream();
    long bytes;
    private ServletOutputStream stream;

    CapturingResponse(HttpServletResponse resp) {
      super(resp);
    }

    String cause() {
      String detail = getHeader(RequestAttributes.REFUSAL_HEADER);
      String text = cause.toString(StandardCharsets.UTF_8);
      return detail == null ? text : text.strip() + " (" + detail + ")";
    }

    private boolean framed() {
      return getContentType() != null && getContentType().startsWith(FRAMING_PREFIX);
    }

    private void seen(byte[] b, int off, int len) {
      bytes += len;
      if (framed()) {
        frames.update(b, off, len);
      } else if (getStatus() >= 400 && cause.size() < CAUSE_BYTES) {
        cause.write(b, off, Math.min(len, CAUSE_BYTES - cause.size()));
      }
    }

    @Override
    public void reset() {
      super.reset();
      cause.reset();
    }

    @Override
    public void resetBuffer() {
      super.resetBuffer();
      cause.reset();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        ServletOutputStream inner = super.getOutputStream();
        stream = new ServletOutputStream() {
          @Override
          public void write(int b) throws IOException {
            inner.write(b);
            seen(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            inner.write(b, off, len);
            seen(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            inner.flush();
          }

          @Override
          public void close() throws IOException {
            inner.close();
          }

          @Override
          public boolean isReady() {
            return inner.isReady();
          }

          @Override
          public void setWriteListener(WriteListener listener) {
            inner.setWriteListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
