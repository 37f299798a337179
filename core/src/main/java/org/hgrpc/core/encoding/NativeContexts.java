package org.hgrpc.core.encoding;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The native state of the content coders (zstd-jni's contexts, the JDK's {@link Deflater} and
 * {@link Inflater}): lent to the encoders and decoders, given back when their owner is closed,
 * and kept for the next owner.
 *
 * <p>Why given back: zstd-jni frees a context's memory only in {@code close()}, with no cleaner
 * of its own. Left alone, a server leaked one compression context per zstd response stream (a
 * fuzzing JVM with a 1.5 GB heap grew to 20 GB resident); freed only by the collector, which
 * runs when the heap fills and not when native memory does, a fuzzing JVM still reached 6 GB.
 * So the reactors close their streams' coders when the transport says the exchange is over,
 * and a coder nobody closed gives its context back once it is unreachable (a {@link Cleaner}).
 *
 * <p>Why kept: making a zstd context and its buffers for a stream cost some 20 µs (level 3
 * allocates its tables and window anew), a zlib one 5 to 10 µs, against 1 µs to compress a
 * small answer with one that is ready: for a server answering small requests, that was a good
 * part of each request. A context given back is reset ({@code ZSTD_reset_session_and_parameters}: the next
 * stream's bytes are the same as from a new context; {@code deflateReset} likewise) and kept, up to {@link #MAX_IDLE} per
 * kind; beyond that it is closed. So the native memory held is what the exchanges in flight
 * use, plus at most {@link #MAX_IDLE} idle contexts of each kind.
 */
final class NativeContexts {
  /**
   * Idle contexts kept per kind: about the number of exchanges the machine works on at once, and
   * at most 16 (a level-3 compression context holds some 3 MiB, a decompression one up to its
   * 8 MiB window: at most about 50 and 130 MiB idle).
   */
  static final int MAX_IDLE = Math.min(16, 2 * Runtime.getRuntime().availableProcessors());
  private static final Cleaner CLEANER = Cleaner.create();
  /** The size of the direct buffers a zstd coder feeds its context through: small, as a server may hold many streams. */
  static final int ZSTD_BUFFER = 32 * 1024;
  private static final Pool<ZstdCompression> ZSTD_COMPRESSION =
      new Pool<>(ZstdCompression::new, z -> z.ctx.reset(), z -> z.ctx.close());
  private static final Pool<ZstdDecompression> ZSTD_DECOMPRESSION =
      new Pool<>(ZstdDecompression::new, z -> z.ctx.reset(), z -> z.ctx.close());
  // zlib level 6 as CPython's zlib.compressobj(), raw=false: deflateReset gives the bytes of a new stream.
  private static final Pool<Deflater> DEFLATERS =
      new Pool<>(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, false), Deflater::reset, Deflater::end);
  private static final Pool<Inflater> INFLATERS = new Pool<>(() -> new Inflater(false), Inflater::reset, Inflater::end);

  private NativeContexts() {}

  /** A zstd compression context and its buffers. */
  static final class ZstdCompression {
    final ZstdCompressCtx ctx = new ZstdCompressCtx();
    final ByteBuffer in = ByteBuffer.allocateDirect(ZSTD_BUFFER);
    final ByteBuffer out = ByteBuffer.allocateDirect(ZSTD_BUFFER);
  }

  /** A zstd decompression context and its buffers. */
  static final class ZstdDecompression {
    final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    final ByteBuffer in = ByteBuffer.allocateDirect(ZSTD_BUFFER);
    final ByteBuffer out = ByteBuffer.allocateDirect(ZSTD_BUFFER);
  }

  /** A zstd compression context for {@code owner}, given back when the handle is released or the owner unreachable. */
  static Handle<ZstdCompression> zstdCompression(Object owner) {
    return ZSTD_COMPRESSION.lend(owner);
  }

  /** A zstd decompression context for {@code owner}, as {@link #zstdCompression}. */
  static Handle<ZstdDecompression> zstdDecompression(Object owner) {
    return ZSTD_DECOMPRESSION.lend(owner);
  }

  /** A zlib compressor (level 6, zlib header) for {@code owner}, as {@link #zstdCompression}. */
  static Handle<Deflater> deflater(Object owner) {
    return DEFLATERS.lend(owner);
  }

  /** A zlib decompressor (zlib header) for {@code owner}, as {@link #zstdCompression}. */
  static Handle<Inflater> inflater(Object owner) {
    return INFLATERS.lend(owner);
  }

  /** One context lent to an owner: given back by {@link #release()} or by the collector, whichever comes first, once. */
  static final class Handle<T> {
    private final T context;
    private final AtomicBoolean released;
    private final Cleaner.Cleanable cleanable;

    private Handle(T context, AtomicBoolean released, Cleaner.Cleanable cleanable) {
      this.context = context;
      this.released = released;
      this.cleanable = cleanable;
    }

    /** The context, for as long as the handle is not released. */
    T context() {
      return context;
    }

    /** Gives the context back now (the owner's {@code close()}); does nothing the second time. */
    void release() {
      cleanable.clean();
    }

    /** Whether the context has been given back. */
    boolean isReleased() {
      return released.get();
    }

    /** Throws if the context has been given back: its owner, {@code coder}, was used after {@code close()}. */
    void ensureOpen(String coder) {
      if (released.get()) {
        throw new IllegalStateException(coder + ": used after close()");
      }
    }
  }

  /** Idle contexts of one kind. */
  private static final class Pool<T> {
    private final Supplier<T> make;
    private final Consumer<T> reset;
    private final Consumer<T> close;
    private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();

    Pool(Supplier<T> make, Consumer<T> reset, Consumer<T> close) {
      this.make = make;
      this.reset = reset;
      this.close = close;
    }

    Handle<T> lend(Object owner) {
      T context = idle.pollFirst();
      if (context != null) {
        idleCount.decrementAndGet();
      } else {
        context = make.get();
        created.incrementAndGet();
      }
      T lent = context;
      AtomicBoolean released = new AtomicBoolean();
      // The action must not capture the owner (or the handle the owner holds), only these.
      Cleaner.Cleanable cleanable = CLEANER.register(owner, () -> {
        released.set(true);
        giveBack(lent);
      });
      return new Handle<>(context, released, cleanable);
    }

    private void giveBack(T context) {
      try {
        reset.accept(context);
      } catch (RuntimeException e) {
        discard(context); // a context that will not reset is not lent again
        return;
      }
      if (idleCount.incrementAndGet() <= MAX_IDLE) {
        idle.offerFirst(context); // most recently used first: its memory is the likeliest to be warm
      } else {
        idleCount.decrementAndGet();
        discard(context);
      }
    }

    private void discard(T context) {
      try {
        close.accept(context);
      } catch (RuntimeException e) {
        // Nothing can be done about a context that will not close.
      }
      freed.incrementAndGet();
    }

    long live() {
      return created.get() - freed.get();
    }
  }

  /** How many zstd contexts have been closed so far (for tests). */
  static long freed() {
    return ZSTD_COMPRESSION.freed.get() + ZSTD_DECOMPRESSION.freed.get();
  }

  /** How many zstd contexts exist and are not closed: lent out, or idle for reuse. */
  static long live() {
    return ZSTD_COMPRESSION.live() + ZSTD_DECOMPRESSION.live();
  }
}
