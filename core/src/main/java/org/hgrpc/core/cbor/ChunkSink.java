package org.hgrpc.core.cbor;

/**
 * Receives encoded CBOR one chunk at a time, as cborutil's {@code streamencode} generator
 * yields them: each header (integer, length marker, tag, simple value) is one chunk and each
 * byte string's content is another.
 *
 * <p>Chunk boundaries matter to the protocol: the server's buffering response emitter starts a
 * new frame only between chunks, so identical frames need identical chunking.
 */
@FunctionalInterface
public interface ChunkSink {
  /**
   * One chunk: {@code length} bytes of {@code buffer} from {@code offset}. The buffer is only
   * valid during the call; copy what must be kept.
   */
  void chunk(byte[] buffer, int offset, int length);
}
