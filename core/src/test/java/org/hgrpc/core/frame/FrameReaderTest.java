package org.hgrpc.core.frame;

import static org.hgrpc.core.frame.FrameTestSupport.bytes;
import static org.hgrpc.core.frame.FrameTestSupport.encodeAll;
import static org.hgrpc.core.frame.FrameTestSupport.latin1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  private static FrameReader reader(byte[] data) {
    return new FrameReader(new ByteArrayInputStream(data), Limits.DEFAULTS);
  }

  @Test
  void readsFramesThenNullAtACleanEnd() throws IOException, ProtocolException {
    List<Frame> frames = List.of(
        new Frame(1, 1, 1, FrameType.COMMAND_REQUEST, 1, latin1("abc")),
        new Frame(1, 1, 0, FrameType.COMMAND_DATA, 2, ByteString.EMPTY));
    FrameReader r = reader(encodeAll(frames));
    assertEquals(frames.get(0), r.readFrame());
    assertEquals(frames.get(1), r.readFrame());
    assertNull(r.readFrame());
    assertNull(r.readFrame());
  }

  @Test
  void emptyInputIsACleanEnd() throws IOException, ProtocolException {
    assertNull(reader(new byte[0]).readFrame());
  }

  @Test
  void truncatedHeaderNamesTheBytesReceived() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> reader(bytes(0x05, 0x00, 'a')).readFrame());
    assertEquals(ProtocolException.Kind.TRUNCATED_HEADER, e.kind());
    assertEquals("received incomplete frame: got 3 bytes: b'\\x05\\x00a'", e.getMessage());
  }

  @Test
  void truncatedPayloadNamesExpectedAndReceivedLengths() {
    byte[] wire = new Frame(1, 1, 1, FrameType.COMMAND_DATA, 2, latin1("hello")).encode();
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> reader(Arrays.copyOf(wire, 11)).readFrame());
    assertEquals(ProtocolException.Kind.TRUNCATED_PAYLOAD, e.kind());
    assertEquals("frame length error: expected 5; got 3", e.getMessage());
  }

  @Test
  void oversizedPayloadIsRefusedBeforeItIsRead() {
    byte[] header = new byte[8];
    new FrameHeader(50, 1, 1, 1, 2, 2).writeTo(header, 0);
    int[] payloadReads = {0};
    InputStream in = new InputStream() {
      private int pos;

      @Override
      public int read() {
        if (pos < 8) {
          return header[pos++] & 0xff;
        }
        payloadReads[0]++;
        return 0;
      }
    };
    FrameReader r = new FrameReader(in, Limits.DEFAULTS.withMaxFramePayload(49));
    ProtocolException e = assertThrows(ProtocolException.class, r::readFrame);
    assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
    assertEquals("frame payload exceeds maximum size 49: 50", e.getMessage());
    assertEquals(0, payloadReads[0]);
  }

  @Test
  void readsAcrossShortReads() throws IOException, ProtocolException {
    Frame f = new Frame(7, 3, 1, FrameType.COMMAND_RESPONSE, 2, ByteString.wrap(new byte[5000]));
    byte[] wire = f.encode();
    InputStream trickle = new InputStream() {
      private int pos;

      @Override
      public int read() {
        return pos < wire.length ? wire[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos == wire.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 3), wire.length - pos);
        System.arraycopy(wire, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    FrameReader r = new FrameReader(trickle, Limits.DEFAULTS);
    assertEquals(f, r.readFrame());
    assertNull(r.readFrame());
  }

  @Test
  void streamFailuresPropagate() {
    IOException boom = new IOException("boom");
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw boom;
      }
    };
    IOException e = assertThrows(IOException.class, () -> new FrameReader(failing, Limits.DEFAULTS).readFrame());
    assertSame(boom, e);
  }
}
