package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.cbor.CborEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HandshakeTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private HgrpcClient client;

  @BeforeEach
  void setUp() {
    client = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(3)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void decodesTheReferenceServersHandshake() {
    Wire.stubHandshake(wm, HttpVectors.get("repo handshake").responseBody());

    ServerInfo info = client.serverInfo();

    assertEquals("api/", info.apiBase());
    assertEquals("exp-http-v2-0001", info.apiName());
    assertEquals(org.hgrpc.core.Framing.V0005, info.framing());
    assertEquals(List.of("exp-http-v2-0001"), info.offeredApis());
    Capabilities caps = info.capabilities();
    assertEquals(Set.of("branchmap", "capabilities", "heads", "known", "listkeys", "lookup", "pushkey"),
        caps.commands().keySet());
    assertEquals(Permission.PUSH, caps.command("pushkey").orElseThrow().permission());
    assertEquals(Permission.PULL, caps.command("heads").orElseThrow().permission());
    assertEquals(Map.of(ByteString.latin1("publiconly"), false), caps.command("heads").orElseThrow().args());
    assertEquals(List.of("zlib"), caps.compression());
    assertEquals(List.of("application/mercurial-exp-framing-0005"), caps.framingMediaTypes());
    assertTrue(info.v1Capabilities().utf8().startsWith("batch branchmap bundle2="));
  }

  @Test
  void asksToUpgradeWithTheProtocolsHeaders() {
    Wire.stubHandshake(wm);

    client.serverInfo();

    wm.verify(getRequestedFor(urlEqualTo("/?cmd=capabilities"))
        .withHeader("X-HgUpgrade-1", equalTo("exp-http-v2-0003 exp-http-v2-0001"))
        .withHeader("X-HgProto-1", equalTo("cbor"))
        .withHeader("Accept", equalTo("application/mercurial-0.1")));
  }

  @Test
  void isDoneOnceForManyCalls() {
    Wire.stubHandshake(wm);
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(HttpVectors.get("read-only command")
        .responseBody())));

    for (int i = 0; i < 3; i++) {
      try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
        r.toList();
      }
    }

    wm.verify(exactly(1), getRequestedFor(urlPathEqualTo("/")));
    wm.verify(exactly(3), postRequestedFor(urlEqualTo(Wire.API + "ro/customreadonly")));
  }

  @Test
  void commandsGoUnderTheApibaseTheServerNames() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("elsewhere/"));
    m.put(ByteString.latin1("apis"), Map.of(ByteString.latin1("exp-http-v2-0001"), Wire.defaultCapabilities()));
    Wire.stubHandshake(wm, CborEncoder.encode(m));
    wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
        urlPathEqualTo("/elsewhere/exp-http-v2-0001/ro/customreadonly"))
        .willReturn(Wire.frames(HttpVectors.get("read-only command").responseBody())));

    try (CommandResult r = client.await(client.call("customreadonly", Map.of()))) {
      assertEquals(List.of(ByteString.latin1("customreadonly bytes response")), r.toList());
    }
  }

  @Test
  void aServerWithoutTheApiIsReportedAsThat() {
    wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-0.1")
        .withBody(HttpVectors.get("repo handshake without upgrade").responseBody())));

    UnexpectedContentTypeException e = assertThrows(UnexpectedContentTypeException.class, client::serverInfo);

    assertTrue(e.getMessage().contains("legacy protocol"), e.getMessage());
    assertTrue(e.getMessage().contains("does not offer exp-http-v2-0003 or exp-http-v2-0001"), e.getMessage());
    assertEquals("application/mercurial-0.1", e.actual().orElseThrow());
  }

  @Test
  void anAnswerWithoutOurApiNamesWhatIsOffered() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), Map.of(ByteString.latin1("exp-http-v3"), Map.of()));
    Wire.stubHandshake(wm, CborEncoder.encode(m));

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, client::serverInfo);

    assertTrue(e.getMessage().contains("does not offer API exp-http-v2-0003 or exp-http-v2-0001; it offers [exp-http-v3]"),
        e.getMessage());
  }

  @Test
  void anAnswerThatIsNotCborIsAProtocolError() {
    Wire.stubHandshake(wm, new byte[] {(byte) 0xa1, 0x41});

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, client::serverInfo);

    assertTrue(e.getMessage().startsWith("handshake: "), e.getMessage());
  }

  @Test
  void aFailedHandshakeIsTriedAgainByTheNextCall() {
    wm.stubFor(get(urlPathEqualTo("/")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo("up"));
    wm.stubFor(get(urlPathEqualTo("/")).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/mercurial-cbor")
            .withBody(Wire.handshake(Wire.defaultCapabilities()))));

    HttpStatusException first = assertThrows(HttpStatusException.class, client::serverInfo);
    assertEquals(503, first.statusCode());

    assertEquals("api/", client.serverInfo().apiBase());
  }

  @Test
  void aBaseUriWithAPathKeepsIt() {
    Wire.stubHandshake(wm);
    wm.stubFor(get(urlPathEqualTo("/repo/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-cbor").withBody(Wire.handshake(Wire.defaultCapabilities()))));
    wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/repo" + Wire.API + "ro/heads"))
        .willReturn(Wire.frames(Wire.okResponse(1, List.of()))));

    try (HgrpcClient c = HgrpcClient.builder(wm.baseUrl() + "/repo").build()) {
      assertEquals(List.of(), c.repository().heads(false));
    }
  }
}
