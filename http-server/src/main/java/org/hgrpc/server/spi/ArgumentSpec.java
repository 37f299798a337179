package org.hgrpc.server.spi;

import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * One argument a command accepts. The {@code example} is what the {@code capabilities}
 * command advertises for it (Mercurial advertises an example value per argument, e.g.
 * {@code publiconly: False}, {@code nodes: [b'deadbeef']}).
 *
 * @param name the argument's name
 * @param example an example value, CBOR-encodable
 * @param required whether a request must give it; optional arguments that are absent are
 *     simply not in {@link CommandInvocation#args()}
 */
public record ArgumentSpec(ByteString name, Object example, boolean required) {
  /** Requires a name. */
  public ArgumentSpec {
    Objects.requireNonNull(name, "name");
  }

  /** An optional argument. */
  public static ArgumentSpec optional(String name, Object example) {
    return new ArgumentSpec(ByteString.utf8(name), example, false);
  }

  /** A required argument. */
  public static ArgumentSpec required(String name, Object example) {
    return new ArgumentSpec(ByteString.utf8(name), example, true);
  }
}
