package org.hgrpc.repository.server.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A response produced a few objects at a time: the reference's commands are generators, so
 * nothing is read before the server asks for the first object, and their errors surface while
 * the response is written (a {@link org.hgrpc.core.reactor.CommandError} before the first
 * object becomes a command error; any other exception an error frame).
 */
abstract class LazyObjects implements Iterator<Object> {
  private final Deque<Object> pending = new ArrayDeque<>();
  private boolean done;

  /**
   * Adds the next objects to {@code out}.
   *
   * @return false when this was the last step (objects added in it are still sent)
   */
  protected abstract boolean produce(Deque<Object> out);

  @Override
  public final boolean hasNext() {
    while (pending.isEmpty() && !done) {
      if (!produce(pending)) {
        done = true;
      }
    }
    return !pending.isEmpty();
  }

  @Override
  public final Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.poll();
  }
}
