package org.hgrpc.server;

import org.eclipse.jetty.server.handler.ErrorHandler;

/** Jetty's own answers to malformed HTTP, as {@code text/plain} like every answer of ours, without stacks. */
final class PlainErrorHandler extends ErrorHandler {
  PlainErrorHandler() {
    setShowStacks(false);
    setDefaultResponseMimeType("text/plain");
  }
}
