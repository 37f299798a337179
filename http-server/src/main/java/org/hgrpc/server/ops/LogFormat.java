package org.hgrpc.server.ops;

import java.util.Locale;

/** How the access and error logs write a line: {@code hgrpc.log-format} or {@code --log-format}. */
public enum LogFormat {
  /** The access log in the combined format plus the duration; the error log as plain lines. */
  TEXT,
  /** One JSON object per line, for log collectors. */
  JSON;

  /**
   * The format named {@code name} ({@code text} or {@code json}, any case).
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static LogFormat parse(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("unknown log format '" + name + "': use text or json");
    };
  }
}
