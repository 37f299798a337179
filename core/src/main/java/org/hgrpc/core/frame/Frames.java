package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameConstants.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborEncoder;

/**
 * The reference's frame creation helpers ({@code createcommandframes},
 * {@code createcommandresponseframesfrombytes}, ...), producing exactly its frames.
 */
public final class Frames {
  private Frames() {}

  private static final ByteString KEY_NAME = ByteString.latin1("name");
  private static final ByteString KEY_ARGS = ByteString.latin1("args");
  private static final ByteString KEY_STATUS = ByteString.latin1("status");
  private static final ByteString KEY_ERROR = ByteString.latin1("error");
  private static final ByteString KEY_MESSAGE = ByteString.latin1("message");
  private static final ByteString KEY_TYPE = ByteString.latin1("type");
  private static final ByteString KEY_MSG = ByteString.latin1("msg");
  private static final ByteString KEY_LABELS = ByteString.latin1("labels");
  private static final ByteString KEY_REDIRECT = ByteString.latin1("redirect");
  private static final ByteString KEY_LOCATION = ByteString.latin1("location");
  private static final ByteString LOCATION_URL = ByteString.latin1("url");
  private static final ByteString LOCATION_MEDIATYPE = ByteString.latin1("mediatype");
  private static final ByteString KEY_CONTENTENCODINGS = ByteString.latin1("contentencodings");
  private static final ByteString REDIRECT = ByteString.latin1("redirect");
  private static final ByteString OK = ByteString.latin1("ok");
  private static final ByteString ERROR = ByteString.latin1("error");

  /** {@code {b'status': b'ok'}} encoded: the start of every successful response. */
  public static final ByteString OVERALL_OK = CborEncoder.encodeToByteString(Map.of(KEY_STATUS, OK));

  /**
   * The frames of a command request ({@code createcommandframes}): the CBOR map
   * {@code {b'name': command, b'args': args}} (args left out when empty) split into command
   * request frames of {@code maxFrameSize}, then, when {@code data} is given, its bytes in
   * command data frames of {@link FrameConstants#DEFAULT_MAX_FRAME_SIZE} (as the reference
   * does, whatever {@code maxFrameSize} is). Data is read while the frames are taken; a read
   * failure surfaces as {@link UncheckedIOException}.
   */
  public static FrameIterator createCommandFrames(FrameStream stream, int requestId, ByteString command,
      Map<?, ?> args, InputStream data, int maxFrameSize) {
    return createCommandFrames(stream, requestId, command, args, data, maxFrameSize, null);
  }

  /**
   * {@link #createCommandFrames(FrameStream, int, ByteString, Map, InputStream, int)} with the
   * framing 0006 {@code redirect} map (its redirect targets and hashes), left out when null or
   * empty.
   */
  public static FrameIterator createCommandFrames(FrameStream stream, int requestId, ByteString command,
      Map<?, ?> args, InputStream data, int maxFrameSize, Map<?, ?> redirect) {
    Map<Object, Object> request = new LinkedHashMap<>();
    request.put(KEY_NAME, command);
    if (args != null && !args.isEmpty()) {
      request.put(KEY_ARGS, args);
    }
    if (redirect != null && !redirect.isEmpty()) {
      request.put(KEY_REDIRECT, redirect);
    }
    byte[] encoded = CborEncoder.encode(request);
    return new FrameIterator() {
      private int offset;
      private boolean requestDone;
      private boolean dataDone = data == null;

      @Override
      protected Frame computeNext() {
        if (!requestDone) {
          int flags = offset == 0 ? FLAG_COMMAND_REQUEST_NEW : FLAG_COMMAND_REQUEST_CONTINUATION;
          if (data != null) {
            flags |= FLAG_COMMAND_REQUEST_EXPECT_DATA;
          }
          int n = Math.min(maxFrameSize, encoded.length - offset);
          ByteString payload = ByteString.copyOf(encoded, offset, n);
          offset += n;
          if (n == maxFrameSize && offset < encoded.length) {
            flags |= FLAG_COMMAND_REQUEST_MORE_FRAMES;
          } else {
            requestDone = true;
          }
          return stream.makeFrame(requestId, FrameType.COMMAND_REQUEST, flags, payload);
        }
        if (dataDone) {
          return null;
        }
        byte[] chunk;
        try {
          chunk = data.readNBytes(DEFAULT_MAX_FRAME_SIZE);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        int flags;
        if (chunk.length == DEFAULT_MAX_FRAME_SIZE) {
          flags = FLAG_COMMAND_DATA_CONTINUATION;
        } else {
          flags = FLAG_COMMAND_DATA_EOS;
          dataDone = true;
        }
        return stream.makeFrame(requestId, FrameType.COMMAND_DATA, flags, ByteString.wrap(chunk));
      }
    };
  }

  /** {@link #createCommandFrames} with the default frame size. */
  public static FrameIterator createCommandFrames(FrameStream stream, int requestId, ByteString command,
      Map<?, ?> args, InputStream data) {
    return createCommandFrames(stream, requestId, command, args, data, DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * A bytes response ({@code createcommandresponseframesfrombytes}): {@code {b'status': b'ok'}}
   * followed by {@code data}; one frame when both fit, else the status in its own frame and the
   * data split at {@code maxFrameSize}. The last frame has the end-of-stream flag.
   */
  public static FrameIterator createCommandResponseFramesFromBytes(FrameStream stream, int requestId,
      ByteString data, int maxFrameSize) {
    if (OVERALL_OK.size() > maxFrameSize) {
      throw new IllegalArgumentException("maxFrameSize too small for the response status: " + maxFrameSize);
    }
    if (OVERALL_OK.size() + data.size() <= maxFrameSize) {
      return FrameIterator.lazy(() -> stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_EOS,
          OVERALL_OK.concat(data)));
    }
    return new FrameIterator() {
      private boolean sentOverall;
      private int offset;
      private boolean done;

      @Override
      protected Frame computeNext() {
        if (!sentOverall) {
          sentOverall = true;
          return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_CONTINUATION,
              OVERALL_OK);
        }
        if (done) {
          return null;
        }
        int end = Math.min(data.size(), offset + maxFrameSize);
        ByteString chunk = data.substring(offset, end);
        offset = end;
        done = offset == data.size();
        return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE,
            done ? FLAG_COMMAND_RESPONSE_EOS : FLAG_COMMAND_RESPONSE_CONTINUATION, chunk);
      }
    };
  }

  /** {@link #createCommandResponseFramesFromBytes} with the default frame size. */
  public static FrameIterator createCommandResponseFramesFromBytes(FrameStream stream, int requestId,
      ByteString data) {
    return createCommandResponseFramesFromBytes(stream, requestId, data, DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * Frames of exactly {@code maxFrameSize} bytes (the last one shorter) from chunks of any size
   * ({@code createbytesresponseframesfromgen}). Every frame has the continuation flag: another
   * frame must end the response.
   */
  public static FrameIterator createBytesResponseFramesFromGen(FrameStream stream, int requestId,
      Iterator<ByteString> chunks, int maxFrameSize) {
    return new FrameIterator() {
      private ByteString current = ByteString.EMPTY;
      private int pos;

      @Override
      protected Frame computeNext() {
        ByteBuffer frame = ByteBuffer.allocate(maxFrameSize);
        while (frame.hasRemaining()) {
          if (pos == current.size()) {
            if (!chunks.hasNext()) {
              break;
            }
            current = chunks.next();
            pos = 0;
            continue;
          }
          int n = Math.min(frame.remaining(), current.size() - pos);
          current.substring(pos, pos + n).writeTo(frame);
          pos += n;
        }
        if (frame.position() == 0) {
          return null;
        }
        frame.flip();
        return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_CONTINUATION,
            ByteString.copyOf(frame));
      }
    };
  }

  /**
   * The frame that starts a successful response ({@code createcommandresponseokframe}). Once
   * the stream's settings frame was sent (0006) the status goes through the encoder and the
   * frame is flagged encoded; {@code null} when the encoder gives nothing for it.
   */
  public static Frame createCommandResponseOkFrame(FrameStream stream, int requestId) {
    ByteString payload = OVERALL_OK;
    boolean encoded = stream.streamSettingsSent();
    if (encoded) {
      payload = stream.encode(payload);
      if (payload.isEmpty()) {
        return null;
      }
    }
    return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE.id(), FLAG_COMMAND_RESPONSE_CONTINUATION, payload,
        encoded);
  }

  /**
   * The frames that end a response in framing 0006 ({@code createcommandresponseeosframes}):
   * the stream's flush output in frames of {@code maxFrameSize}, the last flagged {@code eos};
   * one empty {@code eos} frame when there is none. Flagged encoded when the output is not empty.
   */
  public static List<Frame> createCommandResponseEosFrames(FrameStream stream, int requestId, int maxFrameSize) {
    ByteString payload = stream.flush();
    List<Frame> frames = new ArrayList<>();
    int offset = 0;
    while (true) {
      int end = Math.min(payload.size(), offset + maxFrameSize);
      ByteString chunk = payload.substring(offset, end);
      offset = end;
      boolean done = offset == payload.size();
      frames.add(stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE.id(),
          done ? FLAG_COMMAND_RESPONSE_EOS : FLAG_COMMAND_RESPONSE_CONTINUATION, chunk, !payload.isEmpty()));
      if (done) {
        return frames;
      }
    }
  }

  /**
   * A redirect ({@code createalternatelocationresponseframe}, 0006): one continuation frame
   * holding {@code {b'status': b'redirect', b'location': location}}, through the encoder (and
   * flagged encoded, even when the encoder gives nothing) once the stream's settings were sent.
   *
   * @param location the location's attributes keyed by their wire names ({@code url},
   *     {@code mediatype}, and where set {@code size}, {@code fullhashes}, {@code fullhashseed},
   *     {@code serverdercerts}, {@code servercadercerts})
   */
  public static Frame createAlternateLocationResponseFrame(FrameStream stream, int requestId, Map<?, ?> location) {
    ByteString payload = encodeRedirect(location);
    boolean encoded = stream.streamSettingsSent();
    if (encoded) {
      payload = stream.encode(payload);
    }
    return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE.id(), FLAG_COMMAND_RESPONSE_CONTINUATION, payload,
        encoded);
  }

  /**
   * {@code {b'location': location, b'status': b'redirect'}} as the reference's recorded answers
   * have it: within the location, {@code mediatype} and {@code url} first, then the optional
   * attributes, each group in sorted order (the reference's keys of the two groups were of
   * different string types, which its encoder sorts apart).
   */
  private static ByteString encodeRedirect(Map<?, ?> location) {
    java.util.TreeMap<ByteString, Object> required = new java.util.TreeMap<>();
    java.util.TreeMap<ByteString, Object> optional = new java.util.TreeMap<>();
    for (Map.Entry<?, ?> e : location.entrySet()) {
      if (!(e.getKey() instanceof ByteString)) {
        throw new IllegalArgumentException("location attribute names must be byte strings: " + e.getKey());
      }
      ByteString key = (ByteString) e.getKey();
      boolean isRequired = key.equals(LOCATION_URL) || key.equals(LOCATION_MEDIATYPE);
      (isRequired ? required : optional).put(key, e.getValue());
    }
    if (!required.containsKey(LOCATION_URL) || !required.containsKey(LOCATION_MEDIATYPE)) {
      throw new IllegalArgumentException("a location needs url and mediatype: " + location.keySet());
    }
    int count = required.size() + optional.size();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0xa2); // a map of two: location, status (sorted)
    out.writeBytes(CborEncoder.encode(KEY_LOCATION));
    out.writeBytes(CborEncoder.encodeMapHeader(count));
    for (java.util.TreeMap<ByteString, Object> group : List.of(required, optional)) {
      for (Map.Entry<ByteString, Object> e : group.entrySet()) {
        out.writeBytes(CborEncoder.encode(e.getKey()));
        out.writeBytes(CborEncoder.encode(e.getValue()));
      }
    }
    out.writeBytes(CborEncoder.encode(KEY_STATUS));
    out.writeBytes(CborEncoder.encode(REDIRECT));
    return ByteString.wrap(out.toByteArray());
  }

  /**
   * The client's settings (0006): one {@code sender-protocol-settings} {@code eos} frame
   * holding {@code {b'contentencodings': [names]}}.
   */
  public static Frame createSenderProtocolSettingsFrame(FrameStream stream, int requestId, List<String> encodings) {
    List<Object> names = new ArrayList<>();
    for (String n : encodings) {
      names.add(ByteString.latin1(n));
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(KEY_CONTENTENCODINGS, names);
    return stream.makeFrame(requestId, FrameType.SENDER_PROTOCOL_SETTINGS.id(org.hgrpc.core.Framing.V0006),
        FLAG_SETTINGS_EOS, CborEncoder.encodeToByteString(m), false);
  }

  /** The empty frame that ends a response ({@code createcommandresponseeosframe}). */
  public static Frame createCommandResponseEosFrame(FrameStream stream, int requestId) {
    return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_EOS, ByteString.EMPTY);
  }

  /**
   * A command's failure ({@code createcommanderrorresponse}): one end-of-stream response frame
   * holding {@code {b'status': b'error', b'error': {b'message': message, b'args': args}}},
   * args left out when empty. The message may hold {@code %s} placeholders for the args.
   */
  public static Frame createCommandErrorResponse(FrameStream stream, int requestId, ByteString message,
      List<?> args) {
    Map<Object, Object> error = new LinkedHashMap<>();
    error.put(KEY_MESSAGE, message);
    if (args != null && !args.isEmpty()) {
      error.put(KEY_ARGS, args);
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(KEY_STATUS, ERROR);
    m.put(KEY_ERROR, error);
    return stream.makeFrame(requestId, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_EOS,
        CborEncoder.encodeToByteString(m));
  }

  /**
   * An error frame ({@code createerrorframe}): {@code {b'type': errtype, b'message': [{b'msg': msg}]}}.
   *
   * @throws IllegalArgumentException if the message is longer than
   *     {@link FrameConstants#DEFAULT_MAX_FRAME_SIZE} (the reference asserts it; see
   *     {@link #truncateErrorMessage})
   */
  public static Frame createErrorFrame(FrameStream stream, int requestId, ByteString message, ByteString errorType) {
    if (message.size() > DEFAULT_MAX_FRAME_SIZE) {
      throw new IllegalArgumentException("error message longer than " + DEFAULT_MAX_FRAME_SIZE + " bytes: "
          + message.size());
    }
    ByteString msg = message;
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(KEY_TYPE, errorType);
    m.put(KEY_MESSAGE, List.of(Map.of(KEY_MSG, msg)));
    return stream.makeFrame(requestId, FrameType.ERROR_RESPONSE, 0, CborEncoder.encodeToByteString(m));
  }

  /** {@code message} cut to the most an error frame may carry, for messages of any length (exceptions). */
  public static ByteString truncateErrorMessage(ByteString message) {
    return message.size() > DEFAULT_MAX_FRAME_SIZE ? message.substring(0, DEFAULT_MAX_FRAME_SIZE) : message;
  }

  /**
   * One atom of text output: a format string with {@code %s} placeholders, its arguments and
   * labels for styling (a {@code ui.write()} call).
   *
   * @param formatting must be ASCII
   * @param args UTF-8; malformed sequences are replaced
   * @param labels must be ASCII
   */
  public record TextAtom(ByteString formatting, List<ByteString> args, List<ByteString> labels) {
    /** Copies the lists. */
    public TextAtom {
      args = List.copyOf(args);
      labels = List.copyOf(labels);
    }
  }

  /**
   * A text output frame ({@code createtextoutputframe}), validating as the reference does.
   *
   * @throws IllegalArgumentException if a format string or label is not ASCII, or the atoms do
   *     not fit in one frame of {@code maxFrameSize}
   */
  public static Frame createTextOutputFrame(FrameStream stream, int requestId, List<TextAtom> atoms,
      int maxFrameSize) {
    List<Object> atomMaps = new ArrayList<>();
    for (TextAtom atom : atoms) {
      requireAscii(atom.formatting(), "formatting string");
      Map<Object, Object> m = new LinkedHashMap<>();
      m.put(KEY_MSG, atom.formatting());
      if (!atom.args().isEmpty()) {
        List<Object> args = new ArrayList<>();
        for (ByteString a : atom.args()) {
          args.add(ByteString.utf8(a.utf8()));
        }
        m.put(KEY_ARGS, args);
      }
      if (!atom.labels().isEmpty()) {
        for (ByteString l : atom.labels()) {
          requireAscii(l, "label");
        }
        m.put(KEY_LABELS, new ArrayList<>(atom.labels()));
      }
      atomMaps.add(m);
    }
    ByteString payload = CborEncoder.encodeToByteString(atomMaps);
    if (payload.size() > maxFrameSize) {
      throw new IllegalArgumentException("cannot encode data in a single frame");
    }
    return stream.makeFrame(requestId, FrameType.TEXT_OUTPUT, 0, payload);
  }

  /** {@link #createTextOutputFrame} with the default frame size. */
  public static Frame createTextOutputFrame(FrameStream stream, int requestId, List<TextAtom> atoms) {
    return createTextOutputFrame(stream, requestId, atoms, DEFAULT_MAX_FRAME_SIZE);
  }

  private static void requireAscii(ByteString b, String what) {
    try {
      CharBuffer unused = StandardCharsets.US_ASCII.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(b.asByteBuffer());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " must be ASCII: " + b);
    }
  }
}
