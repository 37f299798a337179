package org.hgrpc.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hgrpc.client.Values;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hgrpc cbor}: CBOR values that are not in frames (the handshake's answer) as JSON. */
@Command(name = "cbor", mixinStandardHelpOptions = true,
    description = {
        "Show CBOR values as JSON, one per line: for CBOR that does not come in frames, such as the answer of "
            + "the handshake (GET URL?cmd=capabilities). For frames use frames decode.",
        "",
        Json.RULE},
    footer = {"", "Example:",
        "  curl -sS -H 'X-HgUpgrade-1: exp-http-v2-0001' -H 'X-HgProto-1: cbor' "
            + "-H 'Accept: application/mercurial-0.1' 'http://127.0.0.1:8000/?cmd=capabilities' | hgrpc cbor"})
final class CborCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "The CBOR (default: standard input; - too).")
  Path input;

  @Option(names = "--compact", description = "One line per JSON value instead of indented JSON.")
  boolean compact;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  Path output;

  CborCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    byte[] data;
    try (InputStream in = Streams.input(io, input)) {
      data = in.readAllBytes();
    }
    java.util.List<Object> values;
    try {
      values = CborDecoder.decodeAll(ByteString.wrap(data), new CborDecoder(Limits.UNLIMITED.maxCborDepth(),
          Integer.MAX_VALUE - 8));
    } catch (CborDecodeException e) {
      throw new ExitCodes.DecodeFailure("invalid CBOR: " + e.getMessage());
    }
    try (OutputStream out = Streams.output(io, output)) {
      ValuePrinter.print(Values.joinChunks(values).iterator(), out, !compact);
    }
    return ExitCodes.OK;
  }
}
