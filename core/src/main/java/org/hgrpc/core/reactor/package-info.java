/**
 * The server and client reactors: state machines that take protocol events and return
 * {@link org.hgrpc.core.reactor.Action}s, with the reference's states and action names.
 */
package org.hgrpc.core.reactor;
