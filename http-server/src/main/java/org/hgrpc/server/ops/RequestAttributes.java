package org.hgrpc.server.ops;

/**
 * Servlet request attributes through which the request path tells the logs and metrics what
 * the URL alone cannot. Each is optional: without it the observer derives the value from the
 * URL and the status.
 */
public final class RequestAttributes {
  private RequestAttributes() {}

  /** The authenticated user (a {@code String}), set by the authentication filter. */
  public static final String USER = "org.hgrpc.user";

  /**
   * The API a request was served by (a {@code String}, e.g. {@code exp-http-v2-0001}); without it,
   * the {@code /api/<name>/} part of the URL when the servlet serves that API.
   */
  public static final String API = "org.hgrpc.api";

  /**
   * The command of a request (a {@code String}); without it, the last part of
   * {@code /api/<name>/<ro|rw>/<command>} when the registry holds that command.
   */
  public static final String COMMAND = "org.hgrpc.command";

  /**
   * How the request ended (a {@code String}, e.g. {@code ok}, {@code refused},
   * {@code command-error}); without it, {@link RequestObserver#outcome} of the status.
   */
  public static final String OUTCOME = "org.hgrpc.outcome";

  /**
   * The response header in which the server gives a refusal's detail where the body must keep
   * Mercurial's words (which setting refused a push); the error log adds it to the cause.
   */
  public static final String REFUSAL_HEADER = "Hgrpc-Refusal";
}
