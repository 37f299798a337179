package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The typed helpers against the reference server's answers for the fixture repository. */
class TypedHelpersTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  static final Node TIP = Node.fromHex("ddf943f5d05b0fa97ff16fa5f809e64d343f21c6");
  static final Node STABLE = Node.fromHex("29c9ad264e2de94dd2d47f45c908b40707b95994");

  private HgrpcClient client;

  @BeforeEach
  void setUp() {
    Wire.stubHandshake(wm, HttpVectors.get("repo handshake").responseBody());
    client = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(3)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** Stubs the vector's URL with its response, and returns it to verify the request body. */
  private HttpVectors.Exchange replay(String name) {
    HttpVectors.Exchange v = HttpVectors.get(name);
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));
    return v;
  }

  private void verifySent(HttpVectors.Exchange v) {
    wm.verify(postRequestedFor(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody())));
  }

  @Test
  void heads() {
    HttpVectors.Exchange v = replay("repo heads");
    assertEquals(List.of(TIP, STABLE), client.repository().heads(false));
    verifySent(v);
  }

  @Test
  void publicHeads() {
    HttpVectors.Exchange v = replay("repo heads publiconly");
    assertEquals(List.of(Node.fromHex("972109e8389059c3d37aedd5dd8bbe9698ea9ea0")), client.repository().heads(true));
    verifySent(v);
  }

  @Test
  void knownOfNoNodes() {
    HttpVectors.Exchange v = replay("repo known empty");
    assertEquals(List.of(), client.repository().known(List.of()));
    verifySent(v);
  }

  @Test
  void knownAnswersInOrder() {
    wm.stubFor(Wire.postRo("known").willReturn(Wire.frames(Wire.okResponse(1, ByteString.latin1("101")))));
    assertEquals(List.of(true, false, true), client.repository().known(List.of(TIP, Node.NULL, STABLE)));
  }

  @Test
  void knownWithTheWrongNumberOfAnswersIsAProtocolError() {
    wm.stubFor(Wire.postRo("known").willReturn(Wire.frames(Wire.okResponse(1, ByteString.latin1("1")))));
    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client.repository().known(List.of(TIP, STABLE)));
    assertEquals("known: asked about 2 nodes but got 1 answers: b'1'", e.getMessage());
  }

  @Test
  void listkeys() {
    HttpVectors.Exchange v = replay("repo listkeys bookmarks");
    assertEquals(Map.of(ByteString.latin1("feature"), ByteString.latin1(TIP.hex()), ByteString.latin1("release"),
        ByteString.latin1(STABLE.hex())), client.repository().listkeys("bookmarks"));
    verifySent(v);
  }

  @Test
  void lookup() {
    HttpVectors.Exchange v = replay("repo lookup tip");
    assertEquals(TIP, client.repository().lookup("tip"));
    verifySent(v);
  }

  @Test
  void lookupOfAnUnknownKeyIsAServerError() {
    replay("repo lookup unknown");
    ServerErrorException e = assertThrows(ServerErrorException.class, () -> client.repository().lookup("doesnotexist"));
    assertEquals("unknown revision 'doesnotexist'", e.serverMessage());
  }

  @Test
  void branchmap() {
    HttpVectors.Exchange v = replay("repo branchmap");
    assertEquals(Map.of(ByteString.latin1("default"), List.of(TIP), ByteString.latin1("stable"), List.of(STABLE)),
        client.repository().branchmap());
    verifySent(v);
  }

  @Test
  void pushkeyGoesToTheRwUrl() {
    HttpVectors.Exchange v = replay("repo pushkey bookmark");
    assertTrue(client.repository().pushkey("bookmarks", "newbm", "", Node.NULL.hex()));
    verifySent(v);
  }

  @Test
  void capabilities() {
    HttpVectors.Exchange v = replay("repo capabilities");
    Capabilities caps = client.capabilities();
    assertEquals(Permission.PUSH, caps.command("pushkey").orElseThrow().permission());
    assertFalse(caps.command("customreadonly").isPresent());
    verifySent(v);
  }

  @Test
  void aValueOfTheWrongShapeIsAProtocolError() {
    wm.stubFor(Wire.postRo("heads").willReturn(Wire.frames(Wire.okResponse(1, Map.of()))));
    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> client.repository().heads(false));
    assertEquals("heads: expected a list, got map {}", e.getMessage());

    wm.stubFor(Wire.postRo("lookup").willReturn(Wire.frames(Wire.okResponse(1, ByteString.latin1("short")))));
    e = assertThrows(ProtocolErrorException.class, () -> client.repository().lookup("x"));
    assertEquals("lookup: expected a node of 20 bytes, got 5 bytes: b'short'", e.getMessage());
  }

  @Test
  void aResponseWithSeveralValuesIsNotASingleValue() {
    wm.stubFor(Wire.postRo("lookup").willReturn(Wire.frames(Wire.okResponse(1, TIP.bytes(), TIP.bytes()))));
    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, () -> client.repository().lookup("x"));
    assertEquals("lookup: expected one value in the response, got 2", e.getMessage());
  }
}
