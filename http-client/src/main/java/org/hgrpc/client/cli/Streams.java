package org.hgrpc.client.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a command's input and output: a named file, or standard input / output for none or {@code -}. */
final class Streams {
  private Streams() {}

  /** {@code file}, or standard input for {@code null} or {@code -}. Closing standard input is a no-op. */
  static InputStream input(Io io, Path file) throws IOException {
    if (file == null || file.toString().equals("-")) {
      return new java.io.FilterInputStream(io.in()) {
        @Override
        public void close() {}
      };
    }
    return Files.newInputStream(file);
  }

  /** {@code file}, or standard output for {@code null} or {@code -}. Closing standard output only flushes it. */
  static OutputStream output(Io io, Path file) throws IOException {
    if (file == null || file.toString().equals("-")) {
      return new FilterOutputStream(io.out()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    return new BufferedOutputStream(Files.newOutputStream(file));
  }
}
