package org.hgrpc.core.encoding;

import org.hgrpc.core.ByteString;

/** The {@code identity} encoding: bytes unchanged. Every peer supports it. */
final class IdentityEncoding implements ContentEncoder, ContentDecoder {
  static final String NAME = "identity";
  private final long maxDecodedBytes;
  private String failure;

  IdentityEncoding(long maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ByteString encode(ByteString data) {
    return data;
  }

  @Override
  public ByteString flush() {
    return ByteString.EMPTY;
  }

  /** Identity holds nothing outside the heap; it stays usable (one instance may serve both directions). */
  @Override
  public void close() {}

  @Override
  public ByteString decode(ByteString data) throws ContentDecodingException {
    // Stays failed, as ContentDecoder promises: the stream is broken, a later payload may not pass.
    if (failure != null) {
      throw new ContentDecodingException("identity: decoder already failed: " + failure);
    }
    if (data.size() > maxDecodedBytes) {
      failure = "decoded payload exceeds maximum size " + maxDecodedBytes + ": " + data.size() + " bytes";
      throw new ContentDecodingException("identity: " + failure);
    }
    return data;
  }
}
