package org.hgrpc.client.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hgrpc.client.CommandCall;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.TransportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hgrpc capabilities URL}: what the server offers. */
@Command(name = "capabilities", mixinStandardHelpOptions = true,
    description = {
        "Print the capabilities of the server at URL as JSON: its commands with their arguments and "
            + "permissions, compression engines and framing media types (the capabilities command). With "
            + "--handshake, print the handshake's answer instead (apibase, apis, v1capabilities): it describes "
            + "every API the server offers of those the client names (exp-http-v2-0003, exp-http-v2-0001). "
            + "--api forces one API, --encoders sets the content encodings offered with 0003.",
        "",
        Json.RULE},
    footer = {"", "Examples:", "  hgrpc capabilities http://127.0.0.1:8000/",
        "  hgrpc capabilities --handshake http://127.0.0.1:8000/"})
final class CapabilitiesCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(index = "0", paramLabel = "URL", description = "The server's base URL (http:// or https://).")
  String url;

  @Option(names = "--handshake", description = "Print the handshake's answer (GET URL?cmd=capabilities).")
  boolean handshake;

  @Option(names = "--raw", description = "Write the capabilities command's response frames instead of JSON.")
  boolean raw;

  @Option(names = "--compact", description = "One line of JSON instead of indented JSON.")
  boolean compact;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  Path output;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  CapabilitiesCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    URI base = ConnectionOptions.baseUrl(url);
    if (raw) {
      Streams.refuseBinaryToTerminal(io, output, "binary frames (--raw)");
    }
    try (HgrpcClient client = connection.client(io, base, (uri, bytes) -> {})) {
      if (handshake) {
        try (OutputStream out = Streams.output(io, output)) {
          ValuePrinter.print(List.<Object>of(client.serverInfo().raw()).iterator(), out, !compact);
        }
      } else {
        CallCommand.run(client, CommandCall.of("capabilities"), io, output, raw, false, !compact);
      }
    } catch (TransportException e) {
      throw connection.failure(e, base);
    }
    return ExitCodes.OK;
  }
}
