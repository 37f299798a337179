package org.hgrpc.client.cli;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Opens a command's input and output: a named file, or standard input / output for none or
 * {@code -}. A file that cannot be opened fails with {@code cannot read FILE: REASON} (or
 * {@code write}), the reason in the words of the C library, not the JDK's bare file name.
 */
final class Streams {
  private Streams() {}

  /** {@code file}, or standard input for {@code null} or {@code -}. Closing standard input is a no-op. */
  static InputStream input(Io io, Path file) throws IOException {
    if (isStandard(file)) {
      return new FilterInputStream(io.in()) {
        @Override
        public void close() {}
      };
    }
    if (Files.isDirectory(file)) {
      throw new IOException("cannot read " + file + ": Is a directory");
    }
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + reason(e), e);
    }
  }

  /** {@code file}, or standard output for {@code null} or {@code -}. Closing standard output only flushes it. */
  static OutputStream output(Io io, Path file) throws IOException {
    if (isStandard(file)) {
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
    if (Files.isDirectory(file)) {
      throw new IOException("cannot write " + file + ": Is a directory");
    }
    try {
      return new BufferedOutputStream(Files.newOutputStream(file));
    } catch (IOException e) {
      throw new IOException("cannot write " + file + ": " + reason(e), e);
    }
  }

  /**
   * Refuses to write binary data ({@code what}) to standard output when it is a terminal,
   * telling the user to give a file or a pipe; checked before anything is read or sent.
   * {@code -o -} ({@code file} {@code -}) writes to standard output anyway.
   *
   * @throws IllegalArgumentException (a usage error) when binary data would go to a terminal
   */
  static void refuseBinaryToTerminal(Io io, Path file, String what) {
    if (file == null && io.terminal()) {
      throw new IllegalArgumentException("not writing " + what + " to a terminal: give -o FILE, or pipe the output "
          + "(-o - writes to the terminal anyway)");
    }
  }

  private static boolean isStandard(Path file) {
    return file == null || file.toString().equals("-");
  }

  /** The reason of a failed open, as {@code strerror} words it; the JDK's message is often just the file name. */
  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "Not a directory";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
