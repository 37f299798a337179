package org.hgrpc.core.encoding;

import org.hgrpc.core.ByteString;

/** The {@code identity} encoding: bytes unchanged. Every peer supports it. */
final class IdentityEncoding implements ContentEncoder, ContentDecoder {
  static final String NAME = "identity";
  private final long maxDecodedBytes;

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

  @Override
  public ByteString decode(ByteString data) throws ContentDecodingException {
    if (data.size() > maxDecodedBytes) {
      throw new ContentDecodingException("identity: decoded payload exceeds maximum size " + maxDecodedBytes + ": "
          + data.size() + " bytes");
    }
    return data;
  }
}
