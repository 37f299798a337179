package org.hgrpc.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hgrpc.client.CommandCall;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.frame.HumanFrameSyntaxException;
import org.hgrpc.core.frame.HumanFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hgrpc frames encode}: human frame lines, or one command, to a binary frame file. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {
        "Write binary frames, ready for curl --data-binary @FILE, from human frame lines or from --command.",
        "",
        "--framing 0006 (API exp-http-v2-0003) reads the frame type names of framing 0006 (sender-protocol-settings "
            + "is type 8, stream-settings type 9) and makes --command start with a sender-protocol-settings frame "
            + "listing --encoders, as the client sends it.",
        "",
        "A human frame line is: REQUEST-ID STREAM-ID STREAM-FLAGS TYPE FLAGS PAYLOAD, e.g.",
        "  1 1 stream-begin command-request new cbor:{b'name': b'heads'}",
        "Flags and types are names (stream-begin, command-request, new|more, eos, ...) or numbers, "
            + "several flags joined with |. A payload starting cbor: is a Python literal encoded as CBOR; any other "
            + "payload is bytes with Python escapes (\\x00, \\n, \\\\). Lines are read as Latin-1 (one char, one "
            + "byte); blank lines and lines starting with # are skipped."},
    footer = {"", "Examples:",
        "  hgrpc frames encode --command heads --arg publiconly=cbor:True -o heads.frames",
        "  hgrpc frames encode --framing 0006 --encoders zlib,identity --command heads -o heads.frames",
        "  echo \"1 1 stream-begin command-request new cbor:{b'name': b'heads'}\" | hgrpc frames encode -o heads.frames"})
final class FramesEncodeCommand implements Callable<Integer> {
  private final Io io;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "File of human frame lines (default: standard input; - too).")
  Path input;

  @Option(names = "--command", paramLabel = "NAME",
      description = "Encode one command request named NAME instead of reading frame lines.")
  String command;

  @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "An argument of --command. " + ArgumentValues.SYNTAX)
  List<String> args = new ArrayList<>();

  @Option(names = "--request-id", paramLabel = "N", defaultValue = "1",
      description = "The request id of --command (default: ${DEFAULT-VALUE}; clients use odd ids).")
  int requestId;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the frames to FILE (default: standard output, unless it is a terminal; - for standard "
          + "output anyway).")
  Path output;

  @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = "0005", converter = FramingConverter.class,
      description = "The framing: 0005 (API exp-http-v2-0001) or 0006 (API exp-http-v2-0003) (default: 0005).")
  Framing framing;

  @Option(names = "--encoders", paramLabel = "NAMES", split = ",", converter = ApiOptions.EncodingConverter.class,
      description = "With --framing 0006 and --command, the content encodings the settings frame offers, most "
          + "preferred first (default: zstd-8mb,zlib,identity).")
  List<String> encoders;

  FramesEncodeCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (command != null && input != null) {
      throw new ParameterException(spec.commandLine(), "give either FILE or --command, not both");
    }
    if (command == null && !args.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--arg needs --command");
    }
    if (encoders != null && (command == null || !framing.hasContentEncoding())) {
      throw new ParameterException(spec.commandLine(), "--encoders needs --command and --framing 0006");
    }
    Streams.refuseBinaryToTerminal(io, output, "binary frames");
    List<Frame> frames = command != null ? commandFrames() : readLines();
    try (OutputStream out = Streams.output(io, output)) {
      for (Frame f : frames) {
        f.writeTo(out);
      }
    }
    return ExitCodes.OK;
  }

  private List<Frame> commandFrames() {
    if (requestId < 0 || requestId > 0xffff) {
      throw new ParameterException(spec.commandLine(), "--request-id must be 0..65535: " + requestId);
    }
    // CommandCall converts the values as a Java caller's would be (strings to UTF-8 bytes).
    CommandCall call = CommandCall.of(command, ArgumentValues.parse(args));
    Map<ByteString, Object> wireArgs = new LinkedHashMap<>();
    call.args().forEach((k, v) -> wireArgs.put(ByteString.utf8(k), v));
    FrameStream stream = new FrameStream(1);
    List<Frame> frames = new ArrayList<>();
    if (framing.hasContentEncoding()) {
      List<String> offered = encoders != null ? ContentEncodings.of(encoders).names() : ContentEncodings.DEFAULT.names();
      frames.add(Frames.createSenderProtocolSettingsFrame(stream, requestId, offered));
    }
    frames.addAll(Frames.createCommandFrames(stream, requestId, ByteString.utf8(command), wireArgs, null).toList());
    return frames;
  }

  private List<Frame> readLines() throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (InputStream in = Streams.input(io, input);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }
        try {
          frames.add(HumanFrames.parse(framing, line));
        } catch (HumanFrameSyntaxException e) {
          throw new HumanFrameSyntaxException("line " + number + ": " + e.getMessage(), e);
        }
      }
    }
    return frames;
  }
}
