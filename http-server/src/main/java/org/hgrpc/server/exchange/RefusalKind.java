package org.hgrpc.server.exchange;

/**
 * Why a request was refused: the class of rule it broke. A transport maps each kind to its
 * own answer (HTTP: a status and headers, in {@code HttpOutcomes}); the message says which
 * rule and which values.
 *
 * <p>The first group comes from the exchange itself; the second from what a transport checks
 * before or around it (routing, media types, access control, its own resources), listed here
 * so that one mapping serves every refusal a server makes.
 */
public enum RefusalKind {
  // ---- decided by an exchange

  /**
   * The frames broke the protocol (order, flags, names, a command the URL does not allow).
   * Mercurial answers these as a successful request whose body is the message, and clients
   * rely on reading it, so transports keep that.
   */
  PROTOCOL,
  /** The input cannot be understood at all: bytes that are not frames, CBOR that does not decode, input cut short. */
  BAD_REQUEST,
  /** The input goes beyond a configured limit (frame size, request size, body size, requests in flight). */
  LIMIT,
  /** The named command (or service) does not exist here. */
  NOT_FOUND,
  /** The command needs more than the request may do: a {@code push} command on a read-only ({@code ro}) request. */
  FORBIDDEN_PERMISSION,

  // ---- decided by a transport

  /** The credentials the client gave are wrong or unreadable (the embedded server's basic authentication). */
  CREDENTIALS_REJECTED,
  /** The user is not authorized (hgweb's 401 answers: {@code read not authorized}, {@code push not authorized}). */
  NOT_AUTHORIZED,
  /** The request is refused whoever makes it (hgweb's {@code ssl required}). */
  ACCESS_DENIED,
  /**
   * The request is for Mercurial's legacy wire protocol ({@code ?cmd=heads}, {@code
   * ?cmd=unbundle}, ...), which this server does not speak; the message says what it speaks.
   */
  LEGACY_PROTOCOL,
  /** The request used an operation the endpoint does not take (commands require POST). */
  METHOD_NOT_ALLOWED,
  /** The client does not accept the exchange's framing. */
  NOT_ACCEPTABLE,
  /** The client did not declare its body as the exchange's framing. */
  UNSUPPORTED_MEDIA_TYPE,
  /** The input arrived too slowly, or not at all within the idle time. */
  TIMEOUT,
  /** The server is at its limit of concurrent requests. */
  BUSY,
  /** A failure of the server's own (a bug, a provider that cannot answer). */
  INTERNAL
}
