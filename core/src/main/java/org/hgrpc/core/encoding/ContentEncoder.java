package org.hgrpc.core.encoding;

import org.hgrpc.core.ByteString;

/**
 * The compressing half of a content encoding (framing 0006): one instance per output stream,
 * shared by every response sent on it, fed chunk by chunk as a command produces output.
 *
 * <p>{@link #encode} may hold bytes back (and return nothing); {@link #flush} ends a response:
 * it returns everything held, so the peer can decode all data sent so far, without ending the
 * compressed stream (later responses continue it). Not thread-safe.
 */
public interface ContentEncoder extends AutoCloseable {
  /** The encoding's name on the wire, e.g. {@code zlib}. */
  String name();

  /** Compresses one chunk; returns the bytes that are ready, possibly none. */
  ByteString encode(ByteString data);

  /** Ends a response: the bytes still held, such that the peer can decode everything sent. */
  ByteString flush();

  /**
   * Frees what the encoder holds outside the heap (zlib's and zstd's native state, megabytes for
   * zstd) now. Unreachable encoders are freed by the garbage collector too, but it runs when the
   * heap fills, not when native memory does: a server answering small zstd requests made
   * thousands of contexts between two collections. The owner of the stream calls this when the
   * stream ends. Later calls do nothing; {@link #encode} and {@link #flush} after it throw
   * {@link IllegalStateException}.
   */
  @Override
  void close();
}
