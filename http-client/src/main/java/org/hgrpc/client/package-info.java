/**
 * The hgrpc client: {@link org.hgrpc.client.HgrpcClient} calls commands of an hgrpc server
 * (Mercurial's frame-based protocol over HTTP) through the JDK's {@code java.net.http}, one
 * HTTP exchange and one single-send {@link org.hgrpc.core.reactor.ClientReactor} per call or
 * batch, and decodes responses while they arrive ({@link org.hgrpc.client.CommandResult}).
 * What a response means (the status map, command errors, error frames) is core's
 * {@link org.hgrpc.core.response.ResponseDecoder}; this package adds HTTP, flow control and the
 * API. {@link org.hgrpc.client.RepositoryCommands} ({@code client.repository()}) adds typed calls
 * of a Mercurial repository's commands. Failures are the subclasses of
 * {@link org.hgrpc.client.HgrpcException}.
 */
package org.hgrpc.client;
