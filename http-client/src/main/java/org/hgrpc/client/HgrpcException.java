package org.hgrpc.client;

/**
 * The common type of every failure of an hgrpc call. Each cause has its own subclass, so a
 * caller can handle, say, a command's own error ({@link CommandErrorException}) differently
 * from a broken connection ({@link TransportException}):
 *
 * <ul>
 *   <li>{@link CommandErrorException}: the command ran and failed (its response status was {@code error})
 *   <li>{@link ServerErrorException}: the server sent an error frame for the request
 *   <li>{@link ProtocolErrorException}: the response broke the protocol (bad frames or CBOR)
 *   <li>{@link HttpStatusException}: the server answered with an HTTP error status
 *   <li>{@link UnexpectedContentTypeException}: the answer was not the media type asked for
 *   <li>{@link TruncatedResponseException}: the response ended before every request was answered
 *   <li>{@link HgrpcTimeoutException}: a wait took longer than the configured timeout
 *   <li>{@link CallCancelledException}: the call was cancelled or its result closed
 *   <li>{@link TransportException}: the HTTP exchange failed (connection refused or reset)
 * </ul>
 *
 * <p>Unchecked, because the results are consumed through {@link java.util.Iterator},
 * {@link java.util.concurrent.CompletableFuture} and {@link java.util.concurrent.Flow} APIs,
 * none of which can carry a checked exception.
 */
public abstract class HgrpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  protected HgrpcException(String message) {
    super(message);
  }

  /** An exception with {@code message} caused by {@code cause}. */
  protected HgrpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
