package org.hgrpc.client.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a CLI run uses, passed in so tests can run commands in-process.
 *
 * @param in standard input (frame lines, binary frames)
 * @param out standard output (JSON, text, or binary frames)
 * @param err standard error (messages and the progress line)
 * @param terminal whether standard error is a terminal, which enables the progress line
 */
public record Io(InputStream in, PrintStream out, PrintStream err, boolean terminal) {

  /** The process's streams; a terminal when the JVM has a console. */
  public static Io system() {
    return new Io(System.in, System.out, System.err, System.console() != null);
  }
}
