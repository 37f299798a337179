package org.hgrpc.core.encoding;

import static org.junit.jupiter.api.Assertions.*;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentEncodingsTest {
  private static final long NO_LIMIT = Long.MAX_VALUE;

  private static ContentEncoder encoder(String name) {
    return ContentEncodings.DEFAULT.newEncoder(name).orElseThrow();
  }

  private static ContentDecoder decoder(String name, long limit) {
    return ContentEncodings.DEFAULT.newDecoder(name, limit).orElseThrow();
  }

  private static ByteString text(int size, long seed) {
    Random r = new Random(seed);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ("abcdefgh ijkl\n".charAt(r.nextInt(14)));
    }
    return ByteString.wrap(b);
  }

  @Test
  void registryKnowsTheThreeEncodingsInTheServersOrder() {
    assertEquals(List.of("zstd-8mb", "zlib", "identity"), ContentEncodings.DEFAULT.names());
    assertEquals(List.of("identity"), ContentEncodings.IDENTITY_ONLY.names());
    assertEquals(List.of("identity", "zlib", "zstd-8mb"), ContentEncodings.known());
    assertThrows(IllegalArgumentException.class, () -> ContentEncodings.of("zlib", "gzip"));
    assertThrows(IllegalArgumentException.class, () -> ContentEncodings.of("zlib", "zlib"));
    assertTrue(ContentEncodings.of("zlib").newEncoder("zstd-8mb").isEmpty());
    assertEquals("zlib", ContentEncodings.of("zlib").newDecoder("zlib", 1).orElseThrow().name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "zlib", "zstd-8mb"})
  void roundTripAcrossResponsesAndChunkings(String name) throws Exception {
    ContentEncoder enc = encoder(name);
    ContentDecoder dec = decoder(name, NO_LIMIT);
    for (int response = 0; response < 3; response++) {
      ByteString data = text(5000 + response * 70000, response);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (int pos = 0; pos < data.size(); pos += 777) {
        wire.writeBytes(enc.encode(data.substring(pos, Math.min(data.size(), pos + 777))).toByteArray());
      }
      wire.writeBytes(enc.flush().toByteArray());
      // After a flush everything sent so far decodes: the response is whole.
      assertEquals(data, dec.decode(ByteString.wrap(wire.toByteArray())), name + " response " + response);
    }
  }

  @Test
  void zlibIsByteIdenticalToTheReference() {
    // The vectors' "zlib: exception midway" stream (project form): the OK map, b'first' and
    // b'second' as cborutil yields them, then the end of the response.
    ContentEncoder zlib = encoder("zlib");
    assertEquals("789c", zlib.encode(ByteString.fromHex("a146737461747573426f6b")).hex());
    StringBuilder out = new StringBuilder();
    for (String chunk : new String[] {"45", "6669727374", "46", "7365636f6e64"}) {
      out.append(zlib.encode(ByteString.fromHex(chunk)).hex());
    }
    out.append(zlib.flush().hex());
    assertEquals("5ae8565c9258525aec949fed9a9659545ce2569c9a9c9f9702000000ffff", out.toString());
    // A flush with nothing pending is the bare sync marker, as in "createcommandresponseeosframes zlib".
    ContentEncoder fresh = encoder("zlib");
    assertEquals("789c000000ffff", fresh.flush().hex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zlib", "zstd-8mb"})
  void oneByteAtATimeThroughTheSameDecoderForTwoResponses(String name) throws Exception {
    ContentEncoder enc = encoder(name);
    ByteString first = text(3000, 1);
    ByteString second = text(40000, 2);
    ByteString wire1 = enc.encode(first).concat(enc.flush());
    ByteString wire2 = enc.encode(second).concat(enc.flush());
    ContentDecoder dec = decoder(name, NO_LIMIT);
    for (ByteString[] pair : new ByteString[][] {{wire1, first}, {wire2, second}}) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (int i = 0; i < pair[0].size(); i++) {
        got.writeBytes(dec.decode(pair[0].substring(i, i + 1)).toByteArray());
      }
      assertEquals(pair[1], ByteString.wrap(got.toByteArray()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"zlib", "zstd-8mb"})
  void aDecompressionBombIsAnErrorNotAnOutOfMemoryError(String name) {
    ContentEncoder enc = encoder(name);
    ByteString zeros = ByteString.wrap(new byte[1 << 20]);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < 64; i++) {
      wire.writeBytes(enc.encode(zeros).toByteArray());
    }
    wire.writeBytes(enc.flush().toByteArray());
    assertTrue(wire.size() < 1 << 20, "64 MiB of zeros compress well: " + wire.size());
    ContentDecoder dec = decoder(name, 8 << 20);
    ContentDecodingException e = assertThrows(ContentDecodingException.class,
        () -> dec.decode(ByteString.wrap(wire.toByteArray())));
    assertTrue(e.getMessage().contains("exceeds maximum size 8388608"), e.getMessage());
    // The decoder stays failed.
    assertThrows(ContentDecodingException.class, () -> dec.decode(ByteString.fromHex("00")));
  }

  @Test
  void identityHonoursTheLimitToo() throws Exception {
    ContentDecoder dec = decoder("identity", 3);
    assertEquals(ByteString.latin1("abc"), dec.decode(ByteString.latin1("abc")));
    assertThrows(ContentDecodingException.class, () -> dec.decode(ByteString.latin1("abcd")));
  }

  private static ByteString zstdFrame(byte[] data, int windowLog, boolean end) {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(3);
      if (windowLog > 0) {
        ctx.setWindowLog(windowLog);
      }
      ByteBuffer src = ByteBuffer.allocateDirect(data.length);
      src.put(data).flip();
      ByteBuffer dst = ByteBuffer.allocateDirect(data.length + 1024);
      while (!ctx.compressDirectByteBufferStream(dst, src, end ? EndDirective.END : EndDirective.FLUSH)) {
        // all fits
      }
      dst.flip();
      return ByteString.copyOf(dst);
    }
  }

  /** Found by ContentDecoderFuzzTest: identity accepted the next payload after refusing one. */
  @ParameterizedTest
  @ValueSource(strings = {"identity", "zlib", "zstd-8mb"})
  void aDecoderThatFailedStaysFailed(String name) throws Exception {
    ContentDecoder dec = decoder(name, 4);
    ContentEncoder first = ContentEncodings.DEFAULT.newEncoder(name).orElseThrow();
    ByteString tooBig = first.encode(ByteString.latin1("0123456789")).concat(first.flush());
    ContentEncoder encoder = ContentEncodings.DEFAULT.newEncoder(name).orElseThrow();
    ByteString small = encoder.encode(ByteString.latin1("ok")).concat(encoder.flush());
    assertThrows(ContentDecodingException.class, () -> dec.decode(tooBig));
    ContentDecodingException again = assertThrows(ContentDecodingException.class, () -> dec.decode(small));
    assertTrue(again.getMessage().contains("already failed"), again.getMessage());
  }

  @Test
  void zstdWindowOverEightMebibytesIsRefusedBeforeDecoding() {
    ByteString big = zstdFrame(new byte[100], 24, false); // streaming frame announcing a 16 MiB window
    ContentDecodingException e = assertThrows(ContentDecodingException.class,
        () -> decoder("zstd-8mb", NO_LIMIT).decode(big));
    assertTrue(e.getMessage().contains("window"), e.getMessage());
  }

  @Test
  void zstdSingleSegmentContentSizeCountsAsWindow() throws Exception {
    ByteString small = zstdFrame(new byte[1000], 0, true);
    assertEquals(1000, decoder("zstd-8mb", NO_LIMIT).decode(small).size());
  }

  @Test
  void bytesAfterTheEndOfTheZstdFrameAreRefused() throws Exception {
    ByteString ended = zstdFrame("hello".getBytes(), 0, true);
    ContentDecoder samePayload = decoder("zstd-8mb", NO_LIMIT);
    assertThrows(ContentDecodingException.class, () -> samePayload.decode(ended.concat(ByteString.fromHex("00"))));
    ContentDecoder laterPayload = decoder("zstd-8mb", NO_LIMIT);
    assertEquals(ByteString.latin1("hello"), laterPayload.decode(ended));
    assertThrows(ContentDecodingException.class, () -> laterPayload.decode(ended));
  }

  @Test
  void bytesAfterTheEndOfTheZlibStreamAreRefused() throws Exception {
    java.util.zip.Deflater d = new java.util.zip.Deflater();
    d.setInput("hello".getBytes());
    d.finish();
    byte[] buf = new byte[100];
    int n = d.deflate(buf);
    ByteString ended = ByteString.copyOf(buf, 0, n);
    ContentDecoder dec = decoder("zlib", NO_LIMIT);
    assertThrows(ContentDecodingException.class, () -> dec.decode(ended.concat(ByteString.latin1("x"))));
    ContentDecoder later = decoder("zlib", NO_LIMIT);
    assertEquals(ByteString.latin1("hello"), later.decode(ended));
    assertThrows(ContentDecodingException.class, () -> later.decode(ByteString.latin1("x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zlib", "zstd-8mb"})
  void corruptInputIsAnError(String name) {
    ContentDecodingException e = assertThrows(ContentDecodingException.class,
        () -> decoder(name, NO_LIMIT).decode(ByteString.fromHex("0123456789abcdef0123456789")));
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zlib", "zstd-8mb"})
  void sixtyFourMebibytesStreamChunkByChunkWithBoundedOutputs(String name) throws Exception {
    ContentEncoder enc = encoder(name);
    ContentDecoder dec = decoder(name, 1 << 20);
    CRC32 in = new CRC32();
    CRC32 out = new CRC32();
    int chunk = 64 * 1024;
    long decoded = 0;
    for (int i = 0; i < 1024; i++) {
      ByteString data = text(chunk, i);
      in.update(data.asByteBuffer());
      ByteString encoded = enc.encode(data);
      // Chunk by chunk: a call returns at most what the compressor held plus this chunk (zstd
      // emits whole blocks of up to 128 KiB of input), never the stream so far.
      assertTrue(encoded.size() <= 256 * 1024, "encoded output of one chunk: " + encoded.size());
      ByteString plain = dec.decode(encoded);
      out.update(plain.asByteBuffer());
      decoded += plain.size();
    }
    ByteString tail = dec.decode(enc.flush());
    out.update(tail.asByteBuffer());
    decoded += tail.size();
    assertEquals(64L << 20, decoded);
    assertEquals(in.getValue(), out.getValue());
  }
}
