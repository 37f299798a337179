package org.hgrpc.core.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.ByteStringChunk;
import org.hgrpc.core.cbor.CborEncoder;
import org.junit.jupiter.api.Test;

class ResponseDecoderTest {
  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  private static ByteString cbor(Object... values) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object v : values) {
      out.writeBytes(CborEncoder.encode(v));
    }
    return ByteString.wrap(out.toByteArray());
  }

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final Map<Object, Object> OK = map(b("status"), b("ok"));

  private final ResponseDecoder decoder = new ResponseDecoder(Limits.DEFAULTS);

  @Test
  void anOkResponseIsOkThenItsValuesThenTheEnd() {
    List<ResponseEvent> events = decoder.onData(cbor(OK, b("x"), List.of(1L, 2L)), true);

    assertEquals(List.of(new ResponseEvent.Ok(), new ResponseEvent.Value(b("x")),
        new ResponseEvent.Value(List.of(1L, 2L)), new ResponseEvent.End()), events);
    assertTrue(decoder.isFinished());
    assertTrue(decoder.statusSeen());
    assertEquals(List.of(), decoder.onData(cbor(b("late")), true));
  }

  @Test
  void valuesAreHandedOutAsTheirLastByteArrivesWhateverTheSplit() {
    ByteString all = cbor(OK, b("first"), map(b("k"), b("v")));
    List<ResponseEvent> events = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      events.addAll(decoder.onData(all.substring(i, i + 1), false));
      if (i == 10) { // the status map is 11 bytes: it alone is complete here
        assertEquals(List.of(new ResponseEvent.Ok()), events);
      }
    }
    events.addAll(decoder.onData(ByteString.EMPTY, true));

    assertEquals(List.of(new ResponseEvent.Ok(), new ResponseEvent.Value(b("first")),
        new ResponseEvent.Value(map(b("k"), b("v"))), new ResponseEvent.End()), events);
  }

  @Test
  void anIndefiniteByteStringComesAsChunks() {
    // 0x5f: indefinite byte string; two definite chunks; 0xff: break.
    ByteString body = cbor(OK).concat(ByteString.wrap(new byte[] {0x5f, 0x41, 'a', 0x42, 'b', 'c', (byte) 0xff}));
    List<ResponseEvent> events = decoder.onData(body, true);

    assertEquals(new ResponseEvent.Ok(), events.get(0));
    StringBuilder joined = new StringBuilder();
    for (ResponseEvent e : events.subList(1, events.size() - 1)) {
      joined.append(((ByteStringChunk) ((ResponseEvent.Value) e).value()).data().utf8());
    }
    assertEquals("abc", joined.toString());
    assertEquals(new ResponseEvent.End(), events.get(events.size() - 1));
  }

  @Test
  void aCommandErrorCarriesFormatArgsAndTheFormattedText() {
    Map<Object, Object> error = map(b("message"), b("unknown key: %s (%%)"), b("args"), List.of(b("k")));
    List<ResponseEvent> events = decoder.onData(cbor(map(b("status"), b("error"), b("error"), error)), true);

    ResponseEvent.Failed failed = assertInstanceOf(ResponseEvent.Failed.class, events.get(0));
    assertEquals(1, events.size());
    assertEquals(b("unknown key: %s (%%)"), failed.failure().format());
    assertEquals(List.of(b("k")), failed.failure().args());
    assertEquals("unknown key: k (%)", failed.failure().formattedMessage());
    assertEquals(error, failed.failure().raw());
    assertTrue(decoder.isFinished());
  }

  @Test
  void aCommandErrorWithoutArgsAndWithNullArgsIsStillAFailure() {
    Map<Object, Object> error = map(b("message"), b("boom %s"));
    CommandFailure f = ((ResponseEvent.Failed) decoder.onData(cbor(map(b("status"), b("error"), b("error"), error)),
        false).get(0)).failure();
    assertEquals(List.of(), f.args());
    assertEquals("boom %s", f.formattedMessage());

    ResponseDecoder other = new ResponseDecoder(Limits.DEFAULTS);
    Map<Object, Object> nullArg = map(b("message"), b("x=%s"), b("args"), Arrays.asList((Object) null));
    CommandFailure g = ((ResponseEvent.Failed) other.onData(cbor(map(b("status"), b("error"), b("error"), nullArg)),
        true).get(0)).failure();
    assertEquals("x=null", g.formattedMessage());
  }

  @Test
  void aRedirectEndsTheResponseWithItsLocation() {
    Map<Object, Object> location = map(b("url"), b("https://cdn/x"), b("mediatype"), b("application/x"),
        b("size"), 3L);
    ResponseDecoder accepting = ResponseDecoder.acceptingRedirects(Limits.DEFAULTS);
    List<ResponseEvent> events = accepting.onData(cbor(map(b("status"), b("redirect"), b("location"), location)),
        false);

    ResponseEvent.Redirected r = assertInstanceOf(ResponseEvent.Redirected.class, events.get(0));
    assertEquals(new Redirect(b("https://cdn/x"), b("application/x"), location), r.redirect());
    assertTrue(accepting.isFinished());
    assertTrue(accepting.statusSeen());
  }

  @Test
  void aRedirectToARequestThatOfferedNoTargetsIsAnUnknownStatus() {
    Map<Object, Object> location = map(b("url"), b("https://cdn/x"), b("mediatype"), b("application/x"));
    List<ResponseEvent> events = decoder.onData(cbor(map(b("status"), b("redirect"), b("location"), location)), false);

    assertEquals(List.of(new ResponseEvent.Malformed("unknown response status byte string b'redirect'", null)),
        events);
  }

  @Test
  void anErrorFrameIsAServerFailureWithItsAtomsFormatted() {
    decoder.onData(cbor(OK, b("partial")), false);
    Object message = List.of(map(b("msg"), b("abort: %s"), b("args"), List.of(b("disk full"))));
    List<ResponseEvent> events = decoder.onErrorFrame(b("server"), message);

    ResponseEvent.ServerError e = assertInstanceOf(ResponseEvent.ServerError.class, events.get(0));
    assertEquals(new ServerFailure(b("server"), "abort: disk full", message), e.failure());
    assertTrue(decoder.isFinished());
    assertEquals(List.of(), decoder.onErrorFrame(b("server"), message));
  }

  @Test
  void anErrorFrameOfOddShapeIsStillReported() {
    ResponseEvent.ServerError e = (ResponseEvent.ServerError) decoder.onErrorFrame(7L, b("plain")).get(0);
    assertEquals(b("7"), e.failure().type());
    assertEquals("plain", e.failure().message());
  }

  @Test
  void malformedResponsesSayWhichRuleTheyBreak() {
    assertMalformed("the response does not begin with a status map but with byte string b'x'", cbor(b("x")), true);
    assertMalformed("the response does not begin with a status map but with map {}", cbor(map()), true);
    assertMalformed("unknown response status byte string b'maybe'", cbor(map(b("status"), b("maybe"))), true);
    assertMalformed("malformed command error null null", cbor(map(b("status"), b("error"))), true);
    assertMalformed("malformed command error map {}", cbor(map(b("status"), b("error"), b("error"), map())), true);
    assertMalformed("the response ended without a status", ByteString.EMPTY, true);
    assertMalformed("the response ends inside a CBOR value", cbor(OK).concat(ByteString.wrap(new byte[] {0x43, 'a'})),
        true);
    ResponseEvent.Malformed bad = assertMalformed(null, ByteString.wrap(new byte[] {(byte) 0xfc}), false);
    assertTrue(bad.reason().startsWith("the response is not valid CBOR: "), bad.reason());
    assertNotNull(bad.cause());
  }

  @Test
  void aResponseWithoutEosIsNotFinished() {
    decoder.onData(cbor(OK), false);
    assertFalse(decoder.isFinished());
    assertTrue(decoder.statusSeen());
  }

  @Test
  void aMalformedRedirectSaysWhatItNeeds() {
    ResponseDecoder accepting = ResponseDecoder.acceptingRedirects(Limits.DEFAULTS);
    List<ResponseEvent> events = accepting.onData(cbor(map(b("status"), b("redirect"),
        b("location"), map(b("url"), b("u")))), false);
    assertEquals(List.of(new ResponseEvent.Malformed("malformed redirect location map {b'url'=b'u'}: it needs byte "
        + "strings url and mediatype", null)), events);
  }

  private static ResponseEvent.Malformed assertMalformed(String reason, ByteString data, boolean eos) {
    ResponseDecoder d = new ResponseDecoder(Limits.DEFAULTS);
    List<ResponseEvent> events = d.onData(data, eos);
    ResponseEvent.Malformed m = assertInstanceOf(ResponseEvent.Malformed.class, events.get(events.size() - 1),
        events.toString());
    if (reason != null) {
      assertEquals(reason, m.reason());
    }
    assertTrue(d.isFinished());
    assertTrue(m.isTerminal());
    return m;
  }
}
