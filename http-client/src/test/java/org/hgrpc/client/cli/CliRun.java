package org.hgrpc.client.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code hgrpc} in-process on captured streams. */
record CliRun(int exitCode, byte[] stdout, String stderr) {

  static CliRun run(byte[] stdin, String... args) {
    return run(new Process(stdin, false, System.getenv(), null), args);
  }

  /**
   * What the run sees of its process besides the arguments.
   *
   * @param stdin standard input
   * @param terminal whether it runs on a terminal
   * @param env its environment
   * @param prompt who answers password prompts, or null
   */
  record Process(byte[] stdin, boolean terminal, Map<String, String> env, Io.PasswordPrompt prompt) {
    /** No input, not a terminal, an empty environment, nobody to ask. */
    static Process detached() {
      return new Process(new byte[0], false, Map.of(), null);
    }

    Process onTerminal(Io.PasswordPrompt p) {
      return new Process(stdin, true, env, p);
    }

    Process withEnv(Map<String, String> e) {
      return new Process(stdin, terminal, e, prompt);
    }
  }

  static CliRun run(Process process, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HgrpcCli.run(new Io(new ByteArrayInputStream(process.stdin()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        process.terminal(), process.env(), process.prompt()), args);
    return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  static CliRun run(String... args) {
    return run(new byte[0], args);
  }

  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + out() + "\nstderr:\n" + stderr;
  }
}
