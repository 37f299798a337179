package org.hgrpc.repository.server;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A response of one object computed when the server first asks for it. The reference's
 * commands are generators, so their work (and their errors) happen while the response is
 * written, after the whole request was read: a {@code pushkey} followed by a
 * {@code listkeys} in one request sees its effect, and an error becomes an error frame with
 * the exception's message alone.
 */
final class LazyResult implements Iterator<Object> {
  private Supplier<Object> supplier;
  private Object value;
  private boolean delivered;

  LazyResult(Supplier<Object> supplier) {
    this.supplier = supplier;
  }

  @Override
  public boolean hasNext() {
    if (delivered) {
      return false;
    }
    if (supplier != null) {
      value = supplier.get();
      supplier = null;
    }
    return true;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    delivered = true;
    Object v = value;
    value = null;
    return v;
  }
}
