package org.hgrpc.core.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.literal.PythonLiteral;
import org.junit.jupiter.api.Test;

/**
 * The decoder on what the reference client reactor handed out for real responses: every
 * {@code responsedata} and error-response step of the client-reactor vectors (0005, bundled
 * with core's tests, and the response rows of 0006: identity, zlib and zstd streams, whole and
 * in 256-byte frames), fed per request as the reactor delivered them.
 */
class ResponseVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ByteString STATUS = ByteString.latin1("status");
  private static final ByteString OK = ByteString.latin1("ok");

  /** One thing the reactor gave a request: a payload, or an error frame. */
  private sealed interface Step {}

  private record Data(ByteString data, boolean eos) implements Step {}

  private record ErrorFrame(Object type, Object message) implements Step {}

  /** What the reactor gave one request, in order. */
  private static final class Delivered {
    final List<Step> steps = new ArrayList<>();
  }

  @Test
  void okResponsesDecodeToOkTheirValuesAndTheEnd() throws Exception {
    int okRequests = 0;
    for (JsonNode row : rows()) {
      for (Map.Entry<Integer, Delivered> e : delivered(row).entrySet()) {
        if (e.getValue().steps.stream().anyMatch(s -> s instanceof ErrorFrame)) {
          continue;
        }
        ByteString all = ByteString.EMPTY;
        boolean eos = false;
        for (Step s : e.getValue().steps) {
          all = all.concat(((Data) s).data());
          eos |= ((Data) s).eos();
        }
        List<Object> oracle = decodeOrNull(all);
        String where = row.get("name").asText() + " request " + e.getKey();
        List<ResponseEvent> events = feed(e.getValue());
        if (oracle != null && !oracle.isEmpty() && oracle.get(0) instanceof Map
            && OK.equals(((Map<?, ?>) oracle.get(0)).get(STATUS))) {
          List<ResponseEvent> expected = new ArrayList<>();
          expected.add(new ResponseEvent.Ok());
          oracle.subList(1, oracle.size()).forEach(v -> expected.add(new ResponseEvent.Value(v)));
          if (eos) {
            expected.add(new ResponseEvent.End());
          }
          assertEquals(expected, events, where);
          okRequests++;
        } else {
          // Not a command response at all (the reactor tests' b'foo'): refused, never thrown.
          assertInstanceOf(ResponseEvent.Malformed.class, events.get(events.size() - 1), where);
        }
      }
    }
    // 0005 continuation (twice) + identity/zlib/zstd decoded rows, whole and in 256-byte frames.
    assertTrue(okRequests >= 11, "only " + okRequests + " ok responses in the vectors");
  }

  @Test
  void theRecordedServerResponseDecodesToItsValues() throws Exception {
    JsonNode row = rows().stream().filter(r -> r.get("name").asText().equals("identity: server response decoded"))
        .findFirst().orElseThrow();
    Map<Integer, Delivered> d = delivered(row);

    assertEquals(List.of(new ResponseEvent.Ok(), new ResponseEvent.Value(ByteString.latin1("response")),
        new ResponseEvent.Value(Map.of(ByteString.latin1("list"), List.of(1L, 2L, 3L))),
        new ResponseEvent.Value(ByteString.latin1("z".repeat(100))), new ResponseEvent.End()), feed(d.get(1)));
    assertEquals(List.of(new ResponseEvent.Ok(), new ResponseEvent.Value(ByteString.latin1("second response")),
        new ResponseEvent.End()), feed(d.get(3)));
  }

  @Test
  void errorFramesBecomeServerFailures() throws Exception {
    int errors = 0;
    for (JsonNode row : rows()) {
      for (Delivered d : delivered(row).values()) {
        for (Step s : d.steps) {
          if (!(s instanceof ErrorFrame f)) {
            continue;
          }
          ResponseDecoder decoder = new ResponseDecoder(Limits.DEFAULTS);
          ResponseEvent.ServerError e = assertInstanceOf(ResponseEvent.ServerError.class,
              decoder.onErrorFrame(f.type(), f.message()).get(0));
          assertEquals(ByteString.latin1("server"), e.failure().type(), row.get("name").asText());
          assertEquals("boom", e.failure().message(), row.get("name").asText());
          errors++;
        }
      }
    }
    assertTrue(errors >= 3, "only " + errors + " error frames in the vectors");
  }

  private static List<ResponseEvent> feed(Delivered d) {
    ResponseDecoder decoder = new ResponseDecoder(Limits.DEFAULTS);
    List<ResponseEvent> events = new ArrayList<>();
    for (Step s : d.steps) {
      events.addAll(s instanceof Data data ? decoder.onData(data.data(), data.eos())
          : decoder.onErrorFrame(((ErrorFrame) s).type(), ((ErrorFrame) s).message()));
    }
    return events;
  }

  private static List<Object> decodeOrNull(ByteString all) {
    try {
      return CborDecoder.decodeAll(all);
    } catch (CborDecodeException e) {
      return null;
    }
  }

  /** Each request's deliveries: responsedata payloads, and error-response frames (type, message). */
  private static Map<Integer, Delivered> delivered(JsonNode row) {
    Map<Integer, Delivered> out = new LinkedHashMap<>();
    for (JsonNode step : row.get("steps")) {
      JsonNode expect = step.get("expect");
      if (expect == null || !expect.has("requestid") || !expect.has("action")) {
        continue;
      }
      int id = expect.get("requestid").asInt();
      String action = expect.get("action").asText();
      if (action.equals("responsedata")) {
        out.computeIfAbsent(id, k -> new Delivered()).steps.add(new Data(
            ByteString.fromHex(expect.get("data_hex").asText()), expect.get("eos").asBoolean()));
      } else if (action.equals("error") && expect.has("type")) {
        // 0005 gives the type as text, 0006 as a literal.
        String type = expect.get("type").asText();
        Object t = type.startsWith("b'") ? PythonLiteral.parse(type) : ByteString.utf8(type);
        out.computeIfAbsent(id, k -> new Delivered()).steps.add(new ErrorFrame(t,
            PythonLiteral.parse(expect.get("message").asText())));
      }
    }
    return out;
  }

  private static List<JsonNode> rows() throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    rows.addAll(read("/vectors/client-reactor.jsonl"));
    rows.addAll(read("/org/hgrpc/core/response/client-reactor-0006-responses.jsonl"));
    return rows;
  }

  private static List<JsonNode> read(String resource) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (InputStream in = ResponseVectorsTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing vector file " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(JSON.readTree(line));
        }
      }
    }
    return rows;
  }
}
