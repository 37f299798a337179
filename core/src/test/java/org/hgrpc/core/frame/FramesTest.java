package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameConstants.*;
import static org.hgrpc.core.frame.FrameTestSupport.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.junit.jupiter.api.Test;

class FramesTest {

  private static final ByteString HEADS = latin1("heads");

  private static Object decodeOne(ByteString payload) throws CborDecodeException {
    List<Object> values = CborDecoder.decodeAll(payload);
    assertEquals(1, values.size());
    return values.get(0);
  }

  private static ByteString concat(List<Frame> frames) {
    ByteString all = ByteString.EMPTY;
    for (Frame f : frames) {
      all = all.concat(f.payload());
    }
    return all;
  }

  // ---- FrameStream ----

  @Test
  void onlyTheFirstFrameOfAStreamBeginsIt() {
    FrameStream s = new FrameStream(3);
    assertFalse(s.isActive());
    Frame first = s.makeFrame(1, FrameType.COMMAND_DATA, 2, latin1("a"));
    Frame second = s.makeFrame(1, FrameType.COMMAND_DATA, 2, latin1("b"));
    assertTrue(s.isActive());
    assertEquals(new Frame(1, 3, STREAM_FLAG_BEGIN_STREAM, FrameType.COMMAND_DATA, 2, latin1("a")), first);
    assertEquals(0, second.streamFlags());
    assertEquals(3, s.streamId());
  }

  @Test
  void anActiveStreamNeverBegins() {
    assertEquals(0, new FrameStream(2, true).makeFrame(1, FrameType.PROGRESS, 0, ByteString.EMPTY).streamFlags());
  }

  @Test
  void streamIdIsOneByte() {
    assertThrows(IllegalArgumentException.class, () -> new FrameStream(256));
    assertThrows(IllegalArgumentException.class, () -> new FrameStream(-1));
    assertEquals(255, new FrameStream(255).streamId());
  }

  // ---- FrameIterator ----

  @Test
  void frameIteratorBasics() {
    Frame a = new Frame(1, 1, 0, FrameType.PROGRESS, 0, ByteString.EMPTY);
    FrameIterator it = FrameIterator.of(List.of(a, a));
    assertTrue(it.hasNext());
    assertTrue(it.hasNext());
    assertSame(a, it.next());
    assertEquals(List.of(a), it.toList());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertFalse(FrameIterator.empty().hasNext());
  }

  // ---- createCommandFrames ----

  @Test
  void commandWithoutArgsLeavesArgsOut() throws CborDecodeException {
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, Map.of(), null).toList();
    assertEquals(1, frames.size());
    Frame f = frames.get(0);
    assertEquals(FLAG_COMMAND_REQUEST_NEW, f.flags());
    assertEquals(STREAM_FLAG_BEGIN_STREAM, f.streamFlags());
    assertEquals(Map.of(latin1("name"), HEADS), decodeOne(f.payload()));
  }

  @Test
  void requestSplitAcrossFramesOfMaxSize() throws CborDecodeException {
    Map<ByteString, ByteString> args = Map.of(latin1("key"), ByteString.wrap(new byte[40]));
    byte[] encoded = CborEncoder.encode(Map.of(latin1("name"), HEADS, latin1("args"), args));
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 5, HEADS, args, null, 16).toList();
    assertEquals((encoded.length + 15) / 16, frames.size());
    assertEquals(FLAG_COMMAND_REQUEST_NEW | FLAG_COMMAND_REQUEST_MORE_FRAMES, frames.get(0).flags());
    for (int i = 1; i < frames.size() - 1; i++) {
      assertEquals(FLAG_COMMAND_REQUEST_CONTINUATION | FLAG_COMMAND_REQUEST_MORE_FRAMES, frames.get(i).flags());
      assertEquals(16, frames.get(i).payload().size());
    }
    assertEquals(FLAG_COMMAND_REQUEST_CONTINUATION, frames.get(frames.size() - 1).flags());
    assertEquals(ByteString.wrap(encoded), concat(frames));
  }

  @Test
  void requestOfExactlyTwoFramesHasNoTrailingEmptyFrame() {
    byte[] encoded = CborEncoder.encode(Map.of(latin1("name"), HEADS));
    assertEquals(12, encoded.length);
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, null, null, 6).toList();
    assertEquals(2, frames.size());
    assertEquals(FLAG_COMMAND_REQUEST_CONTINUATION, frames.get(1).flags());
    assertEquals(6, frames.get(1).payload().size());
  }

  @Test
  void dataFramesAfterTheRequestWithHaveDataOnEveryRequestFrame() {
    byte[] data = new byte[DEFAULT_MAX_FRAME_SIZE + 10];
    data[DEFAULT_MAX_FRAME_SIZE] = 7;
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, Map.of(),
        new ByteArrayInputStream(data)).toList();
    assertEquals(3, frames.size());
    assertEquals(FLAG_COMMAND_REQUEST_NEW | FLAG_COMMAND_REQUEST_EXPECT_DATA, frames.get(0).flags());
    assertEquals(FrameType.COMMAND_DATA.id(), frames.get(1).typeId());
    assertEquals(FLAG_COMMAND_DATA_CONTINUATION, frames.get(1).flags());
    assertEquals(DEFAULT_MAX_FRAME_SIZE, frames.get(1).payload().size());
    assertEquals(FLAG_COMMAND_DATA_EOS, frames.get(2).flags());
    assertEquals(10, frames.get(2).payload().size());
    assertEquals(7, frames.get(2).payload().byteAt(0));
  }

  @Test
  void dataOfExactlyOneFrameEndsWithAnEmptyEosFrame() {
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, Map.of(),
        new ByteArrayInputStream(new byte[DEFAULT_MAX_FRAME_SIZE])).toList();
    assertEquals(3, frames.size());
    assertEquals(FLAG_COMMAND_DATA_CONTINUATION, frames.get(1).flags());
    assertEquals(FLAG_COMMAND_DATA_EOS, frames.get(2).flags());
    assertTrue(frames.get(2).payload().isEmpty());
  }

  @Test
  void emptyDataIsOneEmptyEosFrame() {
    List<Frame> frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, Map.of(),
        new ByteArrayInputStream(new byte[0])).toList();
    assertEquals(2, frames.size());
    assertEquals(FLAG_COMMAND_DATA_EOS, frames.get(1).flags());
    assertTrue(frames.get(1).payload().isEmpty());
  }

  @Test
  void dataReadFailureSurfacesAsUncheckedIoWhenTheDataFrameIsTaken() {
    IOException boom = new IOException("disk on fire");
    int[] reads = {0};
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        reads[0]++;
        throw boom;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        reads[0]++;
        throw boom;
      }
    };
    FrameIterator frames = Frames.createCommandFrames(new FrameStream(1), 1, HEADS, Map.of(), failing);
    assertEquals(0, reads[0], "nothing read before frames are taken");
    assertEquals(FrameType.COMMAND_REQUEST.id(), frames.next().typeId());
    assertEquals(0, reads[0], "request frame needs no data");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, frames::next);
    assertSame(boom, e.getCause());
  }

  @Test
  void theBeginFlagGoesToTheFirstFrameTakenNotTheFirstIteratorMade() {
    FrameStream s = new FrameStream(1);
    FrameIterator madeFirst = Frames.createCommandFrames(s, 1, HEADS, Map.of(), null);
    FrameIterator madeSecond = Frames.createCommandFrames(s, 3, HEADS, Map.of(), null);
    assertFalse(s.isActive(), "making iterators makes no frames");
    Frame takenFirst = madeSecond.next();
    Frame takenSecond = madeFirst.next();
    assertEquals(3, takenFirst.requestId());
    assertEquals(STREAM_FLAG_BEGIN_STREAM, takenFirst.streamFlags());
    assertEquals(0, takenSecond.streamFlags());
  }

  // ---- responses ----

  @Test
  void okStatusEncoding() {
    assertEquals("a146737461747573426f6b", Frames.OVERALL_OK.hex());
  }

  @Test
  void smallBytesResponseIsOneEosFrame() {
    List<Frame> frames = Frames.createCommandResponseFramesFromBytes(new FrameStream(2), 1, latin1("resp")).toList();
    assertEquals(1, frames.size());
    assertEquals(FLAG_COMMAND_RESPONSE_EOS, frames.get(0).flags());
    assertEquals(Frames.OVERALL_OK.concat(latin1("resp")), frames.get(0).payload());
  }

  @Test
  void largeBytesResponseSendsStatusAloneThenChunks() {
    ByteString data = ByteString.wrap(new byte[25]);
    List<Frame> frames = Frames.createCommandResponseFramesFromBytes(new FrameStream(2), 1, data, 11).toList();
    assertEquals(List.of(11, 11, 11, 3), frames.stream().map(f -> f.payload().size()).toList());
    assertEquals(Frames.OVERALL_OK, frames.get(0).payload());
    assertEquals(List.of(1, 1, 1, 2), frames.stream().map(Frame::flags).toList());
  }

  @Test
  void bytesResponseNeedsRoomForTheStatus() {
    assertThrows(IllegalArgumentException.class,
        () -> Frames.createCommandResponseFramesFromBytes(new FrameStream(2), 1, ByteString.EMPTY, 10));
  }

  @Test
  void bytesResponseFramesAreMadeLazily() {
    FrameStream s = new FrameStream(2);
    FrameIterator it = Frames.createCommandResponseFramesFromBytes(s, 1, latin1("x"));
    assertFalse(s.isActive());
    it.next();
    assertTrue(s.isActive());
  }

  @Test
  void framesFromGenCoalesceChunksIntoFullFrames() {
    Iterator<ByteString> chunks = List.of(latin1("abc"), ByteString.EMPTY, latin1("defgh"), latin1("ij")).iterator();
    List<Frame> frames = Frames.createBytesResponseFramesFromGen(new FrameStream(2), 1, chunks, 4).toList();
    assertEquals(List.of(latin1("abcd"), latin1("efgh"), latin1("ij")),
        frames.stream().map(Frame::payload).toList());
    assertTrue(frames.stream().allMatch(f -> f.flags() == FLAG_COMMAND_RESPONSE_CONTINUATION));
    assertTrue(Frames.createBytesResponseFramesFromGen(new FrameStream(2), 1, List.<ByteString>of().iterator(), 4)
        .toList().isEmpty());
  }

  @Test
  void okAndEosFrames() {
    FrameStream s = new FrameStream(2);
    Frame ok = Frames.createCommandResponseOkFrame(s, 9);
    Frame eos = Frames.createCommandResponseEosFrame(s, 9);
    assertEquals(new Frame(9, 2, 1, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_CONTINUATION,
        Frames.OVERALL_OK), ok);
    assertEquals(new Frame(9, 2, 0, FrameType.COMMAND_RESPONSE, FLAG_COMMAND_RESPONSE_EOS, ByteString.EMPTY), eos);
  }

  @Test
  void commandErrorResponseWithAndWithoutArgs() throws CborDecodeException {
    Frame f = Frames.createCommandErrorResponse(new FrameStream(2), 1, latin1("bad %s"), List.of(latin1("x")));
    assertEquals(FLAG_COMMAND_RESPONSE_EOS, f.flags());
    Map<ByteString, Object> error = new LinkedHashMap<>();
    error.put(latin1("message"), latin1("bad %s"));
    error.put(latin1("args"), List.of(latin1("x")));
    assertEquals(Map.of(latin1("status"), latin1("error"), latin1("error"), error), decodeOne(f.payload()));

    Frame bare = Frames.createCommandErrorResponse(new FrameStream(2), 1, latin1("bad"), List.of());
    assertEquals(Map.of(latin1("status"), latin1("error"), latin1("error"), Map.of(latin1("message"), latin1("bad"))),
        decodeOne(bare.payload()));
  }

  @Test
  void errorFrameShapeAndTruncation() throws CborDecodeException {
    Frame f = Frames.createErrorFrame(new FrameStream(2), 3, latin1("oops"), latin1("server"));
    assertEquals(FrameType.ERROR_RESPONSE.id(), f.typeId());
    assertEquals(0, f.flags());
    assertEquals(Map.of(latin1("type"), latin1("server"), latin1("message"), List.of(Map.of(latin1("msg"),
        latin1("oops")))), decodeOne(f.payload()));

    // Too long a message is the caller's mistake (the reference asserts); servers cut exception
    // messages with truncateErrorMessage first.
    ByteString tooLong = ByteString.wrap(new byte[DEFAULT_MAX_FRAME_SIZE + 5]);
    assertThrows(IllegalArgumentException.class,
        () -> Frames.createErrorFrame(new FrameStream(2), 3, tooLong, latin1("server")));
    Frame big = Frames.createErrorFrame(new FrameStream(2), 3, Frames.truncateErrorMessage(tooLong), latin1("server"));
    Map<?, ?> m = (Map<?, ?>) decodeOne(big.payload());
    Map<?, ?> atom = (Map<?, ?>) ((List<?>) m.get(latin1("message"))).get(0);
    assertEquals(DEFAULT_MAX_FRAME_SIZE, ((ByteString) atom.get(latin1("msg"))).size());
  }

  // ---- text output ----

  private static Frames.TextAtom atom(String format, List<ByteString> args, List<ByteString> labels) {
    return new Frames.TextAtom(latin1(format), args, labels);
  }

  @Test
  void textOutputLeavesOutEmptyArgsAndLabels() throws CborDecodeException {
    Frame f = Frames.createTextOutputFrame(new FrameStream(2), 1, List.of(
        atom("plain", List.of(), List.of()),
        atom("hi %s", List.of(latin1("bob")), List.of(latin1("ui.label")))));
    assertEquals(FrameType.TEXT_OUTPUT.id(), f.typeId());
    assertEquals(0, f.flags());
    Map<ByteString, Object> second = new LinkedHashMap<>();
    second.put(latin1("msg"), latin1("hi %s"));
    second.put(latin1("args"), List.of(latin1("bob")));
    second.put(latin1("labels"), List.of(latin1("ui.label")));
    assertEquals(List.of(Map.of(latin1("msg"), latin1("plain")), second), decodeOne(f.payload()));
  }

  @Test
  void textOutputReplacesMalformedUtf8InArgs() throws CborDecodeException {
    ByteString bad = ByteString.wrap(new byte[] {'a', (byte) 0xff});
    Frame f = Frames.createTextOutputFrame(new FrameStream(2), 1, List.of(atom("%s", List.of(bad), List.of())));
    Map<?, ?> m = (Map<?, ?>) ((List<?>) decodeOne(f.payload())).get(0);
    assertEquals(List.of(ByteString.fromHex("61efbfbd")), m.get(latin1("args")));
  }

  @Test
  void textOutputRefusesNonAsciiFormattingAndLabels() {
    ByteString nonAscii = ByteString.wrap(new byte[] {(byte) 0xe9});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Frames.createTextOutputFrame(new FrameStream(2), 1,
            List.of(new Frames.TextAtom(nonAscii, List.of(), List.of()))));
    assertEquals("formatting string must be ASCII: b'\\xe9'", e.getMessage());
    IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
        () -> Frames.createTextOutputFrame(new FrameStream(2), 1, List.of(atom("x", List.of(), List.of(nonAscii)))));
    assertEquals("label must be ASCII: b'\\xe9'", l.getMessage());
  }

  @Test
  void textOutputMustFitOneFrame() {
    FrameStream s = new FrameStream(2);
    List<Frames.TextAtom> atoms = List.of(atom("x".repeat(20), List.of(), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Frames.createTextOutputFrame(s, 1, atoms, 20));
    assertEquals("cannot encode data in a single frame", e.getMessage());
    assertFalse(s.isActive(), "a refused frame does not begin the stream");
    // list header, map header, b'msg' (1 + 3), value header, 20 bytes
    assertEquals(1 + 1 + 4 + 1 + 20, Frames.createTextOutputFrame(s, 1, atoms, 27).payload().size());
  }

  @Test
  void textAtomCopiesItsLists() {
    List<ByteString> args = new ArrayList<>(List.of(latin1("a")));
    Frames.TextAtom a = new Frames.TextAtom(latin1("%s"), args, List.of());
    args.add(latin1("b"));
    assertEquals(List.of(latin1("a")), a.args());
  }

  // ---- BufferingCommandResponseEmitter ----

  @Test
  void emitterBuffersUntilTheLimitThenFlushes() {
    List<Frame> out = new ArrayList<>();
    BufferingCommandResponseEmitter e = new BufferingCommandResponseEmitter(new FrameStream(2), 1, 10);
    e.send(latin1("abcd"), out::add);
    e.send(latin1("efgh"), out::add);
    assertTrue(out.isEmpty(), "8 bytes fit");
    e.send(latin1("ij"), out::add); // 8 + 2 reaches the limit: flush first
    assertEquals(List.of(latin1("abcdefgh")), out.stream().map(Frame::payload).toList());
    e.send(latin1("0123456789AB"), out::add); // bigger than a frame: flush, then pieces
    assertEquals(List.of(latin1("abcdefgh"), latin1("ij"), latin1("0123456789"), latin1("AB")),
        out.stream().map(Frame::payload).toList());
    e.flush(out::add);
    assertEquals(ByteString.EMPTY, out.get(out.size() - 1).payload(), "flush always emits a frame");
    assertTrue(out.stream().allMatch(f -> f.flags() == FLAG_COMMAND_RESPONSE_CONTINUATION));
    assertEquals(STREAM_FLAG_BEGIN_STREAM, out.get(0).streamFlags());
  }

  @Test
  void emitterCopiesArrayRanges() {
    List<Frame> out = new ArrayList<>();
    BufferingCommandResponseEmitter e = new BufferingCommandResponseEmitter(new FrameStream(2), 1);
    byte[] data = {1, 2, 3, 4};
    e.send(data, 1, 2, out::add);
    data[1] = 9;
    e.flush(out::add);
    assertEquals(ByteString.wrap(new byte[] {2, 3}), out.get(0).payload());
  }

  @Test
  void emitterSizeMustBeAFramePayload() {
    assertThrows(IllegalArgumentException.class, () -> new BufferingCommandResponseEmitter(new FrameStream(2), 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new BufferingCommandResponseEmitter(new FrameStream(2), 1, 1 << 24));
  }
}
