package org.hgrpc.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar hgrpc-server.jar serve ...}: the embedded server's command line. */
@Command(name = "hgrpc-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "The hgrpc server: Mercurial's frame-based wire protocol over HTTP.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.addSubcommand(new ServeCommand(System.out, System.err));
    if (args.length == 0) {
      // No command is a usage error: say so, and show the commands (serve among them).
      System.err.println("hgrpc-server: missing command; to start the server: hgrpc-server serve [-R REPO] [-p PORT]");
      cl.usage(System.err);
      return CommandLine.ExitCode.USAGE;
    }
    cl.setParameterExceptionHandler(Main::usageError);
    return cl.execute(args);
  }

  /**
   * A usage error (an unknown option, a missing value): one line saying what is wrong, picocli's
   * suggestions for a mistyped name, and where the help is, as {@code hg serve} does, instead of
   * the whole help, which buried the line that mattered.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    java.io.PrintWriter err = command.getErr();
    err.println("hgrpc-server: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  @Override
  public void run() {
    // Reached only through execute() with options and no subcommand (e.g. a lone --verbose):
    // the usage of the whole command line, subcommands included.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'serve'");
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** {@code hgrpc-server VERSION}, the version from the jar manifest. */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return "hgrpc-server " + (v != null ? v : "(development build)");
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
