package org.hgrpc.core.encoding;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frees zstd-jni's native contexts. zstd-jni frees a context's memory only in {@code close()},
 * with no finalizer or cleaner of its own, and an encoder lives as long as its stream, which has
 * no end the reactors see: so each context is closed once its owner is unreachable. Left
 * alone, a server leaked one compression context per zstd response stream (a fuzzing JVM with a
 * 1.5 GB heap grew to 20 GB resident).
 */
final class NativeContexts {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicLong FREED = new AtomicLong();

  private NativeContexts() {}

  /**
   * Closes {@code context} once {@code owner} is unreachable. The context must not refer to the
   * owner, or the owner never becomes unreachable.
   */
  static void closeWhenUnreachable(Object owner, Closeable context) {
    CLEANER.register(owner, () -> {
      try {
        context.close();
        FREED.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        // Nothing can be done about a context that will not close; it is unreachable either way.
      }
    });
  }

  /** How many contexts have been freed so far (for tests). */
  static long freed() {
    return FREED.get();
  }
}
