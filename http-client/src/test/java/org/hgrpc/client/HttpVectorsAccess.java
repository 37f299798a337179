package org.hgrpc.client;

/** The recorded exchanges' bodies, for tests in other packages. */
public final class HttpVectorsAccess {
  private HttpVectorsAccess() {}

  /** The request body of the exchange named {@code name}. */
  public static byte[] requestBody(String name) {
    return HttpVectors.get(name).requestBody();
  }

  /** The response body of the exchange named {@code name}. */
  public static byte[] responseBody(String name) {
    return HttpVectors.get(name).responseBody();
  }

  /**
   * A recorded exchange, for tests in other packages.
   *
   * @param path the request's path and query
   * @param requestBody the request body
   * @param status the response status
   * @param responseBody the response body
   */
  public record Recorded(String path, byte[] requestBody, int status, byte[] responseBody) {}

  /** The recorded exchange named {@code name}. */
  public static Recorded recorded(String name) {
    HttpVectors.Exchange e = HttpVectors.get(name);
    return new Recorded(e.path(), e.requestBody(), e.status(), e.responseBody());
  }

  /** The frames a server sends for request 1 answering {@code ok} with {@code values}. */
  public static byte[] okResponse(Object... values) {
    return Wire.okResponse(1, values);
  }

  /** The Mercurial 4.8 exchange named {@code name} of {@code group} (framing 0006). */
  public static Recorded recorded0006(String group, String name) {
    HttpVectors.Exchange e = HttpVectors.get0006(group, name);
    return new Recorded(e.path(), e.requestBody(), e.status(), e.responseBody());
  }

  /** The handshake answer offering the default group's commands. */
  public static byte[] defaultHandshake() {
    return Wire.handshake(Wire.defaultCapabilities());
  }
}
