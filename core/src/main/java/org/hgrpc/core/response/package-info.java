/**
 * The client side of a command response, without I/O: what the bytes a client reactor hands
 * out for one request ({@code ResponseData} payloads, {@code ErrorResponse} frames) mean.
 *
 * <p>{@link org.hgrpc.core.response.ResponseDecoder} decodes one request's CBOR stream and
 * applies the protocol's rule that the first value is the overall status map
 * ({@code {b'status': b'ok' | b'error' | b'redirect', ...}}), turning it into
 * {@link org.hgrpc.core.response.ResponseEvent}s: the status, the values after it, the end, or
 * what went wrong ({@link org.hgrpc.core.response.CommandFailure},
 * {@link org.hgrpc.core.response.ServerFailure}, {@link org.hgrpc.core.response.Redirect}, a
 * malformed response). {@link org.hgrpc.core.response.MessageFormatter} renders the messages
 * servers send ({@code %s} placeholders, error-frame atoms) the one way clients show them.
 * Transports (the HTTP client) keep only their own concerns: the connection, flow control and
 * their public API.
 */
package org.hgrpc.core.response;
