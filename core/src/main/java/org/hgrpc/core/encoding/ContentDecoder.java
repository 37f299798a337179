package org.hgrpc.core.encoding;

import org.hgrpc.core.ByteString;

/**
 * The decompressing half of a content encoding: one instance per input stream, fed each
 * encoded frame payload in order. Bad input (corrupt data, a window or an output larger than
 * allowed, bytes after the end of the compressed stream) raises
 * {@link ContentDecodingException}; after that the decoder stays failed. Not thread-safe.
 */
public interface ContentDecoder extends AutoCloseable {
  /** The encoding's name on the wire. */
  String name();

  /**
   * Decompresses one payload.
   *
   * @return the bytes it decodes to, possibly none
   * @throws ContentDecodingException if the input is not valid or decodes to more than allowed
   */
  ByteString decode(ByteString data) throws ContentDecodingException;

  /**
   * Frees what the decoder holds outside the heap now (see {@link ContentEncoder#close()}: a
   * zstd decoder's window is up to 8 MiB of native memory). Later calls do nothing; {@link
   * #decode} after it throws {@link IllegalStateException}.
   */
  @Override
  void close();
}
