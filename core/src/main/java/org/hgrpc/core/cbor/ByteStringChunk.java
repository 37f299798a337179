package org.hgrpc.core.cbor;

import org.hgrpc.core.ByteString;

/**
 * One chunk of an indefinite-length byte string, as {@link CborDecoder} hands them out.
 *
 * <p>Mercurial streams large values (file contents, bundles) as indefinite-length byte strings
 * so neither side needs the whole value in memory; the decoder therefore returns each chunk as
 * soon as it is complete instead of joining them. {@code first} marks the chunk that began the
 * value and {@code last} the one ended by the break byte (an empty chunk when the break follows
 * a chunk).
 *
 * @param data the chunk's bytes
 * @param first whether this chunk began the value
 * @param last whether the value ends with this chunk
 */
public record ByteStringChunk(ByteString data, boolean first, boolean last) {
  /** Requires {@code data}. */
  public ByteStringChunk {
    java.util.Objects.requireNonNull(data, "data");
  }
}
