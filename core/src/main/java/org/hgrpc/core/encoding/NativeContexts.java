package org.hgrpc.core.encoding;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frees zstd-jni's native contexts. zstd-jni frees a context's memory only in {@code close()},
 * with no finalizer or cleaner of its own, and an encoder lives as long as its stream, which has
 * no end the reactors see: so each context is closed when its owner is closed (the reactors
 * close their streams' encoders and decoders when the transport says the exchange is over) or,
 * for an owner nobody closed, once it is unreachable. Left alone, a server leaked one
 * compression context per zstd response stream (a fuzzing JVM with a 1.5 GB heap grew to 20 GB
 * resident); freed only by the collector, a fuzzing JVM still reached 6 GB.
 */
final class NativeContexts {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicLong CREATED = new AtomicLong();
  private static final AtomicLong FREED = new AtomicLong();

  private NativeContexts() {}

  /** One registered context: freed by {@link #free()} or by the collector, whichever comes first, once. */
  static final class Handle {
    private final AtomicBoolean freed = new AtomicBoolean();
    private Cleaner.Cleanable cleanable;

    /** Frees the context now (the owner's {@code close()}); does nothing the second time. */
    void free() {
      cleanable.clean();
    }

    /** Whether the context has been freed. */
    boolean isFreed() {
      return freed.get();
    }

    /** Throws if the context has been freed: its owner, {@code coder}, was used after {@code close()}. */
    void ensureOpen(String coder) {
      if (freed.get()) {
        throw new IllegalStateException(coder + ": used after close()");
      }
    }
  }

  /**
   * Closes {@code context} once {@code owner} is unreachable, or when the returned handle is
   * {@linkplain Handle#free() freed}, whichever comes first. The context must not refer to the
   * owner, or the owner never becomes unreachable.
   */
  static Handle closeWhenUnreachable(Object owner, Closeable context) {
    CREATED.incrementAndGet();
    Handle handle = new Handle();
    AtomicBoolean freed = handle.freed; // the action must not capture the handle's owner, only this
    handle.cleanable = CLEANER.register(owner, () -> {
      try {
        context.close();
      } catch (IOException | RuntimeException e) {
        // Nothing can be done about a context that will not close; it is unreachable either way.
      }
      freed.set(true);
      FREED.incrementAndGet();
    });
    return handle;
  }

  /** How many contexts have been freed so far (for tests). */
  static long freed() {
    return FREED.get();
  }

  /** How many contexts exist and are not freed yet. */
  static long live() {
    return CREATED.get() - FREED.get();
  }
}
