package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way the HTTP exchange itself can go wrong, each to its own exception type. */
class HttpErrorsTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private HgrpcClient client;

  @BeforeEach
  void setUp() {
    Wire.stubHandshake(wm);
    client = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofMillis(800))
        .idleTimeout(Duration.ofMillis(400)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** Status codes with the bodies the reference server sent with them (500: ours). */
  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of("unknown command", 404, "unknown wire protocol command: badcommand"),
        Arguments.of("GET read-only command", 405, "commands require POST requests"),
        Arguments.of("missing accept", 406,
            "client MUST specify Accept header with value: application/mercurial-exp-framing-0005"),
        Arguments.of("bad content-type", 415,
            "client MUST send Content-Type header with value: application/mercurial-exp-framing-0005"),
        Arguments.of("multirequest rw command on ro url", 403,
            "insufficient permissions to execute command: pushkey"),
        Arguments.of("push not authorized", 401, "permission denied"),
        Arguments.of(null, 500, "Traceback: something broke"));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("statuses")
  void anErrorStatusCarriesTheServersText(String vector, int status, String text) {
    ResponseDefinitionBuilder answer;
    if (vector != null) {
      HttpVectors.Exchange v = HttpVectors.get(vector);
      assertEquals(status, v.status());
      answer = aResponse().withStatus(v.status()).withBody(v.responseBody());
      if (v.contentType() != null) {
        answer = answer.withHeader("Content-Type", v.contentType());
      }
    } else {
      answer = aResponse().withStatus(status).withHeader("Content-Type", "text/plain").withBody(text);
    }
    wm.stubFor(Wire.postRo("customreadonly").willReturn(answer));

    HttpStatusException e = assertThrows(HttpStatusException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals(status, e.statusCode());
    assertEquals(text, e.body().strip());
    assertTrue(e.refusal().isEmpty());
    assertTrue(e.getMessage().startsWith("HTTP " + status + " from " + wm.baseUrl()), e.getMessage());
    assertTrue(e.getMessage().endsWith(": " + text), e.getMessage());
  }

  @Test
  void aRefusalsExplanationJoinsTheMessage() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(403).withBody("permission denied")
        .withHeader("Hgrpc-Refusal", "ssl required: web.push_ssl is true (the default)")));

    HttpStatusException e = assertThrows(HttpStatusException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals("permission denied", e.body());
    assertEquals("ssl required: web.push_ssl is true (the default)", e.refusal().orElseThrow());
    assertTrue(e.getMessage().endsWith(": permission denied (ssl required: web.push_ssl is true (the default))"),
        e.getMessage());
  }

  @Test
  void aLongErrorBodyIsCut() {
    byte[] body = new byte[1 << 20];
    Arrays.fill(body, (byte) 'x');
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(500).withBody(body)));

    HttpStatusException e = assertThrows(HttpStatusException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals(HttpStatusException.MAX_BODY_CHARS + 3, e.body().length());
    assertTrue(e.body().endsWith("x..."));
  }

  @Test
  void aTextAnswerInsteadOfFramesIsShown() {
    HttpVectors.Exchange v = HttpVectors.get("two commands to command url");
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", v.contentType()).withBody(v.responseBody())));

    UnexpectedContentTypeException e = assertThrows(UnexpectedContentTypeException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals("text/plain", e.actual().orElseThrow());
    assertEquals(Wire.FRAMING, e.expected());
    assertEquals("multiple commands cannot be issued to this URL", e.body());
    assertTrue(e.getMessage().endsWith("but got text/plain: multiple commands cannot be issued to this URL"),
        e.getMessage());
  }

  @Test
  void aBinaryAnswerOfAnotherTypeIsNotPrinted() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/octet-stream").withBody(new byte[] {0, 1, 2})));

    UnexpectedContentTypeException e = assertThrows(UnexpectedContentTypeException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals("", e.body());
  }

  @Test
  void mediaTypeParametersAndCaseDoNotMatter() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "Application/Mercurial-Exp-Framing-0005; charset=binary")
        .withBody(HttpVectors.get("read-only command").responseBody())));

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      assertEquals(1, r.toList().size());
    }
  }

  @Test
  void aConnectionResetIsATransportFailure() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    TransportException e = assertThrows(TransportException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().startsWith("the request to " + wm.baseUrl() + Wire.API + "ro/customreadonly failed"),
        e.getMessage());
  }

  @Test
  void aConnectionClosedWithoutAnswerIsATransportFailure() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

    assertThrows(TransportException.class, () -> client.await(client.call("customreadonly", Map.of())));
  }

  @Test
  void aRefusedConnectionIsATransportFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (HgrpcClient c = HgrpcClient.builder("http://127.0.0.1:" + port + "/").build()) {
      TransportException e = assertThrows(TransportException.class, c::serverInfo);
      assertInstanceOf(java.net.ConnectException.class, e.getCause());
    }
  }

  @Test
  void garbageInsteadOfHttpIsATransportFailure() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

    assertThrows(TransportException.class, () -> client.await(client.call("customreadonly", Map.of())));
  }

  @Test
  void aBodyCutInsideTheFirstFrameFailsTheCall() {
    byte[] body = HttpVectors.get("read-only command").responseBody();
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(Arrays.copyOf(body, 12))));

    TruncatedResponseException e = assertThrows(TruncatedResponseException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertTrue(e.getMessage().contains("frame length error: expected 11; got 4"), e.getMessage());
  }

  @Test
  void aBodyCutInsideALaterFrameFailsTheReadingAfterTheValuesBeforeIt() {
    byte[] ok = Wire.okResponse(1, ByteString.latin1("first"), ByteString.utf8("x".repeat(40_000)));
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(Arrays.copyOf(ok, ok.length - 100))));

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      var it = r.iterator();
      assertEquals(ByteString.latin1("first"), it.next());
      TruncatedResponseException e = assertThrows(TruncatedResponseException.class, it::next);
      assertTrue(e.getMessage().contains("is truncated: frame length error"), e.getMessage());
    }
  }

  @Test
  void aBodyEndingBeforeTheEndOfStreamFrameIsTruncated() {
    byte[] ok = Wire.okResponse(1, ByteString.latin1("value"));
    byte[] withoutEos = Arrays.copyOf(ok, ok.length - 8); // the last frame is the empty eos frame
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(withoutEos)));

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      var it = r.iterator();
      assertEquals(ByteString.latin1("value"), it.next());
      TruncatedResponseException e = assertThrows(TruncatedResponseException.class, it::hasNext);
      assertTrue(e.getMessage().endsWith("ended before the end of request 1 (customreadonly)"), e.getMessage());
    }
  }

  @Test
  void slowHeadersTimeOut() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(HttpVectors.get("read-only command")
        .responseBody()).withFixedDelay(5000)));

    long start = System.nanoTime();
    HgrpcTimeoutException e = assertThrows(HgrpcTimeoutException.class,
        () -> client.await(client.call("customreadonly", Map.of())));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertInstanceOf(HttpTimeoutException.class, e.getCause());
    assertTrue(millis < 4000, "took " + millis + " ms");
    assertTrue(e.getMessage().contains("within 800 ms"), e.getMessage());
  }

  /** WireMock may hold back the headers too; whichever wait is cut, the call ends in time. */
  @Test
  void aDribblingBodyTimesOut() {
    byte[] body = Wire.okResponse(1, ByteString.latin1("a"), ByteString.latin1("b"), ByteString.latin1("c"));
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(body).withChunkedDribbleDelay(4, 8000)));

    long start = System.nanoTime();
    HgrpcTimeoutException e = assertThrows(HgrpcTimeoutException.class, () -> {
      try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
        r.toList();
      }
    });
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertInstanceOf(HttpTimeoutException.class, e.getCause());
    assertTrue(millis < 5000, "took " + millis + " ms");
  }

  @Test
  void errorsCarryTheRequestUri() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(aResponse().withStatus(404).withBody("no")));

    HttpStatusException e = assertThrows(HttpStatusException.class,
        () -> client.await(client.call("customreadonly", Map.of())));

    assertEquals(wm.baseUrl() + Wire.API + "ro/customreadonly", e.uri().toString());
  }
}
