package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.FrameType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against Mercurial 4.8's recorded exchanges (API {@code exp-http-v2-0003}, framing
 * 0006): the handshake chooses the API, requests carry the settings frame and equal the
 * recording byte for byte, and responses in identity, zlib and zstd decode to the values the
 * identity recordings hold (read here by a plain walk of the frames, not by the client).
 */
class Api0003Test {
  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static final String GROUP = "repo48";
  private static final String FRAMING = "application/mercurial-exp-framing-0006";

  private final List<HgrpcClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(HgrpcClient::close);
  }

  private HgrpcClient client(String encoders) {
    HgrpcClient.Builder b = HgrpcClient.builder(wm.baseUrl()).requestTimeout(Duration.ofSeconds(5));
    if (encoders != null) {
      b.contentEncoders(List.of(encoders.split(" ")));
    }
    HgrpcClient c = b.build();
    clients.add(c);
    return c;
  }

  private static void stubReferenceHandshake() {
    Wire.stubHandshake(wm, HttpVectors.get0006(GROUP, "handshake").responseBody());
  }

  /** Stubs the recorded exchange {@code name}: answered only if the client sends the recorded body. */
  private static HttpVectors.Exchange stub(String name) {
    HttpVectors.Exchange v = HttpVectors.get0006(GROUP, name);
    wm.stubFor(post(urlEqualTo(v.path())).withRequestBody(binaryEqualTo(v.requestBody()))
        .willReturn(aResponse().withStatus(v.status()).withHeader("Content-Type", v.contentType())
            .withBody(v.responseBody())));
    return v;
  }

  private static void verifySent(HttpVectors.Exchange v) {
    wm.verify(postRequestedFor(urlEqualTo(v.path()))
        .withHeader("Accept", equalTo(FRAMING))
        .withHeader("Content-Type", equalTo(FRAMING))
        .withRequestBody(binaryEqualTo(v.requestBody())));
  }

  /**
   * The values of request {@code requestId} in an identity-encoded recorded body: the payloads
   * of its command-response frames (identity leaves them as they are), decoded as CBOR.
   */
  static List<Object> identityValues(byte[] body, int requestId) {
    ByteArrayOutputStream payloads = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int len = (body[i] & 0xff) | (body[i + 1] & 0xff) << 8 | (body[i + 2] & 0xff) << 16;
      int request = (body[i + 3] & 0xff) | (body[i + 4] & 0xff) << 8;
      if (request == requestId && (body[i + 7] & 0xff) >> 4 == FrameType.COMMAND_RESPONSE.id()) {
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

  private static List<Object> identityValues(String name, int requestId) {
    return identityValues(HttpVectors.get0006(GROUP, name).responseBody(), requestId);
  }

  // ---- the handshake ----

  @Test
  void theReferencesHandshakeChoosesApi0003AndItsCapabilities() {
    stubReferenceHandshake();

    ServerInfo info = client(null).serverInfo();

    assertEquals(Framing.V0006, info.framing());
    assertEquals("exp-http-v2-0003", info.apiName());
    assertEquals(List.of("exp-http-v2-0003"), info.offeredApis());
    assertEquals("api/", info.apiBase());
    Capabilities caps = info.capabilities();
    assertTrue(caps.commands().keySet().containsAll(Set.of("heads", "known", "lookup", "listkeys", "pushkey",
        "changesetdata", "manifestdata", "filedata", "filesdata", "rawstorefiledata", "capabilities")),
        caps.commands().keySet().toString());
    Capabilities.Argument publiconly = caps.command("heads").orElseThrow().arguments().get("publiconly");
    assertEquals(new Capabilities.Argument("publiconly", "bool", false, false, Set.of(), null), publiconly);
    Capabilities.Argument fields = caps.command("changesetdata").orElseThrow().arguments().get("fields");
    assertEquals("set", fields.type());
    assertEquals(Set.of(ByteString.latin1("bookmarks"), ByteString.latin1("parents"), ByteString.latin1("phase"),
        ByteString.latin1("revision")), fields.validValues());
    Capabilities.Argument revisions = caps.command("changesetdata").orElseThrow().arguments().get("revisions");
    assertTrue(revisions.required());
    assertNull(revisions.defaultValue());
    assertEquals(50000L, caps.command("filesdata").orElseThrow().recommendedBatchSize());
    assertNull(caps.command("heads").orElseThrow().recommendedBatchSize());
    assertEquals(org.hgrpc.core.Permission.PUSH, caps.command("pushkey").orElseThrow().permission());
    assertEquals(List.of(), caps.compression());
    assertEquals(List.of(FRAMING), caps.framingMediaTypes());
    assertTrue(caps.pathFilterPrefixes().containsAll(List.of("path:", "rootfilesin:")), caps.pathFilterPrefixes()
        .toString());
    assertTrue(caps.rawRepoFormats().contains("revlogv1"), caps.rawRepoFormats().toString());
  }

  @Test
  void theHandshakeNamesBothApisInOneHeader() {
    stubReferenceHandshake();

    client(null).serverInfo();

    // Servers join X-HgUpgrade-1, -2, ... without a separator: two names in two headers would become one.
    wm.verify(getRequestedFor(urlEqualTo("/?cmd=capabilities"))
        .withHeader("X-HgUpgrade-1", equalTo("exp-http-v2-0003 exp-http-v2-0001"))
        .withHeader("X-HgUpgrade-2", absent())
        .withHeader("X-HgProto-1", equalTo("cbor"))
        .withHeader("Accept", equalTo("application/mercurial-0.1")));
  }

  @Test
  void aLongApiListIsCutIntoNumberedHeadersAsMercurialDoes() {
    String value = "x".repeat(2500);

    Map<String, String> headers = Handshake.headerSeries("X-HgUpgrade", value, 1024);

    assertEquals(List.of("X-HgUpgrade-1", "X-HgUpgrade-2", "X-HgUpgrade-3"), List.copyOf(headers.keySet()));
    assertEquals(value, String.join("", headers.values()));
    for (Map.Entry<String, String> h : headers.entrySet()) {
      assertTrue(h.getKey().length() + 2 + h.getValue().length() + 2 <= 1024, h.getKey());
    }
  }

  private static byte[] handshakeOffering(String... apis) {
    Map<Object, Object> offered = new LinkedHashMap<>();
    for (String api : apis) {
      offered.put(ByteString.latin1(api), Wire.defaultCapabilities());
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), offered);
    return CborEncoder.encode(m);
  }

  @Test
  void withBothApisOfferedThe0003OneIsChosen() {
    Wire.stubHandshake(wm, handshakeOffering("exp-http-v2-0001", "exp-http-v2-0003"));

    ServerInfo info = client(null).serverInfo();

    assertEquals(Framing.V0006, info.framing());
    assertEquals(List.of("exp-http-v2-0001", "exp-http-v2-0003"), info.offeredApis());
  }

  @Test
  void aForcedApiIsUsedEvenWhenAPreferredOneIsOffered() {
    Wire.stubHandshake(wm, handshakeOffering("exp-http-v2-0001", "exp-http-v2-0003"));
    HgrpcClient forced = HgrpcClient.builder(wm.baseUrl()).framing(Framing.V0005).build();
    HgrpcClient byName = HgrpcClient.builder(wm.baseUrl()).api("exp-http-v2-0001").build();
    clients.add(forced);
    clients.add(byName);

    assertEquals(Framing.V0005, forced.serverInfo().framing());
    assertEquals(Framing.V0005, byName.serverInfo().framing());
  }

  @Test
  void aForcedApiTheServerDoesNotOfferFailsNamingWhatItOffers() {
    stubReferenceHandshake();
    HgrpcClient forced = HgrpcClient.builder(wm.baseUrl()).framing(Framing.V0005).build();
    clients.add(forced);

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, forced::serverInfo);

    assertEquals("handshake: the server does not offer API exp-http-v2-0001; it offers [exp-http-v2-0003]",
        e.getMessage());
  }

  @Test
  void aServerOfferingNoApiOfOursSaysItOffersNone() {
    // What 4.8 answers a client asking only for 0001: an empty apis map.
    Wire.stubHandshake(wm, HttpVectors.get0006(GROUP, "handshake only 0001 offered").responseBody());

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class, client(null)::serverInfo);

    assertEquals("handshake: the server does not offer API exp-http-v2-0003 or exp-http-v2-0001; it offers none",
        e.getMessage());
  }

  @Test
  void builderOptionsRefuseWhatTheClientCannotDo() {
    HgrpcClient.Builder b = HgrpcClient.builder(wm.baseUrl());
    IllegalArgumentException api = assertThrows(IllegalArgumentException.class, () -> b.api("exp-http-v2-0002"));
    assertEquals("unknown API exp-http-v2-0002; this client speaks exp-http-v2-0003 or exp-http-v2-0001",
        api.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.contentEncoders(List.of("brotli")));
    assertThrows(IllegalArgumentException.class, () -> b.contentEncoders(List.of("zlib", "zlib")));
    assertThrows(IllegalArgumentException.class, () -> b.contentEncoders(List.of()));
  }

  // ---- commands: each encoding decodes to the identity recording's values ----

  @ParameterizedTest
  @CsvSource({"heads, identity", "heads zlib, zlib identity", "heads zstd, zstd-8mb zlib identity",
      "heads zlib only, zlib", "heads encoder order identity first, identity zlib"})
  void headsInEachEncoding(String row, String encoders) {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub(row);
    List<Node> expected = Values.nodes(identityValues("heads", 1).get(1), "expected heads");

    List<Node> heads = client(encoders).repository().heads(false);

    assertEquals(expected, heads);
    assertEquals(2, heads.size());
    verifySent(v);
  }

  @Test
  void theDefaultEncodersAreZstdZlibIdentity() {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub("heads zstd"); // recorded with zstd-8mb, zlib, identity

    client(null).repository().heads(false);

    verifySent(v);
  }

  @ParameterizedTest
  @CsvSource({"capabilities, identity", "capabilities zlib, zlib identity",
      "capabilities zstd, zstd-8mb zlib identity"})
  void capabilitiesInEachEncoding(String row, String encoders) {
    stubReferenceHandshake();
    stub(row);
    Map<?, ?> expected = (Map<?, ?>) identityValues("capabilities", 1).get(1);

    Capabilities caps = client(encoders).capabilities();

    assertEquals(expected, caps.raw());
    assertEquals(client(null).serverInfo().capabilities().commands().keySet(), caps.commands().keySet());
  }

  @Test
  void typedCommandsDecodeTheRecordedValues() {
    stubReferenceHandshake();
    stub("listkeys bookmarks");
    stub("known mixed");
    stub("lookup b'tip'");
    RepositoryCommands repo = client("identity").repository();

    Map<ByteString, ByteString> bookmarks = repo.listkeys("bookmarks");
    assertEquals(identityValues("listkeys bookmarks", 1).get(1), bookmarks);
    assertTrue(bookmarks.containsKey(ByteString.latin1("main")), bookmarks.toString());

    List<Node> nodes = new ArrayList<>();
    for (Object n : (List<?>) knownArgument()) {
      nodes.add(Node.of((ByteString) n));
    }
    // 4.8 answers as 4.7 did: one ASCII '1' or '0' per node.
    List<Boolean> expected = new ArrayList<>();
    for (char ch : ((ByteString) identityValues("known mixed", 1).get(1)).utf8().toCharArray()) {
      expected.add(ch == '1');
    }
    assertEquals(expected, repo.known(nodes));
    assertTrue(expected.contains(true) && expected.contains(false), expected.toString());

    assertEquals(Values.node(identityValues("lookup b'tip'", 1).get(1), "tip"), repo.lookup("tip"));
  }

  /** The nodes argument of the recorded "known mixed" request. */
  private static Object knownArgument() {
    try {
      byte[] body = HttpVectors.get0006(GROUP, "known mixed").requestBody();
      // The settings frame, then the command request frame: its CBOR map holds the arguments.
      int first = 8 + ((body[0] & 0xff) | (body[1] & 0xff) << 8 | (body[2] & 0xff) << 16);
      int len = (body[first] & 0xff) | (body[first + 1] & 0xff) << 8 | (body[first + 2] & 0xff) << 16;
      Map<?, ?> request = (Map<?, ?>) CborDecoder.decodeAll(ByteString.wrap(java.util.Arrays.copyOfRange(body,
          first + 8, first + 8 + len))).get(0);
      return ((Map<?, ?>) request.get(ByteString.latin1("args"))).get(ByteString.latin1("nodes"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @CsvSource({"multirequest heads known zlib, zlib identity", "multirequest heads known, identity"})
  void aBatchDecodesEachRequestsStream(String row, String encoders) {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub(row);
    HgrpcClient c = client(encoders);

    List<CompletableFuture<CommandResult>> results = c.batch(List.of(CommandCall.of("heads"),
        CommandCall.of("known").withArg("nodes", List.of())));

    try (CommandResult heads = c.await(results.get(0)); CommandResult known = c.await(results.get(1))) {
      assertEquals(identityValues("multirequest heads known", 1).subList(1, 2), heads.toList());
      assertEquals(identityValues("multirequest heads known", 3).subList(1, 2), known.toList());
    }
    verifySent(v);
  }

  @Test
  void aBatchWithFailuresAndAZlibStreamAfterThem() {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub("multirequest command error then command");
    HgrpcClient c = client("zlib identity");

    List<CompletableFuture<CommandResult>> results = c.batch(List.of(
        CommandCall.of("lookup").withArg("key", "doesnotexist"),
        CommandCall.of("manifestdata").withArg("nodes", List.of(Node.fromHex("11".repeat(20))))
            .withArg("tree", ByteString.EMPTY),
        CommandCall.of("heads")));

    ServerErrorException lookup = assertThrows(ServerErrorException.class, () -> c.await(results.get(0)));
    assertTrue(lookup.getMessage().contains("unknown revision 'doesnotexist'"), lookup.getMessage());
    CommandErrorException manifest = assertThrows(CommandErrorException.class, () -> c.await(results.get(1)));
    assertEquals(ByteString.latin1("unknown node: %s"), manifest.format());
    assertEquals(List.of(Node.fromHex("11".repeat(20)).bytes()), manifest.args());
    try (CommandResult heads = c.await(results.get(2))) {
      assertEquals(identityValues("heads", 1).subList(1, 2), heads.toList());
    }
    verifySent(v);
  }

  @Test
  void aLargeZlibFileRevisionMatchesItsNode() throws Exception {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub("fd big.bin zlib");
    HgrpcClient c = client("zlib identity");
    CommandCall call = CommandCall.of("filedata")
        .withArg("fields", Set.of(ByteString.latin1("revision")))
        .withArg("nodes", List.of(Node.fromHex("554f3b94bf4488373b5fcc3bf06aa9300eea8003"),
            Node.fromHex("9a2be53018c55cafc69011d2b9f34adffae672ba")))
        .withArg("path", "big.bin");

    List<Object> values;
    try (CommandResult r = c.await(c.call(call))) {
      values = r.toList();
    }

    verifySent(v);
    assertEquals(Map.of(ByteString.latin1("totalitems"), 2L), values.get(0));
    Map<?, ?> first = (Map<?, ?>) values.get(1);
    ByteString revision = (ByteString) values.get(2);
    assertEquals(Node.fromHex("554f3b94bf4488373b5fcc3bf06aa9300eea8003").bytes(), first.get(ByteString.latin1("node")));
    assertEquals(0x22000, revision.size());
    // A first revision's node is SHA-1 of two null parents and its text: the decoded bytes are right.
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(new byte[40]);
    sha1.update(revision.toByteArray());
    assertArrayEquals(Node.fromHex("554f3b94bf4488373b5fcc3bf06aa9300eea8003").bytes().toByteArray(), sha1.digest());
  }

  @Test
  void aCorruptEncodedStreamIsAProtocolError() {
    stubReferenceHandshake();
    HttpVectors.Exchange v = HttpVectors.get0006(GROUP, "heads zlib");
    byte[] body = v.responseBody().clone();
    // The stream-settings frame (8 + 5 bytes), then a frame whose payload is the zlib header 78 9c.
    assertEquals(0x78, body[13 + 8] & 0xff);
    body[13 + 8] = 0x00;
    wm.stubFor(post(urlEqualTo(v.path())).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", FRAMING).withBody(body)));

    ProtocolErrorException e = assertThrows(ProtocolErrorException.class,
        () -> client("zlib identity").repository().heads(false));

    assertTrue(e.getMessage().contains("error decoding stream 2 payload"), e.getMessage());
  }

  @Test
  void eachResponsesZstdDecoderIsFreedWhenTheExchangeEnds() throws Exception {
    stubReferenceHandshake();
    stub("heads zstd");
    HgrpcClient c = client(null);
    c.repository().heads(false);
    long before = ContentEncodings.liveNativeContexts();
    for (int i = 0; i < 100; i++) {
      c.repository().heads(false);
    }
    // The exchange ends (and frees) on the pump's thread, possibly just after the result is handed over.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (ContentEncodings.liveNativeContexts() > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    // A collection in between could only lower the count; without closing it grows by 100.
    assertTrue(ContentEncodings.liveNativeContexts() <= before,
        "zstd contexts left after 100 calls: " + (ContentEncodings.liveNativeContexts() - before));
  }

  @Test
  void callRawHandsOverTheEncodedFrames() throws Exception {
    stubReferenceHandshake();
    HttpVectors.Exchange v = stub("heads zstd");

    byte[] body;
    HgrpcClient c = client(null);
    try (var in = c.await(c.callRaw(CommandCall.of("heads")))) {
      body = in.readAllBytes();
    }

    assertArrayEquals(v.responseBody(), body);
  }

  @Test
  void aRequestDifferingFromTheRecordingIsNotAnswered() {
    // Guards the stubs above: they answer only the recorded request body, else WireMock says 404.
    stubReferenceHandshake();
    HgrpcClient c = client("zlib");
    stub("heads zlib"); // recorded with zlib, identity: a client offering only zlib differs

    HttpStatusException e = assertThrows(HttpStatusException.class, () -> c.repository().heads(false));

    assertEquals(404, e.statusCode());
  }
}
