package org.hgrpc.core.encoding;

import org.hgrpc.core.ByteString;

/**
 * The decompressing half of a content encoding: one instance per input stream, fed each
 * encoded frame payload in order. Bad input (corrupt data, a window or an output larger than
 * allowed, bytes after the end of the compressed stream) raises
 * {@link ContentDecodingException}; after that the decoder stays failed. Not thread-safe.
 */
public interface ContentDecoder {
  /** The encoding's name on the wire. */
  String name();

  /**
   * Decompresses one payload.
   *
   * @return the bytes it decodes to, possibly none
   * @throws ContentDecodingException if the input is not valid or decodes to more than allowed
   */
  ByteString decode(ByteString data) throws ContentDecodingException;
}
