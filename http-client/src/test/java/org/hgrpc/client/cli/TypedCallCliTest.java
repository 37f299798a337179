package org.hgrpc.client.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import org.hgrpc.client.HttpVectorsAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hgrpc call} typing {@code KEY=VALUE} by the capabilities of the recorded repository
 * server ({@code publiconly: False}, {@code nodes: [b'deadbeef']}, {@code namespace: b'ns'}):
 * what goes on the wire is compared with the frames of the same call written as literals.
 */
class TypedCallCliTest {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static final String RO = "/api/exp-http-v2-0001/ro/";
  private static final String NODE1 = "ddf943f5d05b0fa97ff16fa5f809e64d343f21c6";
  private static final String NODE2 = "29c9ad264e2de94dd2d47f45c908b40707b95994";

  @BeforeEach
  void setUp() {
    wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-cbor")
        .withBody(HttpVectorsAccess.responseBody("repo handshake"))));
  }

  private void replay(String vector, String path) {
    wm.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-exp-framing-0005")
        .withBody(HttpVectorsAccess.responseBody(vector))));
  }

  /** The body of the one POST the run made. */
  private static byte[] posted() {
    List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlPathMatching("/api/.*")));
    assertEquals(1, posts.size(), posts.toString());
    return posts.get(0).getBody();
  }

  /** The frames {@code frames encode} makes of {@code command} with literal {@code args}. */
  private static byte[] literally(String command, String... args) {
    String[] cli = new String[3 + 2 * args.length];
    cli[0] = "frames";
    cli[1] = "encode";
    cli[2] = "--command=" + command;
    for (int i = 0; i < args.length; i++) {
      cli[3 + 2 * i] = "--arg";
      cli[4 + 2 * i] = args[i];
    }
    CliRun r = CliRun.run(cli);
    assertEquals(0, r.exitCode(), r.toString());
    return r.stdout();
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "False", "0", "no", "off"})
  void publiconlyFalseIsSentAsFalse(String word) {
    replay("repo heads", RO + "heads");

    CliRun r = CliRun.run("call", "--compact", wm.baseUrl(), "heads", "publiconly=" + word);

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(literally("heads", "publiconly=cbor:False"), posted());
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "1", "yes", "on"})
  void publiconlyTrueIsSentAsTheReferenceClientSendsIt(String word) {
    replay("repo heads publiconly", RO + "heads");

    CliRun r = CliRun.run("call", wm.baseUrl(), "heads", "publiconly=" + word);

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(HttpVectorsAccess.requestBody("repo heads publiconly"), posted());
  }

  @Test
  void aWordThatIsNoBooleanIsRefusedBeforeAnythingIsPosted() {
    CliRun r = CliRun.run("call", wm.baseUrl(), "heads", "publiconly=maybe");

    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertEquals("hgrpc: argument publiconly of heads is a boolean: 'maybe' is none of "
        + "true, yes, on, 1, false, no, off, 0\n", r.stderr());
    assertEquals(0, wm.findAll(postRequestedFor(urlPathMatching(".*"))).size());
  }

  @Test
  void theLiteralSyntaxStillWins() {
    replay("repo heads publiconly", RO + "heads");

    CliRun r = CliRun.run("call", wm.baseUrl(), "heads", "publiconly=cbor:True");

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(HttpVectorsAccess.requestBody("repo heads publiconly"), posted());
  }

  @Test
  void knownTakesTheNodesHeadsPrinted() {
    replay("repo heads", RO + "heads");
    CliRun heads = CliRun.run("call", "--compact", wm.baseUrl(), "heads");
    assertEquals("[\"" + NODE1 + "\",\"" + NODE2 + "\"]\n", heads.out());
    wm.resetRequests();

    wm.stubFor(post(urlPathEqualTo(RO + "known")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-exp-framing-0005")
        .withBody(HttpVectorsAccess.okResponse(org.hgrpc.core.ByteString.latin1("11")))));
    CliRun known = CliRun.run("call", wm.baseUrl(), "known", "nodes=" + heads.out().strip());

    assertEquals(0, known.exitCode(), known.toString());
    assertEquals("\"11\"\n", known.out());
    byte[] expected = literally("known", "nodes=cbor:[b'" + escaped(NODE1) + "', b'" + escaped(NODE2) + "']");
    assertArrayEquals(expected, posted());

    wm.resetRequests();
    CliRun commas = CliRun.run("call", wm.baseUrl(), "known", "nodes=" + NODE1 + "," + NODE2);
    assertEquals(0, commas.exitCode(), commas.toString());
    assertArrayEquals(expected, posted());
  }

  private static String escaped(String hex) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      sb.append("\\x").append(hex, i, i + 2);
    }
    return sb.toString();
  }

  @Test
  void bytesArgumentsAreTheirText() {
    replay("repo listkeys bookmarks", RO + "listkeys");

    CliRun r = CliRun.run("call", wm.baseUrl(), "listkeys", "namespace=bookmarks");

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(HttpVectorsAccess.requestBody("repo listkeys bookmarks"), posted());
  }

  @Test
  void anUnknownArgumentNamesTheCommandsArguments() {
    CliRun r = CliRun.run("call", wm.baseUrl(), "pushkey", "namespace=bookmarks", "value=x");

    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertEquals("hgrpc: pushkey has no argument 'value'; its arguments: key (bytes), namespace (bytes), "
        + "new (bytes), old (bytes)\n", r.stderr());

    CliRun none = CliRun.run("call", wm.baseUrl(), "branchmap", "x=1");
    assertEquals("hgrpc: branchmap takes no arguments, not 'x'\n", none.stderr());
  }

  @Test
  void untypedSendsTextUnchecked() {
    wm.stubFor(post(urlPathEqualTo(RO + "heads")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/mercurial-exp-framing-0005")
        .withBody(HttpVectorsAccess.okResponse(List.of()))));

    CliRun r = CliRun.run("call", "--untyped", wm.baseUrl(), "heads", "foo=bar", "publiconly=false");

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(literally("heads", "foo=bar", "publiconly=false"), posted());
  }

  @Test
  void theCapabilitiesAreFetchedOncePerRun() {
    replay("repo heads", RO + "heads");

    CliRun r = CliRun.run("call", wm.baseUrl(), "heads", "publiconly=false");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(1, wm.findAll(getRequestedFor(urlPathMatching(".*"))).size());
    assertEquals(0, wm.findAll(postRequestedFor(urlPathEqualTo(RO + "capabilities"))).size());
  }
}
