/**
 * The server side of one exchange, without any transport: request bytes in, an
 * {@link org.hgrpc.server.exchange.ExchangeOutcome} out. Every protocol rule a server applies
 * to a request lives here or in the core's reactor: command lookup, argument validation,
 * the {@code ro}/{@code rw} permission, the {@code multirequest} rules, dispatch to the
 * {@link org.hgrpc.server.spi command SPI}, and the end of input.
 *
 * <pre>
 *   transport (servlet, test server, ...)          this package                     core
 *   ─────────────────────────────────────          ────────────                     ────
 *   route the URL → {@link org.hgrpc.server.exchange.ExchangeRequest}
 *   new {@link org.hgrpc.server.exchange.ServerExchange}(registry, limits, request) ── lookup ─────────
 *   while wantsInput(): receive(bytes)    ──────── FrameInput → onFrame ───────── ServerReactor
 *                                                  RunCommand → permission,
 *                                                  validation, Command.execute,
 *                                                  CommandResponse → reactor
 *   endOfInput()                          ──────── ServerReactor.onInputEof ─────
 *   ← Frames (lazy) | Refusal(kind, message) | Reflection
 *   map the outcome to the transport (HTTP: HttpOutcomes)
 * </pre>
 *
 * <p>A transport only moves bytes and maps a {@link org.hgrpc.server.exchange.RefusalKind} to
 * its own vocabulary (an HTTP status, say), in one place. The API generation (and with it the
 * framing) is a per-exchange value, {@link org.hgrpc.server.exchange.ExchangeApi}.
 */
package org.hgrpc.server.exchange;
