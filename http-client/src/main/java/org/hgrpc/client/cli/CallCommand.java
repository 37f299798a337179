package org.hgrpc.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hgrpc.client.CommandCall;
import org.hgrpc.client.CommandResult;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.TransportException;
import org.hgrpc.core.Permission;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hgrpc call URL COMMAND [KEY=VALUE...]}: runs one command and prints its output. */
@Command(name = "call", mixinStandardHelpOptions = true,
    description = {
        "Run COMMAND on the server at URL (the repository's URL, e.g. http://127.0.0.1:8000/) and print the "
            + "values of its response as JSON, one after another. The handshake (GET URL?cmd=capabilities) comes "
            + "first and tells where the API is and whether the command needs push (then it goes to the rw URL).",
        "",
        Json.RULE,
        "",
        "Arguments are " + ArgumentValues.TYPED_SYNTAX + " A name the command does not take is refused (the "
            + "handshake's capabilities list each command's arguments); --untyped sends every VALUE as its UTF-8 "
            + "bytes, unchecked.",
        "",
        "pushkey answering false (the server did not change the key) exits with " + ExitCodes.COMMAND_ERROR + ".",
        "",
        "A progress line is shown on standard error for downloads longer than a second when it is a terminal."},
    footer = {"", "Examples:",
        "  hgrpc call http://127.0.0.1:8000/ heads",
        "  hgrpc call http://127.0.0.1:8000/ heads publiconly=true",
        "  hgrpc call http://127.0.0.1:8000/ known nodes=ddf943f5d05b0fa97ff16fa5f809e64d343f21c6,"
            + "29c9ad264e2de94dd2d47f45c908b40707b95994",
        "  hgrpc call http://127.0.0.1:8000/ listkeys namespace=bookmarks",
        "  hgrpc call --raw -o heads.response http://127.0.0.1:8000/ heads"})
final class CallCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(index = "0", paramLabel = "URL", description = "The server's base URL (http:// or https://).")
  String url;

  @Parameters(index = "1", paramLabel = "COMMAND", description = "The command to run.")
  String command;

  @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "The command's arguments.")
  List<String> args = new ArrayList<>();

  @Option(names = "--permission", paramLabel = "PERMISSION",
      description = "Post to the URL of this permission (${COMPLETION-CANDIDATES}) whatever the server's "
          + "capabilities say.")
  Permission permission;

  @ArgGroup(exclusive = true)
  OutputMode mode = new OutputMode();

  /** What is written instead of JSON. */
  static final class OutputMode {
    @Option(names = "--raw", description = "Write the response body (binary frames) instead of JSON, for frames decode.")
    boolean raw;

    @Option(names = "--bytes", description = "Write the response's byte strings as raw bytes instead of JSON, "
        + "for commands whose output is bytes (of any size).")
    boolean bytes;
  }

  @Option(names = "--compact", description = "One line per JSON value instead of indented JSON.")
  boolean compact;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  Path output;

  @Option(names = "--no-progress", description = "Never show the progress line.")
  boolean noProgress;

  @Option(names = "--untyped", description = "Send each VALUE as its UTF-8 bytes (cbor:LITERAL still parsed), "
      + "without checking names and types against the server's capabilities.")
  boolean untyped;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  CallCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    URI base = ConnectionOptions.baseUrl(url);
    if (mode.raw) {
      Streams.refuseBinaryToTerminal(io, output, "binary frames (--raw)");
    }
    List<ArgumentValues.Pair> pairs = ArgumentValues.split(args);
    ProgressLine progress = new ProgressLine(io.err(), io.terminal() && !noProgress, System::nanoTime);
    try (HgrpcClient client = connection.client(io, base, progress)) {
      CommandCall call = CommandCall.of(command, arguments(client, pairs));
      if (permission != null) {
        call = call.withPermission(permission);
      }
      Object last = run(client, call, io, output, mode.raw, mode.bytes, !compact);
      if (PUSHKEY.equals(command) && Boolean.FALSE.equals(last)) {
        io.err().println("hgrpc: pushkey: the server did not change the key (its value was not the old value "
            + "given, or the server refused)");
        return ExitCodes.COMMAND_ERROR;
      }
    } catch (TransportException e) {
      throw connection.failure(e, base);
    } finally {
      progress.finish();
    }
    return ExitCodes.OK;
  }

  private static final String PUSHKEY = "pushkey";

  /**
   * The arguments, typed by the command's entry in the handshake's capabilities (fetched once
   * by the client and kept); untyped for --untyped, and for a command the server does not
   * list, which it will refuse in its own words.
   */
  private Map<String, Object> arguments(HgrpcClient client, List<ArgumentValues.Pair> pairs) {
    if (untyped) {
      return ArgumentValues.untyped(pairs);
    }
    return client.serverInfo().capabilities().command(command)
        .map(info -> ArgumentValues.typed(pairs, command, ArgumentValues.advertised(info.args())))
        .orElseGet(() -> ArgumentValues.untyped(pairs));
  }

  /**
   * Runs {@code call} and writes its output as the options say; shared with {@code capabilities}.
   *
   * @return the last value printed as JSON, or {@code null}
   */
  static Object run(HgrpcClient client, CommandCall call, Io io, Path output, boolean raw, boolean bytes,
      boolean pretty) throws IOException {
    if (raw) {
      try (InputStream in = client.await(client.callRaw(call)); OutputStream out = Streams.output(io, output)) {
        in.transferTo(out);
      }
      return null;
    }
    try (CommandResult result = client.await(client.call(call)); OutputStream out = Streams.output(io, output)) {
      if (bytes) {
        try (InputStream in = result.bytes()) {
          in.transferTo(out);
        }
        return null;
      }
      return ValuePrinter.print(result.iterator(), out, pretty);
    }
  }
}
