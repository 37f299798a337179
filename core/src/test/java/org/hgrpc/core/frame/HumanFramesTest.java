package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameTestSupport.bytes;
import static org.hgrpc.core.frame.FrameTestSupport.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborEncoder;
import org.junit.jupiter.api.Test;

class HumanFramesTest {

  private static Frame frame(int requestId, int streamId, int streamFlags, int typeId, int flags, ByteString payload) {
    return new Frame(requestId, streamId, streamFlags, typeId, flags, payload);
  }

  private static String parseError(String human) {
    return assertThrows(HumanFrameSyntaxException.class, () -> HumanFrames.parse(human)).getMessage();
  }

  @Test
  void namesForEveryField() {
    assertEquals(frame(1, 1, 1, 1, 1, latin1("x")), HumanFrames.parse("1 1 stream-begin command-request new x"));
    assertEquals(frame(3, 5, 2, 2, 2, latin1("")), HumanFrames.parse("3 5 stream-end command-data eos "));
    assertEquals(frame(2, 2, 4, 3, 1, latin1("y")), HumanFrames.parse("2 2 encoded command-response continuation y"));
    assertEquals(5, HumanFrames.parse("1 1 0 error-response 0 x").typeId());
    assertEquals(6, HumanFrames.parse("1 1 0 text-output 0 x").typeId());
    assertEquals(7, HumanFrames.parse("1 1 0 progress 0 x").typeId());
    assertEquals(8, HumanFrames.parse("1 1 0 stream-settings 0 x").typeId());
  }

  @Test
  void numbersForEveryField() {
    assertEquals(frame(65535, 255, 7, 3, 15, latin1("p")), HumanFrames.parse("65535 255 7 3 15 p"));
  }

  @Test
  void flagCombinationsWithPipes() {
    Frame f = HumanFrames.parse("1 1 stream-begin|stream-end command-request new|more|have-data x");
    assertEquals(0x03, f.streamFlags());
    assertEquals(0x0d, f.flags());
    Frame mixed = HumanFrames.parse("1 1 stream-begin|8 command-data continuation|4 x");
    assertEquals(0x09, mixed.streamFlags());
    assertEquals(0x05, mixed.flags());
  }

  @Test
  void flagNamesBelongToTheirFrameType() {
    assertEquals("invalid frame flag: 'new'", parseError("1 1 0 command-data new x"));
    assertEquals("invalid frame flag: 'eos'", parseError("1 1 0 progress eos x"));
    assertEquals("invalid stream flag: 'new'", parseError("1 1 new command-request new x"));
  }

  @Test
  void pythonIntSyntaxForIntegers() {
    assertEquals(10, HumanFrames.parse("1_0 1 0 1 0 x").requestId());
    assertEquals(3, HumanFrames.parse("+3 1 0 1 0 x").requestId());
  }

  @Test
  void cborPayloadIsTheEncodedLiteral() {
    Frame f = HumanFrames.parse("1 1 stream-begin command-request new cbor:{b'name': b'heads'}");
    assertEquals(CborEncoder.encodeToByteString(Map.of(latin1("name"), latin1("heads"))), f.payload());
    assertEquals("a1446e616d65456865616473", f.payload().hex());
  }

  @Test
  void cborPayloadOfAnInteger() {
    assertEquals("190100", HumanFrames.parse("1 1 0 1 1 cbor:256").payload().hex());
  }

  @Test
  void plainPayloadDecodesPythonEscapes() {
    assertEquals(ByteString.wrap(bytes('a', 0, 'b', '\n', '\\', 0x07, 'c')),
        HumanFrames.parse("1 1 0 command-data eos a\\x00b\\n\\\\\\7c").payload());
  }

  @Test
  void payloadKeepsItsSpaces() {
    assertEquals(latin1("a b  c"), HumanFrames.parse("1 1 0 command-data eos a b  c").payload());
  }

  @Test
  void payloadCharsAreLatin1Bytes() {
    assertEquals(ByteString.wrap(bytes(0xe9)), HumanFrames.parse("1 1 0 command-data eos \u00e9").payload());
  }

  @Test
  void tooFewFieldsIsAnError() {
    String msg = parseError("1 1 0 command-data");
    assertEquals("expected 6 space-separated fields (request id, stream id, stream flags, type, flags, payload); "
        + "got 4: 1 1 0 command-data", msg);
    assertTrue(parseError("").contains("got 1"));
  }

  @Test
  void unknownTypeNameAndUnknownTypeNumber() {
    assertEquals("invalid frame type: 'command-bogus'", parseError("1 1 0 command-bogus 0 x"));
    assertEquals("unknown frame type: 4", parseError("1 1 0 4 0 x"));
    assertEquals("unknown frame type: 16", parseError("1 1 0 16 0 x"));
  }

  @Test
  void badIntegers() {
    assertEquals("invalid request id: 'one'", parseError("one 1 0 1 0 x"));
    assertEquals("invalid stream id: ''", parseError("1  0 1 0 x x"));
    assertEquals("request id out of range: 99999999999", parseError("99999999999 1 0 1 0 x"));
  }

  @Test
  void valuesBeyondTheirFieldWidth() {
    assertEquals("field out of range: requestId must be 0..65535: 65536", parseError("65536 1 0 1 0 x"));
    assertEquals("field out of range: streamId must be 0..255: -1", parseError("1 -1 0 1 0 x"));
    assertEquals("field out of range: flags must be 0..15: 16", parseError("1 1 0 1 16 x"));
  }

  @Test
  void badPayloads() {
    assertTrue(parseError("1 1 0 command-data eos \\x4").startsWith("invalid payload: "));
    assertTrue(parseError("1 1 0 1 1 cbor:{b'a': ").startsWith("invalid payload: "));
    assertTrue(parseError("1 1 0 1 1 cbor:'text'").startsWith("payload cannot be encoded: "));
  }

  @Test
  void formatUsesNamesAndEscapes() {
    Frame f = frame(1, 1, 0x01, 1, 0x05, ByteString.wrap(bytes('a', 0, '\\', 0x7f, ' ', 'z')));
    assertEquals("1 1 stream-begin command-request new|more a\\x00\\\\\\x7f z", HumanFrames.format(f));
  }

  @Test
  void formatUsesNumbersForUnnamedBitsAndZero() {
    assertEquals("2 4 stream-end|8 progress 3 ", HumanFrames.format(frame(2, 4, 0x0a, 7, 3, ByteString.EMPTY)));
    assertEquals("2 4 0 command-data 0 q", HumanFrames.format(frame(2, 4, 0, 2, 0, latin1("q"))));
  }

  @Test
  void escapeAlone() {
    assertEquals("\\x0a\\x0d\\xff~", HumanFrames.escape(ByteString.wrap(bytes('\n', '\r', 0xff, '~'))));
  }

  @Test
  void formatThenParseGivesBackTheFrameForRandomFrames() {
    Random random = new Random(42);
    int[] types = {1, 2, 3, 5, 6, 7, 8};
    for (int i = 0; i < 500; i++) {
      byte[] payload = new byte[random.nextInt(20)];
      random.nextBytes(payload);
      Frame f = frame(random.nextInt(65536), random.nextInt(256), random.nextInt(256),
          types[random.nextInt(types.length)], random.nextInt(16), ByteString.wrap(payload));
      String human = HumanFrames.format(f);
      assertEquals(f, HumanFrames.parse(human), human);
    }
  }

  @Test
  void formatThenParseRoundTripsAPayloadThatLooksLikeACborLiteral() {
    // format() promises that parse() of its result gives back an equal frame.
    Frame f = frame(1, 1, 0, 2, 2, latin1("cbor:1"));
    assertEquals(f, HumanFrames.parse(HumanFrames.format(f)), HumanFrames.format(f));
  }
}
