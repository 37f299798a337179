package org.hgrpc.core.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fails a fuzz run whose process holds more than 6 GiB, checked every 1000 inputs. zstd-jni
 * frees a context's native memory only in {@code close()}; before the encodings closed theirs
 * (see {@code NativeContexts}), fuzzing made some 250,000 of them and grew to 20 GB until the
 * kernel killed the JVM (and could take other processes with it); freed only by the collector
 * (a cleaner), they still reached this bound after 48,000 inputs, which is how the coders and
 * reactors came to be closed when their exchange ends. Should a leak come back, this makes it a
 * finding of the run instead.
 */
final class ResidentMemoryGuard {
  private static final long MAX_RSS_KB = 6L << 20;
  private int inputs;

  /** Counts one input; every 1000th, fails if the process is over the bound (Linux only). */
  synchronized void check() {
    if (++inputs % 1000 != 0) {
      return;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          if (kb > MAX_RSS_KB) {
            throw new AssertionError("resident memory " + (kb >> 10) + " MiB after " + inputs
                + " inputs: native zstd contexts are not released");
          }
        }
      }
    } catch (IOException e) {
      // Not Linux: no check.
    }
  }
}
