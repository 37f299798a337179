package org.hgrpc.core.frame;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A lazy sequence of frames, the Java form of the reference's frame generators: each frame is
 * made only when asked for, so a large response is never held whole and side effects (a
 * stream's begin flag, a request leaving the active set) happen in the order frames are sent.
 */
public abstract class FrameIterator implements Iterator<Frame> {
  private Frame next;
  private boolean done;

  /** Makes the next frame, or returns {@code null} when there are no more. */
  protected abstract Frame computeNext();

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = computeNext();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final Frame next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Frame f = next;
    next = null;
    return f;
  }

  /** Makes all remaining frames and returns them. */
  public final List<Frame> toList() {
    List<Frame> l = new ArrayList<>();
    forEachRemaining(l::add);
    return l;
  }

  /** An iterator over {@code frames}. */
  public static FrameIterator of(List<Frame> frames) {
    Iterator<Frame> it = frames.iterator();
    return new FrameIterator() {
      @Override
      protected Frame computeNext() {
        return it.hasNext() ? it.next() : null;
      }
    };
  }

  /** One frame, made by {@code make} only when it is taken. */
  public static FrameIterator lazy(java.util.function.Supplier<Frame> make) {
    return new FrameIterator() {
      private boolean done;

      @Override
      protected Frame computeNext() {
        if (done) {
          return null;
        }
        done = true;
        return make.get();
      }
    };
  }

  /**
   * The frames of each iterator {@code sources} yields, in order; each source is asked for
   * only when the one before it is exhausted.
   */
  public static FrameIterator concat(Iterator<? extends Iterator<Frame>> sources) {
    return new FrameIterator() {
      private Iterator<Frame> current;

      @Override
      protected Frame computeNext() {
        while (current == null || !current.hasNext()) {
          if (!sources.hasNext()) {
            return null;
          }
          current = sources.next();
        }
        return current.next();
      }
    };
  }

  /** An iterator over nothing. */
  public static FrameIterator empty() {
    return of(List.of());
  }
}
