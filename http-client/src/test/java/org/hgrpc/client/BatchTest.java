package org.hgrpc.client;

import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several commands in one exchange: one multirequest POST, results matched by request id. */
class BatchTest {
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

  private static Object single(HgrpcClient client, CompletableFuture<CommandResult> f) {
    try (CommandResult r = client.await(f)) {
      return r.single();
    }
  }

  /** The frame as a later frame of its stream: the error frame before it began the stream. */
  private static Frame withoutStreamBegin(Frame f) {
    return new Frame(f.requestId(), f.streamId(), 0, f.typeId(), f.flags(), f.payload());
  }

  @Test
  void aBatchIsOnePostOfTheReferenceClientsFrames() {
    HttpVectors.Exchange v = HttpVectors.get("multirequest");
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("customreadonly"),
        CommandCall.of("customreadonly")));

    assertEquals(ByteString.latin1("customreadonly bytes response"), single(client, results.get(0)));
    assertEquals(ByteString.latin1("customreadonly bytes response"), single(client, results.get(1)));
    wm.verify(postRequestedFor(urlEqualTo("/api/exp-http-v2-0001/ro/multirequest"))
        .withRequestBody(binaryEqualTo(v.requestBody())));
  }

  @Test
  void resultsAreMatchedByRequestIdWhateverTheOrderOfTheAnswers() {
    // The reference server answered request 3 before request 1.
    HttpVectors.Exchange v = HttpVectors.get("repo interleaved listkeys");
    wm.stubFor(post(urlPathEqualTo(v.path())).willReturn(Wire.frames(v.responseBody())));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(
        CommandCall.of("listkeys").withArg("namespace", "bookmarks"),
        CommandCall.of("listkeys").withArg("namespace", "namespaces")));

    try (CommandResult bookmarks = client.await(results.get(0));
        CommandResult namespaces = client.await(results.get(1))) {
      assertEquals(1, bookmarks.requestId());
      assertEquals(3, namespaces.requestId());
      assertEquals(Map.of(ByteString.latin1("feature"), ByteString.latin1("ddf943f5d05b0fa97ff16fa5f809e64d343f21c6"),
          ByteString.latin1("release"), ByteString.latin1("29c9ad264e2de94dd2d47f45c908b40707b95994")),
          bookmarks.single());
      assertEquals(Map.of(ByteString.latin1("bookmarks"), ByteString.EMPTY, ByteString.latin1("namespaces"),
          ByteString.EMPTY, ByteString.latin1("phases"), ByteString.EMPTY), namespaces.single());
    }
  }

  @Test
  void framesOfTheRequestsMayAlternate() {
    List<Frame> one = Wire.serverFrames(1, List.of(ByteString.latin1("a1"), ByteString.wrap(new byte[40_000]),
        ByteString.latin1("a3")).iterator());
    List<Frame> three = Wire.serverFrames(3, List.of(ByteString.latin1("b1"), ByteString.wrap(new byte[50_000]),
        ByteString.latin1("b3")).iterator());
    List<Frame> mixed = new ArrayList<>();
    for (int i = 0; i < Math.max(one.size(), three.size()); i++) {
      if (i < three.size()) {
        mixed.add(three.get(i)); // its first frame begins the server's stream 2
      }
      if (i < one.size()) {
        mixed.add(withoutStreamBegin(one.get(i)));
      }
    }
    wm.stubFor(Wire.postRo("multirequest").willReturn(Wire.frames(Wire.encode(mixed))));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("a"), CommandCall.of("b")));

    try (CommandResult a = client.await(results.get(0)); CommandResult b = client.await(results.get(1))) {
      assertEquals(List.of(ByteString.latin1("a1"), ByteString.wrap(new byte[40_000]), ByteString.latin1("a3")),
          a.toList());
      assertEquals(List.of(ByteString.latin1("b1"), ByteString.wrap(new byte[50_000]), ByteString.latin1("b3")),
          b.toList());
    }
  }

  @Test
  void oneFailingRequestDoesNotFailTheOthers() {
    List<Frame> ok = new ArrayList<>();
    Wire.serverFrames(1, List.of(ByteString.latin1("fine")).iterator()).forEach(f -> ok.add(withoutStreamBegin(f)));
    byte[] body = Wire.concat(Wire.errorFrame(3, "server", "no such thing"), Wire.encode(ok));
    wm.stubFor(Wire.postRo("multirequest").willReturn(Wire.frames(body)));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("a"), CommandCall.of("b")));

    assertEquals(ByteString.latin1("fine"), single(client, results.get(0)));
    ServerErrorException e = assertThrows(ServerErrorException.class, () -> client.await(results.get(1)));
    assertEquals("b: server error: no such thing", e.getMessage());
  }

  @Test
  void aBatchWithAPushCommandGoesToTheRwUrl() {
    HttpVectors.Exchange v = HttpVectors.get("multirequest");
    wm.stubFor(post(urlPathEqualTo("/api/exp-http-v2-0001/rw/multirequest")).willReturn(Wire.frames(
        v.responseBody())));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("customreadonly"),
        CommandCall.of("customreadwrite")));

    assertEquals(ByteString.latin1("customreadonly bytes response"), single(client, results.get(0)));
    wm.verify(postRequestedFor(urlEqualTo("/api/exp-http-v2-0001/rw/multirequest")));
  }

  @Test
  void aBatchOfOneIsAPlainCall() {
    HttpVectors.Exchange v = HttpVectors.get("read-only command");
    wm.stubFor(Wire.postRo("customreadonly").willReturn(Wire.frames(v.responseBody())));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("customreadonly")));

    assertEquals(ByteString.latin1("customreadonly bytes response"), single(client, results.get(0)));
  }

  @Test
  void aRequestLeftUnansweredIsTruncated() {
    wm.stubFor(Wire.postRo("multirequest").willReturn(Wire.frames(Wire.okResponse(1, ByteString.latin1("x")))));

    List<CompletableFuture<CommandResult>> results = client.batch(List.of(CommandCall.of("a"), CommandCall.of("b")));

    assertEquals(ByteString.latin1("x"), single(client, results.get(0)));
    TruncatedResponseException e = assertThrows(TruncatedResponseException.class, () -> client.await(results.get(1)));
    assertEquals(true, e.getMessage().endsWith("ended before the end of request 3 (b)"), e.getMessage());
  }
}
