/**
 * Frames: the 8-byte header, frame types and flags, reading and decoding frames from bytes,
 * the reference's frame creation helpers, streams, and the human frame syntax.
 */
package org.hgrpc.core.frame;
