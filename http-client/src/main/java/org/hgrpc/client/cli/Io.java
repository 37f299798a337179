package org.hgrpc.client.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * What a CLI run uses of its process, passed in so tests can run commands in-process.
 *
 * @param in standard input (frame lines, binary frames)
 * @param out standard output (JSON, text, or binary frames)
 * @param err standard error (messages and the progress line)
 * @param terminal whether the process runs on a terminal, which enables the progress line and
 *     stops binary output to standard output
 * @param env the environment ({@code HGRPC_PASSWORD})
 * @param prompt asks the user for a password, or {@code null} when nobody can be asked
 */
public record Io(InputStream in, PrintStream out, PrintStream err, boolean terminal, Map<String, String> env,
    PasswordPrompt prompt) {

  /** Reads a password from the user without echoing it. */
  @FunctionalInterface
  public interface PasswordPrompt {
    /** The password typed after {@code prompt}, or {@code null} at end of input. */
    char[] readPassword(String prompt);
  }

  /** Streams and a terminal flag, with the process's environment and nobody to ask for a password. */
  public Io(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    this(in, out, err, terminal, System.getenv(), null);
  }

  /** The process's streams; a terminal, with password prompts on it, when the JVM has one. */
  public static Io system() {
    Console console = System.console();
    boolean terminal = console != null && isTerminal(console);
    return new Io(System.in, System.out, System.err, terminal, System.getenv(),
        terminal ? prompt -> console.readPassword("%s", prompt) : null);
  }

  /**
   * Whether {@code console} is a terminal. Up to Java 21 a console exists only then; from
   * Java 22 one exists even when the streams are redirected, and {@code Console.isTerminal()}
   * (looked up by reflection, as we compile for 17) tells.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }
}
