/**
 * The hgrpc protocol without I/O: Mercurial's unified frame-based wire protocol
 * ({@code wireprotoframing.py}) in Java.
 *
 * <ul>
 *   <li>{@link org.hgrpc.core.frame}: frame headers, types and flags, frame creation helpers,
 *       streams, the human frame syntax;
 *   <li>{@link org.hgrpc.core.cbor}: the CBOR subset Mercurial uses (byte-string keys, sorted
 *       keys, sets as tag 258, indefinite-length byte strings);
 *   <li>{@link org.hgrpc.core.reactor}: the server and client reactors, state machines that
 *       take events and return actions;
 *   <li>{@link org.hgrpc.core.literal}: Python literal syntax used by the human frame syntax;
 *   <li>{@link org.hgrpc.core.encoding}: framing 0006's content encodings;
 *   <li>{@link org.hgrpc.core.response}: a command response as a client reads it.
 * </ul>
 *
 * <p>This package holds the values every other package uses and depends on none of them.
 *
 * <p>Nothing here opens a socket or a file: transports feed bytes or frames in and write what
 * comes out.
 */
package org.hgrpc.core;
