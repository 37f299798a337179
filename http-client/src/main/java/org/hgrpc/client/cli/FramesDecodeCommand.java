package org.hgrpc.client.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hgrpc.client.Values;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.StreamingCborDecoder;
import org.hgrpc.core.encoding.ContentDecoder;
import org.hgrpc.core.encoding.ContentDecodingException;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameConstants;
import org.hgrpc.core.frame.FrameReader;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.HumanFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hgrpc frames decode}: binary frames to one line per frame and the decoded CBOR as JSON. */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = {
        "Show binary frames (a request file or a response body) as text: one line per frame, then, for each "
            + "request, the CBOR its command-request, command-response, error-response, text-output and "
            + "progress frames carry, one JSON value per line.",
        "",
        "--format human prints the line syntax frames encode reads (so the output of decode, less the JSON, "
            + "encodes back to the same bytes); --format repr prints Mercurial's frame(size=...; ...) rendering, "
            + "which shows sizes instead of payloads.",
        "",
        Json.RULE})
final class FramesDecodeCommand implements Callable<Integer> {
  /** How each frame is shown. */
  enum Format {
    /** The human frame syntax of frames encode. */
    human,
    /** The reference's repr: header fields and the payload size. */
    repr
  }

  private static final List<FrameType> DECODED = List.of(FrameType.COMMAND_REQUEST, FrameType.COMMAND_RESPONSE,
      FrameType.ERROR_RESPONSE, FrameType.TEXT_OUTPUT, FrameType.PROGRESS);

  private final Io io;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "The binary frames (default: standard input; - too).")
  Path input;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "human",
      description = "How to show each frame: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--no-frames", description = "Do not show the frames, only the decoded values.")
  boolean noFrames;

  @Option(names = "--no-values", description = "Do not decode the CBOR, only show the frames.")
  boolean noValues;

  @Option(names = "--compact", description = "One line per JSON value instead of indented JSON.")
  boolean compact;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
  Path output;

  @Option(names = "--framing", paramLabel = "FRAMING", defaultValue = "0005", converter = FramingConverter.class,
      description = "The framing: 0005 (API exp-http-v2-0001) or 0006 (API exp-http-v2-0003) (default: 0005).")
  Framing framing;

  /** Framing 0006: the content decoder of each stream, from its stream-settings frame. */
  private final Map<Integer, ContentDecoder> streamDecoders = new HashMap<>();
  /** Framing 0006: each stream's stream-settings CBOR until its last settings frame. */
  private final Map<Integer, StreamingCborDecoder> streamSettings = new HashMap<>();

  FramesDecodeCommand(Io io) {
    this.io = io;
  }

  /** The CBOR carried by frames of one type for one request. */
  private static final class Group {
    final StreamingCborDecoder decoder = new StreamingCborDecoder(new CborDecoder(Limits.UNLIMITED.maxCborDepth(),
        Limits.UNLIMITED.maxFramePayload()));
    final List<Object> values = new ArrayList<>();
    String error;
  }

  @Override
  public Integer call() throws IOException {
    String failure;
    try (InputStream file = new BufferedInputStream(Streams.input(io, input))) {
      // Looked at before the output is opened, so that text input leaves no empty output file.
      byte[] start = file.readNBytes(TextInput.PEEK + 1);
      Optional<String> text = TextInput.of(start, start.length <= TextInput.PEEK);
      if (text.isPresent()) {
        throw new ExitCodes.DecodeFailure("the input is not frames but text: " + text.get());
      }
      failure = decode(new SequenceInputStream(new ByteArrayInputStream(start), file));
    }
    if (failure != null) {
      throw new ExitCodes.DecodeFailure(failure);
    }
    return ExitCodes.OK;
  }

  /** Prints the frames of {@code in}, then their values; returns the first problem found. */
  private String decode(InputStream in) throws IOException {
    Map<String, Group> groups = new LinkedHashMap<>();
    String failure = null;
    try (OutputStream raw = Streams.output(io, output);
        PrintStream out = new PrintStream(raw, false, StandardCharsets.UTF_8)) {
      FrameReader reader = new FrameReader(in, Limits.UNLIMITED);
      while (true) {
        Frame frame;
        try {
          frame = reader.readFrame();
        } catch (ProtocolException e) {
          failure = e.getMessage();
          break;
        }
        if (frame == null) {
          break;
        }
        if (!noFrames) {
          out.println(format == Format.human ? HumanFrames.format(framing, frame) : frame.describe(framing));
        }
        if (!framing.hasContentEncoding()) {
          collect(groups, frame);
        } else {
          String problem = decodeStream(frame, groups);
          if (problem != null) {
            failure = problem;
            break;
          }
        }
      }
      if (!noValues) {
        failure = printValues(out, groups, failure);
      }
      out.flush();
      if (out.checkError()) {
        throw new IOException("cannot write the output");
      }
    }
    return failure;
  }

  /**
   * Framing 0006: reads a stream-settings frame, or decodes an encoded frame's payload with its
   * stream's decoder, then collects it. Returns what went wrong, or {@code null}.
   */
  private String decodeStream(Frame frame, Map<String, Group> groups) {
    int streamId = frame.streamId();
    if (frame.is(framing, FrameType.STREAM_SETTINGS)) {
      StreamingCborDecoder settings = streamSettings.computeIfAbsent(streamId, id -> new StreamingCborDecoder(
          new CborDecoder(Limits.DEFAULTS.maxCborDepth(), Limits.DEFAULTS.maxFramePayload())));
      try {
        List<Object> values = settings.feed(frame.payload());
        if ((frame.flags() & FrameConstants.FLAG_SETTINGS_EOS) == 0) {
          return null;
        }
        settings.finish();
        streamSettings.remove(streamId);
        if (values.isEmpty() || !(values.get(0) instanceof ByteString name)) {
          return "stream " + streamId + ": the stream-settings frame names no encoding";
        }
        String encoding = name.utf8();
        ContentDecoder decoder = ContentEncodings.DEFAULT.newDecoder(encoding, Limits.DEFAULTS.maxDecodedPayload())
            .orElse(null);
        if (decoder == null) {
          return "stream " + streamId + ": unknown content encoding " + encoding + "; known: "
              + String.join(", ", ContentEncodings.known());
        }
        streamDecoders.put(streamId, decoder);
        return null;
      } catch (CborDecodeException e) {
        return "stream " + streamId + ": invalid stream-settings CBOR: " + e.getMessage();
      }
    }
    Frame decoded = frame;
    ContentDecoder decoder = streamDecoders.get(streamId);
    if ((frame.streamFlags() & FrameConstants.STREAM_FLAG_ENCODING_APPLIED) != 0 && decoder != null) {
      try {
        decoded = new Frame(frame.requestId(), streamId, frame.streamFlags(), frame.typeId(), frame.flags(),
            decoder.decode(frame.payload()));
      } catch (ContentDecodingException e) {
        return "stream " + streamId + ": cannot decode " + decoder.name() + ": " + e.getMessage();
      }
    }
    collect(groups, decoded);
    return null;
  }

  private void collect(Map<String, Group> groups, Frame frame) {
    FrameType type = frame.type(framing).orElse(null);
    if (noValues || type == null || !DECODED.contains(type)) {
      return;
    }
    Group g = groups.computeIfAbsent("request " + frame.requestId() + " " + type.humanName(), k -> new Group());
    if (g.error != null) {
      return;
    }
    try {
      g.values.addAll(g.decoder.feed(frame.payload()));
    } catch (CborDecodeException e) {
      g.error = "invalid CBOR: " + e.getMessage();
    }
  }

  /** Prints each group's values; returns the first problem found, if {@code failure} was none. */
  private String printValues(PrintStream out, Map<String, Group> groups, String failure) {
    boolean first = true;
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      if (g.error == null) {
        try {
          g.decoder.finish();
        } catch (CborDecodeException ex) {
          g.error = "incomplete CBOR value at the end";
        }
      }
      if (!first || !noFrames) {
        out.println(); // a blank line between the frames and each group
      }
      first = false;
      out.println(e.getKey() + ":");
      for (Object v : Values.joinChunks(g.values)) {
        out.println(Json.render(v, !compact));
      }
      if (g.error != null) {
        out.println("# " + g.error);
        if (failure == null) {
          failure = e.getKey() + ": " + g.error;
        }
      }
    }
    return failure;
  }
}
