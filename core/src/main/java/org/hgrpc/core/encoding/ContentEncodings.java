package org.hgrpc.core.encoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The content encodings of framing 0006 by name ({@code STREAM_ENCODERS}): each makes a fresh
 * encoder for an output stream and a fresh decoder for an input stream.
 *
 * <p>{@link #DEFAULT} knows all three, in the server's default order of preference
 * {@code zstd-8mb, zlib, identity} (the reference's {@code STREAM_ENCODERS_ORDER} when its zstd
 * module is present): a server picks the first of its own list that the client also lists.
 */
public final class ContentEncodings {
  /** The name every peer supports. */
  public static final String IDENTITY = IdentityEncoding.NAME;
  /** zlib (RFC 1950), level 6. */
  public static final String ZLIB = ZlibEncoder.NAME;
  /** zstd level 3, at most an 8 MiB window. */
  public static final String ZSTD_8MB = ZstdEncoder.NAME;

  private record Entry(Supplier<ContentEncoder> encoder, LongFunction<ContentDecoder> decoder) {}

  private static final Map<String, Entry> ALL = Map.of(
      IDENTITY, new Entry(() -> new IdentityEncoding(Long.MAX_VALUE), IdentityEncoding::new),
      ZLIB, new Entry(ZlibEncoder::new, ZlibDecoder::new),
      ZSTD_8MB, new Entry(ZstdEncoder::new, ZstdDecoder::new));

  /**
   * Why zstd-8mb cannot be used in this JVM, or null when it can. zstd-jni loads a native
   * library, unpacked into {@code java.io.tmpdir} unless found on {@code java.library.path}: a
   * {@code noexec} temporary directory (Docker's {@code --tmpfs}) or another platform makes that
   * fail, and then an encoder made for a response would throw in the middle of it.
   */
  private static final String ZSTD_UNAVAILABLE = zstdUnavailable();

  /** zstd-8mb (where its native library loads), zlib, identity. */
  public static final ContentEncodings DEFAULT = ZSTD_UNAVAILABLE == null ? of(ZSTD_8MB, ZLIB, IDENTITY)
      : of(ZLIB, IDENTITY);
  /** Only identity: no compression. */
  public static final ContentEncodings IDENTITY_ONLY = of(IDENTITY);

  private final List<String> order;

  private ContentEncodings(List<String> order) {
    this.order = order;
  }

  /**
   * The encodings named, in that order of preference.
   *
   * @throws IllegalArgumentException for a name this project does not implement, or a repeat
   */
  public static ContentEncodings of(String... names) {
    return of(List.of(names));
  }

  /** {@link #of(String...)} for a list. */
  public static ContentEncodings of(List<String> names) {
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (String n : names) {
      if (!ALL.containsKey(n)) {
        throw new IllegalArgumentException("unknown content encoding: " + n + "; known: " + known());
      }
      if (seen.put(n, true) != null) {
        throw new IllegalArgumentException("content encoding listed twice: " + n);
      }
      if (n.equals(ZSTD_8MB) && ZSTD_UNAVAILABLE != null) {
        throw new IllegalArgumentException(ZSTD_8MB + " is not available in this JVM: " + ZSTD_UNAVAILABLE);
      }
    }
    return new ContentEncodings(List.copyOf(names));
  }

  private static String zstdUnavailable() {
    try {
      com.github.luben.zstd.util.Native.load();
      return null;
    } catch (LinkageError | RuntimeException e) {
      return "its native library does not load (" + e + ")";
    }
  }

  /** Whether zstd-8mb can be used in this JVM (its native library loads). */
  public static boolean zstdAvailable() {
    return ZSTD_UNAVAILABLE == null;
  }

  /**
   * The zstd contexts (native memory, up to megabytes each) made in this JVM and not closed:
   * one per open zstd encoder or decoder, plus the few kept idle for the next ones (two per
   * processor for each direction, at most 16). It comes back to its resting value when no exchange is
   * in flight; for tests and metrics.
   */
  public static long liveNativeContexts() {
    return NativeContexts.live();
  }

  /** Every name this project implements. */
  public static List<String> known() {
    List<String> l = new ArrayList<>(ALL.keySet());
    Collections.sort(l);
    return l;
  }

  /** The names, most preferred first. */
  public List<String> names() {
    return order;
  }

  /** Whether {@code name} is one of these encodings. */
  public boolean contains(String name) {
    return order.contains(name);
  }

  /** A fresh encoder for {@code name}, if it is one of these encodings. */
  public Optional<ContentEncoder> newEncoder(String name) {
    return contains(name) ? Optional.of(ALL.get(name).encoder().get()) : Optional.empty();
  }

  /** A fresh decoder for {@code name} decoding at most {@code maxDecodedBytes} per payload, if it is one of these. */
  public Optional<ContentDecoder> newDecoder(String name, long maxDecodedBytes) {
    return contains(name) ? Optional.of(ALL.get(name).decoder().apply(maxDecodedBytes)) : Optional.empty();
  }

  @Override
  public String toString() {
    return "ContentEncodings" + order;
  }
}
