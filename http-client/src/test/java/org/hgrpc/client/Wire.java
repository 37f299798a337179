package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.FrameType;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeRequest;
import org.hgrpc.server.exchange.ServerExchange;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/** Real protocol bytes for stubs: handshakes, responses made by the server's own exchange, WireMock stubs. */
final class Wire {
  private Wire() {}

  static final String FRAMING = ExchangeApi.HTTP_V2_0001.framingMediaType();
  static final String API = "/api/" + ExchangeApi.HTTP_V2_0001.apiName() + "/";

  /** The capabilities of the vectors' {@code default} group (it has customreadonly and customreadwrite). */
  static Map<?, ?> defaultCapabilities() {
    return (Map<?, ?>) decodeResponse(HttpVectors.get("capabilities command").responseBody()).get(1);
  }

  /** A handshake answer offering the API with {@code capabilities}. */
  static byte[] handshake(Map<?, ?> capabilities) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), Map.of(ByteString.latin1("exp-http-v2-0001"), capabilities));
    m.put(ByteString.latin1("v1capabilities"), ByteString.latin1("batch branchmap"));
    return CborEncoder.encode(m);
  }

  /** Stubs {@code GET /?cmd=capabilities} with a handshake offering the default group's commands. */
  static void stubHandshake(WireMockExtension wm) {
    stubHandshake(wm, handshake(defaultCapabilities()));
  }

  static void stubHandshake(WireMockExtension wm, byte[] body) {
    wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("cmd", com.github.tomakehurst.wiremock.client.WireMock
        .equalTo("capabilities"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/mercurial-cbor")
            .withBody(body)));
  }

  /** A POST to {@code <api>ro/<command>}. */
  static MappingBuilder postRo(String command) {
    return post(urlPathEqualTo(API + "ro/" + command));
  }

  /** A 200 framing response with {@code body}. */
  static ResponseDefinitionBuilder frames(byte[] body) {
    return aResponse().withStatus(200).withHeader("Content-Type", FRAMING).withBody(body);
  }

  /** The frames the server exchange sends for request {@code requestId} yielding {@code values}. */
  static byte[] okResponse(int requestId, Object... values) {
    return encode(serverFrames(requestId, List.of(values).iterator()));
  }

  /**
   * The frames of an objects response for {@code requestId}, made by the server's own
   * {@link ServerExchange} answering a request for a command {@code c} that yields {@code values}.
   */
  static List<Frame> serverFrames(int requestId, Iterator<?> values) {
    byte[] request = Frames.createCommandFrames(new FrameStream(1), requestId, ByteString.latin1("c"), Map.of(), null)
        .next().encode();
    return exchangeFrames(ExchangeApi.HTTP_V2_0001, ContentEncodings.DEFAULT, request, ByteString.latin1("c"),
        Map.of(), values).toList();
  }

  /**
   * The frames the server's own {@link ServerExchange} of {@code api} answers {@code requestBody}
   * with, for a command {@code command} (taking the optional arguments {@code args}) yielding
   * {@code values}: made as they are taken, so a test sees values produced while they are sent.
   * Under 0003 the exchange reads the body's settings frame and encodes with the first of
   * {@code encoders} the client listed.
   *
   * @throws AssertionError if the exchange refuses the request
   */
  static FrameIterator exchangeFrames(ExchangeApi api, ContentEncodings encoders, byte[] requestBody,
      ByteString command, Map<?, ?> args, Iterator<?> values) {
    List<ArgumentSpec> specs = new ArrayList<>();
    args.keySet().forEach(k -> specs.add(new ArgumentSpec((ByteString) k, null, false)));
    CommandRegistry registry = CommandRegistry.builder()
        .add(Command.of(command.utf8(), Permission.PULL, specs, call -> CommandResponse.objects(values))).build();
    ServerExchange exchange = new ServerExchange(registry, Limits.DEFAULTS, encoders,
        new ExchangeRequest(api, false, command, null, false));
    exchange.receive(requestBody, 0, requestBody.length);
    ExchangeOutcome outcome = exchange.endOfInput();
    if (!(outcome instanceof ExchangeOutcome.Frames frames)) {
      throw new AssertionError(outcome);
    }
    return frames.frames();
  }

  /** A command error response: {@code {status: error, error: {message, args}}}. */
  static byte[] commandError(int requestId, String format, String... args) {
    List<ByteString> a = new ArrayList<>();
    for (String s : args) {
      a.add(ByteString.utf8(s));
    }
    return Frames.createCommandErrorResponse(new FrameStream(2), requestId, ByteString.utf8(format), a).encode();
  }

  /** An error frame of {@code type}. */
  static byte[] errorFrame(int requestId, String type, String message) {
    return Frames.createErrorFrame(new FrameStream(2), requestId, ByteString.utf8(message), ByteString.latin1(type))
        .encode();
  }

  static byte[] encode(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The CBOR values of the command-response frames of a recorded body (one request). */
  static List<Object> decodeResponse(byte[] body) {
    ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int len = (body[i] & 0xff) | (body[i + 1] & 0xff) << 8 | (body[i + 2] & 0xff) << 16;
      if ((body[i + 7] & 0xff) >> 4 == FrameType.COMMAND_RESPONSE.id()) {
        payloads.write(body, i + 8, len);
      }
      i += 8 + len;
    }
    try {
      return CborDecoder.decodeAll(ByteString.wrap(payloads.toByteArray()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
