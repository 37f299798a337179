package org.hgrpc.core.response;

import java.util.Objects;

/**
 * What a {@link ResponseDecoder} makes of the bytes of one request's response. A successful
 * response is {@link Ok}, then any number of {@link Value}s, then {@link End}. Every other
 * event ends the response ({@link #isTerminal()}): after one, the decoder ignores its input.
 */
public sealed interface ResponseEvent {

  /** Whether the response is over after this event. */
  default boolean isTerminal() {
    return !(this instanceof Ok || this instanceof Value);
  }

  /** The status map said {@code ok}: the command's values follow. */
  record Ok() implements ResponseEvent {}

  /**
   * A value the command produced: a decoded CBOR value, or one
   * {@link org.hgrpc.core.cbor.ByteStringChunk} of an indefinite-length byte string.
   */
  record Value(Object value) implements ResponseEvent {}

  /** The response ended normally after {@link Ok} and its values. */
  record End() implements ResponseEvent {}

  /** The status map said {@code error}: the command failed. */
  record Failed(CommandFailure failure) implements ResponseEvent {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }

  /** An error frame answered the request. */
  record ServerError(ServerFailure failure) implements ResponseEvent {
    public ServerError {
      Objects.requireNonNull(failure, "failure");
    }
  }

  /** The status map said {@code redirect}: the content is elsewhere. */
  record Redirected(Redirect redirect) implements ResponseEvent {
    public Redirected {
      Objects.requireNonNull(redirect, "redirect");
    }
  }

  /**
   * The response broke a rule of the protocol: invalid CBOR, no status map first, an unknown
   * status, a malformed error or redirect, or an end without a status or inside a value.
   *
   * @param reason the rule broken and the value that broke it, for an error message
   * @param cause the decoder's exception, or {@code null}
   */
  record Malformed(String reason, Throwable cause) implements ResponseEvent {
    public Malformed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
