package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HelpTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "frames", "frames encode", "frames decode", "cbor", "capabilities", "call"})
  void everyCommandHasHelpWithTheExitCodes(String command) {
    String[] words = command.isEmpty() ? new String[0] : command.split(" ");
    String[] args = java.util.Arrays.copyOf(words, words.length + 1);
    args[words.length] = "--help";

    CliRun r = CliRun.run(args);

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("Usage: hgrpc" + (command.isEmpty() ? "" : " " + command)), r.out());
    assertTrue(r.out().contains("Exit codes:\n  0   success\n  1   the command failed on the server"), r.out());
    assertTrue(r.out().contains("  4   connection failure, timeout"), r.out());
  }

  @Test
  void helpOfCallStatesTheJsonRule() {
    String out = CliRun.run("call", "--help").out().replaceAll("\\s+", " ");
    assertTrue(out.contains("Byte strings are shown as text when they are printable UTF-8, else as lowercase hex"),
        out);
  }

  @Test
  void helpOfCallStatesHowArgumentsAreTyped() {
    String out = CliRun.run("call", "--help").out().replaceAll("\\s+", " ");
    assertTrue(out.contains("bool: true, false, yes, no, on, off, 1, 0; int: decimal; list or set: comma-separated"),
        out);
    assertTrue(out.contains("--untyped"), out);
    assertTrue(out.contains("pushkey answering false (the server did not change the key) exits with 1"), out);
  }

  @Test
  void missingCommandsAreUsageErrors() {
    CliRun r = CliRun.run();
    assertEquals(ExitCodes.USAGE, r.exitCode());
    assertTrue(r.stderr().startsWith("hgrpc: missing command\nUsage: hgrpc"), r.stderr());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("nonsense").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("call", "--bogus").exitCode());
  }

  @Test
  void version() {
    CliRun r = CliRun.run("--version");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().startsWith("hgrpc "), r.out());
  }
}
