package org.hgrpc.server;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/**
 * A server for {@link StreamingMemoryTest}, run in its own small JVM ({@code -Xmx64m}): one
 * command, {@code bigstream}, yielding a byte string of {@value #TOTAL} bytes made chunk by
 * chunk as the response is written. Prints {@code listening at URL} and serves until killed
 * or until its standard input ends.
 */
public final class StreamingServerMain {
  /** 256 MiB. */
  static final long TOTAL = 256L << 20;
  /** 64 KiB. */
  static final int CHUNK = 64 << 10;

  private StreamingServerMain() {}

  public static void main(String[] args) throws Exception {
    Command bigstream = Command.of("bigstream", Permission.PULL, List.of(),
        call -> CommandResponse.object(IndefiniteByteString.fromChunks(chunks(TOTAL, CHUNK))));
    ServerSettings settings = ServerSettings.from(HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true"));
    HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings)
        .registry(CommandRegistry.builder().add(bigstream).build()).build().start();
    System.out.println("listening at " + server.uri());
    System.out.flush();
    // Serve until the parent closes our standard input (or kills us).
    while (System.in.read() >= 0) {
      // ignore input
    }
    server.close();
    System.out.println("stopped; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
  }

  /** {@code total} bytes in fresh chunks of {@code size}, each filled with its index (so nothing is shared). */
  static Iterator<ByteString> chunks(long total, int size) {
    return new Iterator<>() {
      private long made;
      private int index;

      @Override
      public boolean hasNext() {
        return made < total;
      }

      @Override
      public ByteString next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int n = (int) Math.min(size, total - made);
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) index++);
        made += n;
        return ByteString.wrap(b);
      }
    };
  }
}
