package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.reactor.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single calls against recorded exchanges: the request the server received (method, URL,
 * headers, and its frames decoded by the core's server reactor), and the result decoded.
 */
class CallTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private HgrpcClient client;

  @BeforeEach
  void setUp() {
    Wire.stubHandshake(wm);
    client = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(3)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void aReadOnlyCommandSendsTheReferenceClientsBytes() throws Exception {
    HttpVectors.Exchange v = HttpVectors.get("read-only command");
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(v.responseBody())));

    CommandResult r = client.call("customreadonly", Map.of()).get(5, TimeUnit.SECONDS);

    assertEquals("customreadonly", r.command());
    assertEquals(1, r.requestId());
    assertEquals(List.of(ByteString.latin1("customreadonly bytes response")), r.toList());
    Received sent = onlyCommandRequest();
    sent.assertPost("/api/exp-http-v2-0001/ro/customreadonly");
    assertEquals(1, sent.command().requestId());
    assertEquals(ByteString.latin1("customreadonly"), sent.command().command());
    assertEquals(Map.of(), sent.command().args());
    assertNull(sent.command().data());
    wm.verify(postRequestedFor(urlEqualTo(v.path()))
        .withHeader("Accept", equalTo(Wire.FRAMING))
        .withHeader("Content-Type", equalTo(Wire.FRAMING))
        .withRequestBody(binaryEqualTo(v.requestBody())));
  }

  @Test
  void aCommandNeedingPushGoesToTheRwUrl() throws Exception {
    HttpVectors.Exchange v = HttpVectors.get("read-write command");
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));

    try (CommandResult r = client.await(client.call("customreadwrite", Map.of()))) {
      assertEquals(ByteString.latin1("customreadwrite bytes response"), r.single());
    }
    Received sent = onlyCommandRequest();
    sent.assertPost("/api/exp-http-v2-0001/rw/customreadwrite");
    assertEquals(ByteString.latin1("customreadwrite"), sent.command().command());
    assertEquals(Map.of(), sent.command().args());
    wm.verify(postRequestedFor(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody())));
  }

  @Test
  void anExplicitPermissionWins() throws Exception {
    HttpVectors.Exchange v = HttpVectors.get("read-write allowed");
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));

    try (CommandResult r = client.await(client.call(CommandCall.of("customreadonly")
        .withPermission(Permission.PUSH)))) {
      assertEquals(ByteString.latin1("customreadonly bytes response"), r.single());
    }
    Received sent = onlyCommandRequest();
    sent.assertPost("/api/exp-http-v2-0001/rw/customreadonly");
    assertEquals(ByteString.latin1("customreadonly"), sent.command().command());
    wm.verify(postRequestedFor(urlEqualTo("/api/exp-http-v2-0001/rw/customreadonly")));
  }

  @Test
  void aCommandTheServerDoesNotListGoesToTheRoUrl() throws Exception {
    wm.stubFor(Wire.postRo("mycommand").willReturn(Wire.frames(Wire.okResponse(1, ByteString.latin1("x")))));

    try (CommandResult r = client.await(client.call("mycommand", Map.of()))) {
      assertEquals(ByteString.latin1("x"), r.single());
    }
    onlyCommandRequest().assertPost("/api/exp-http-v2-0001/ro/mycommand");
  }

  /** A request the server received: its HTTP parts and its frames decoded by the core's server reactor. */
  private record Received(String method, String url, String contentType, String accept, String authorization,
      Action.RunCommand command) {
    void assertPost(String expectedUrl) {
      assertEquals("POST", method);
      assertEquals(expectedUrl, url);
      assertEquals(Wire.FRAMING, contentType);
      assertEquals(Wire.FRAMING, accept);
      assertNull(authorization, "no credentials were configured");
    }
  }

  /** The one request other than the handshake that reached the server. */
  private static Received onlyCommandRequest() throws java.io.IOException {
    List<LoggedRequest> requests = wm.getAllServeEvents().stream().map(ServeEvent::getRequest)
        .filter(r -> !r.getUrl().equals("/?cmd=capabilities")).toList();
    assertEquals(1, requests.size(), "requests: " + requests);
    LoggedRequest r = requests.get(0);
    return new Received(r.getMethod().getName(), r.getUrl(), r.getHeader("Content-Type"), r.getHeader("Accept"),
        r.getHeader("Authorization"), TestServer.readRequest(r.getBody()));
  }

  @Test
  void argumentsAreEncodedAsTheReferenceClientEncodesThem() throws Exception {
    HttpVectors.Exchange v = HttpVectors.get("repo pushkey bookmark");
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));

    CommandCall call = CommandCall.of("pushkey", Map.of("namespace", "bookmarks", "key", "newbm",
        "old", "", "new", "0000000000000000000000000000000000000000")).withPermission(Permission.PUSH);
    try (CommandResult r = client.await(client.call(call))) {
      assertEquals(true, r.single());
    }
    Received sent = onlyCommandRequest();
    sent.assertPost("/api/exp-http-v2-0001/rw/pushkey");
    assertEquals(ByteString.latin1("pushkey"), sent.command().command());
    assertEquals(Map.of(ByteString.latin1("namespace"), ByteString.latin1("bookmarks"),
        ByteString.latin1("key"), ByteString.latin1("newbm"), ByteString.latin1("old"), ByteString.EMPTY,
        ByteString.latin1("new"), ByteString.latin1("0000000000000000000000000000000000000000")),
        sent.command().args());
    wm.verify(postRequestedFor(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody())));
  }

  @Test
  void basicCredentialsGoWithEveryRequest() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(HttpVectors.get("read-only command")
        .responseBody())));
    try (HgrpcClient c = HgrpcClient.builder(wm.baseUrl()).basicAuth("alice", "s3cret").build();
        CommandResult r = c.await(c.call("customreadonly", Map.of()))) {
      r.toList();
    }
    String expected = "Basic YWxpY2U6czNjcmV0"; // base64("alice:s3cret")
    wm.verify(getRequestedFor(urlEqualTo("/?cmd=capabilities")).withHeader("Authorization", equalTo(expected)));
    wm.verify(postRequestedFor(urlEqualTo(Wire.API + "ro/customreadonly"))
        .withHeader("Authorization", equalTo(expected)));
  }

  @Test
  void aGivenHttpClientIsUsed() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(HttpVectors.get("read-only command")
        .responseBody())));
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    try (HgrpcClient c = HgrpcClient.builder(wm.baseUrl()).httpClient(http).build();
        CommandResult r = c.await(c.call("customreadonly", Map.of()))) {
      assertEquals(1, r.toList().size());
    }
  }

  @Test
  void aResultIsConsumedOnce() {
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(HttpVectors.get("read-only command")
        .responseBody())));
    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      r.iterator();
      assertThrows(IllegalStateException.class, r::bytes);
      assertThrows(IllegalStateException.class, r::toList);
    }
  }

  @Test
  void aClosedClientRefusesNewCalls() {
    client.close();
    CallCancelledException e = assertThrows(CallCancelledException.class,
        () -> client.await(client.call("customreadonly", Map.of())));
    assertEquals("the client is closed", e.getMessage());
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> HgrpcClient.builder("ftp://example/"));
    assertThrows(IllegalArgumentException.class, () -> HgrpcClient.builder("http://h/?cmd=x"));
    assertThrows(IllegalArgumentException.class,
        () -> HgrpcClient.builder("http://h/").requestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> HgrpcClient.builder("http://h/").basicAuth("a:b", "c"));
    assertThrows(IllegalArgumentException.class, () -> client.batch(List.of()));
  }
}
