package org.hgrpc.client.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hgrpc}: the command-line client. {@code frames encode} and {@code frames decode} turn
 * human frame lines into binary frame files for {@code curl --data-binary @file} and back;
 * {@code capabilities} and {@code call} talk to a server and print JSON.
 */
@Command(name = "hgrpc", mixinStandardHelpOptions = true, versionProvider = HgrpcCli.Version.class,
    description = "Talk to an hgrpc server (Mercurial's frame-based protocol over HTTP), or make and read "
        + "frame files for curl.",
    subcommands = {FramesCommand.class, CborCommand.class, CapabilitiesCommand.class, CallCommand.class,
        CommandLine.HelpCommand.class})
public final class HgrpcCli implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** Runs {@code hgrpc} with the process's streams and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(Io.system(), args));
  }

  /** Runs {@code hgrpc} with {@code args} on {@code io}; returns the exit code ({@link ExitCodes}). */
  public static int run(Io io, String... args) {
    CommandLine cli = new CommandLine(new HgrpcCli(), new Factory(io));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      command.getErr().println("hgrpc: " + message);
      command.getErr().flush();
      return ExitCodes.of(e);
    });
    cli.setParameterExceptionHandler(HgrpcCli::usageError);
    addExitCodes(cli);
    return cli.execute(args);
  }

  /**
   * A usage error: one line saying what is wrong (and picocli's suggestions for a mistyped
   * name), then where the help is, instead of the whole help.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("hgrpc: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** Every command's help ends with the exit codes. */
  private static void addExitCodes(CommandLine cli) {
    cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.descriptions());
    cli.getSubcommands().values().forEach(HgrpcCli::addExitCodes);
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("hgrpc: missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Creates the commands with the run's {@link Io}. */
  private static final class Factory implements CommandLine.IFactory {
    private final Io io;

    Factory(Io io) {
      this.io = io;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Io.class).newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = HgrpcCli.class.getPackage().getImplementationVersion();
      return new String[] {"hgrpc " + (v != null ? v : "(development build)")};
    }
  }
}
