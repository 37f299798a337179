package org.hgrpc.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;

/** The data every benchmark uses, made the same way (fixed seeds) in every process. */
public final class Fixtures {
  private Fixtures() {}

  /** Nodes in a {@code heads}-like response (end to end and reactors). */
  public static final int HEADS_NODES = 100;
  /** Chunk size of the streamed response: cborutil's, 64 KiB. */
  public static final int STREAM_CHUNK = IndefiniteByteString.DEFAULT_CHUNK_SIZE;
  /** The framing media type, for requests and the bare servlet's answers. */
  public static final String FRAMING_TYPE = "application/mercurial-exp-framing-0005";

  /** {@code n} pseudo-random 20-byte nodes. */
  public static List<ByteString> nodes(int n) {
    Random r = new Random(42);
    List<ByteString> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[20];
      r.nextBytes(b);
      l.add(ByteString.wrap(b));
    }
    return l;
  }

  /**
   * {@code n} byte-string pairs, like a large {@code listkeys}: keys {@code bookmark-00000} ..,
   * values 40 hex digits; in key order.
   */
  public static Map<ByteString, ByteString> pairs(int n) {
    Random r = new Random(7);
    Map<ByteString, ByteString> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byte[] node = new byte[20];
      r.nextBytes(node);
      m.put(ByteString.latin1(String.format("bookmark-%05d", i)), ByteString.latin1(ByteString.wrap(node).hex()));
    }
    return m;
  }

  /** {@code size} pseudo-random bytes. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The bytes of one 64 KiB chunk of the streamed response. */
  public static final byte[] STREAM_CHUNK_BYTES = randomBytes(STREAM_CHUNK, 99);

  /**
   * {@code total} bytes as {@link #STREAM_CHUNK} chunks of {@link #STREAM_CHUNK_BYTES} (the last
   * shorter), made as they are pulled: a producer that holds nothing.
   */
  public static IndefiniteByteString streamValue(long total) {
    ByteString whole = ByteString.wrap(STREAM_CHUNK_BYTES.clone());
    return IndefiniteByteString.fromChunks(new Iterator<>() {
      private long left = total;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public ByteString next() {
        if (left <= 0) {
          throw new NoSuchElementException();
        }
        int n = (int) Math.min(left, STREAM_CHUNK);
        left -= n;
        return n == STREAM_CHUNK ? whole : whole.substring(0, n);
      }
    });
  }

  /** The request frames of {@code command} without arguments, as a client sends them. */
  public static byte[] commandRequest(String command) {
    FrameIterator frames = Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), Map.of(), null);
    return encode(frames);
  }

  /** Every frame of {@code frames}, encoded back to back. */
  public static byte[] encode(Iterator<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  /** The response frames a server sends for request 1 answering {@code objects}. */
  public static byte[] objectResponse(List<?> objects) {
    ServerReactor r = new ServerReactor(ServerReactor.Options.of(org.hgrpc.core.Framing.V0005).withDeferOutput(true));
    FrameStream out = r.makeOutputStream();
    Action a = r.onFrameReceived(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1("x"), Map.of(),
        null).next());
    if (!(a instanceof Action.RunCommand)) {
      throw new IllegalStateException(a.toString());
    }
    r.onCommandResponseReadyObjects(out, 1, objects.iterator());
    return encode(((Action.SendFrames) r.onInputEof()).frames());
  }

  /** ASCII bytes. */
  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
