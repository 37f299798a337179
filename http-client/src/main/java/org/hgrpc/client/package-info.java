/**
 * The hgrpc client: {@link org.hgrpc.client.HgrpcClient} calls commands of an hgrpc server
 * (Mercurial's frame-based protocol over HTTP) through the JDK's {@code java.net.http}, one
 * HTTP exchange and one single-send {@link org.hgrpc.core.reactor.ClientReactor} per call or
 * batch, and decodes responses while they arrive ({@link org.hgrpc.client.CommandResult}).
 * Failures are the subclasses of {@link org.hgrpc.client.HgrpcException}.
 */
package org.hgrpc.client;
