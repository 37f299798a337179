package org.hgrpc.server.ops;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error log ({@code -E}): the cause of every 4xx and 5xx the server decided, and the
 * server's own life events (stopping). {@link LogFormat#TEXT} lines read
 *
 * <pre>
 * [2026-11-30T15:04:05.123Z] 404 POST /api/exp-http-v2-0001/ro/nosuch (user -): unknown wire protocol command: nosuch
 * [2026-11-30T15:09:00.001Z] stopped (SIGTERM)
 * </pre>
 *
 * <p>{@link LogFormat#JSON}: {@code {"time":..,"status":..,"method":..,"uri":..,"user":..,"cause":..}}
 * per refusal and {@code {"time":..,"event":..}} per event.
 */
public final class ErrorLog {
  /** Longest cause written, in characters: the body's start is enough to say why. */
  static final int MAX_CAUSE = 300;

  private final PrintStream out;
  private final LogFormat format;

  /** Writes to {@code out} (flushed after each line) in {@code format}. */
  public ErrorLog(PrintStream out, LogFormat format) {
    this.out = out;
    this.format = format;
  }

  /** The stream written to (for stack traces of unexpected errors). */
  public PrintStream stream() {
    return out;
  }

  /** Logs a refusal or failure: {@code status} for {@code method uri} of {@code user} (null: anonymous). */
  public void refusal(int status, String method, String uri, String user, String cause) {
    String c = oneLine(cause);
    String line;
    if (format == LogFormat.JSON) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("time", Instant.now().toString());
      fields.put("status", status);
      fields.put("method", method);
      fields.put("uri", uri);
      fields.put("user", user);
      fields.put("cause", c);
      line = Json.object(fields);
    } else {
      line = "[" + Instant.now() + "] " + status + " " + method + " " + uri + " (user " + (user == null ? "-" : user)
          + "): " + c;
    }
    write(line);
  }

  /** Logs an event of the server's life, e.g. {@code stopped (SIGTERM)}. */
  public void event(String text) {
    String line;
    if (format == LogFormat.JSON) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("time", Instant.now().toString());
      fields.put("event", text);
      line = Json.object(fields);
    } else {
      line = "[" + Instant.now() + "] " + text;
    }
    write(line);
  }

  private void write(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** The cause on one line, shortened: line breaks become {@code " / "}, control bytes {@code ?}. */
  static String oneLine(String cause) {
    if (cause == null || cause.isBlank()) {
      return "(no cause given)";
    }
    String s = cause.strip().replace("\r\n", "\n").replaceAll("\n+", " / ");
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CAUSE + 3));
    for (int i = 0; i < s.length() && sb.length() < MAX_CAUSE; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > MAX_CAUSE) {
      sb.append("...");
    }
    return sb.toString();
  }
}
