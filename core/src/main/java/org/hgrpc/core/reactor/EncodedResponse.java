package org.hgrpc.core.reactor;

import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * A response object whose CBOR a command already has ({@code wireprototypes.encodedresponse},
 * framing 0006): its bytes are sent as they are (through the stream's encoder), not encoded
 * again. Commands use it for cached responses.
 *
 * @param data one or more whole CBOR values
 */
public record EncodedResponse(ByteString data) {
  /** Requires data. */
  public EncodedResponse {
    Objects.requireNonNull(data, "data");
  }
}
