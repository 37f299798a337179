package org.hgrpc.client.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hgrpc frames}: the group of the frame file tools. */
@Command(name = "frames", mixinStandardHelpOptions = true,
    description = "Make binary frame files from human frame lines, and show binary frames as text.",
    subcommands = {FramesEncodeCommand.class, FramesDecodeCommand.class})
final class FramesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("hgrpc frames: missing command: encode or decode");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
