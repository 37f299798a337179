package org.hgrpc.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 256 MiB response is consumed in a JVM whose whole heap is 64 MiB: the client decodes it
 * while it arrives and holds only a bounded buffer. Runs {@link StreamingMemoryCheck} in a
 * child JVM, since the heap of the test JVM itself cannot be shrunk.
 */
class MemoryBoundTest {

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void a256MiBResponseFitsIn64MiBOfHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path log = Files.createTempFile("hgrpc-memory-check", ".log");
    try {
      Process child = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", classpath,
          StreamingMemoryCheck.class.getName()))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(exited, "the check did not finish within 60 s:\n" + output);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("bytes=" + StreamingMemoryCheck.TOTAL + "\n"), output);
      long maxHeap = Long.parseLong(output.replaceAll("(?s).*maxHeap=(\\d+).*", "$1"));
      assertTrue(maxHeap <= 64L << 20, "the child's heap was " + maxHeap);
    } finally {
      delete(log.toFile());
    }
  }

  private static void delete(File f) throws IOException {
    Files.deleteIfExists(f.toPath());
  }
}
