package org.hgrpc.server.spi;

import java.util.Iterator;
import java.util.List;
import org.hgrpc.core.ByteString;

/**
 * What a command produces: a stream of CBOR-encodable objects, or raw bytes.
 *
 * <p>Objects are pulled from the iterator while the response is written, so a command can
 * produce any amount of output without holding it: return a lazy iterator, and use
 * {@link org.hgrpc.core.cbor.IndefiniteByteString} for large binary values. An iterator may
 * throw {@link org.hgrpc.core.reactor.CommandError} to fail the command with a message for the
 * user; any other exception becomes a server error frame.
 */
public sealed interface CommandResponse permits CommandResponse.Objects, CommandResponse.Bytes {

  /**
   * Objects to encode as CBOR, one after the other, after {@code {b'status': b'ok'}}.
   *
   * @param objects the objects, pulled lazily
   */
  record Objects(Iterator<?> objects) implements CommandResponse {
    /** Requires an iterator. */
    public Objects {
      java.util.Objects.requireNonNull(objects, "objects");
    }
  }

  /**
   * Raw bytes sent after {@code {b'status': b'ok'}}, split into frames as the reference's
   * {@code createcommandresponseframesfrombytes} does.
   *
   * @param data the bytes
   */
  record Bytes(ByteString data) implements CommandResponse {
    /** Requires data. */
    public Bytes {
      java.util.Objects.requireNonNull(data, "data");
    }
  }

  /** A response of the objects {@code iterator} yields. */
  static CommandResponse objects(Iterator<?> iterator) {
    return new Objects(iterator);
  }

  /** A response of the given objects. */
  static CommandResponse objects(Iterable<?> objects) {
    return new Objects(objects.iterator());
  }

  /** A response of one object. */
  static CommandResponse object(Object object) {
    return new Objects(java.util.Collections.singletonList(object).iterator());
  }

  /** A response of raw bytes. */
  static CommandResponse bytes(ByteString data) {
    return new Bytes(data);
  }

  /** A response of no objects. */
  static CommandResponse empty() {
    return new Objects(List.of().iterator());
  }
}
