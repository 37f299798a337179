package org.hgrpc.client.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hgrpc.client.CommandCall;
import org.hgrpc.client.CommandResult;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.client.ServerInfo;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against the embedded server, which serves API exp-http-v2-0003 (framing 0006)
 * beside exp-http-v2-0001: the client takes 0003, the server encodes with its preference among
 * the client's encodings, and commands answer the same values as under 0001.
 */
class EndToEnd0003Test {
  private static EmbeddedServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedServer.start(EmbeddedServer.OPEN, EmbeddedServer.CUSTOM_READ_ONLY,
        EmbeddedServer.CUSTOM_READ_WRITE, EmbeddedServer.ECHO, EmbeddedServer.FAIL, EmbeddedServer.HEADS, EmbeddedServer.STREAM);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void theHandshakeOffersBothApisAndTheClientTakes0003() {
    try (HgrpcClient client = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(10)).build()) {
      ServerInfo info = client.serverInfo();
      assertEquals(Framing.V0006, info.framing());
      assertTrue(info.offeredApis().containsAll(List.of("exp-http-v2-0001", "exp-http-v2-0003")), info.offeredApis()::toString);
      assertEquals(List.of("application/mercurial-exp-framing-0006"), client.capabilities().framingMediaTypes());
      assertEquals(info.capabilities().commands().keySet(), client.capabilities().commands().keySet());
    }
  }

  @Test
  void everyEncodingAnswersTheSameValues() {
    for (List<String> encoders : List.of(List.of("identity"), List.of("zlib"), List.of("zstd-8mb"),
        List.of("identity", "zlib", "zstd-8mb"))) {
      try (HgrpcClient client = HgrpcClient.builder(server.uri()).contentEncoders(encoders)
          .requestTimeout(Duration.ofSeconds(10)).build();
          CommandResult r = client.await(client.call(CommandCall.of("customreadonly")))) {
        assertEquals(ByteString.latin1("customreadonly bytes response"), r.single(), encoders::toString);
      }
    }
  }

  /**
   * 64 MiB of zeros: zstd and zlib make payloads that decode to far more than a frame may hold
   * on the wire, which the client must take as data, streamed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"identity", "zlib", "zstd-8mb"})
  void aLargeResponseStreamsWithEveryEncoding(String encoding) throws Exception {
    long size = 64L << 20;
    try (HgrpcClient client = HgrpcClient.builder(server.uri()).contentEncoders(List.of(encoding))
        .requestTimeout(Duration.ofSeconds(60)).build();
        CommandResult r = client.await(client.call(CommandCall.of("stream").withArg("size", size)));
        InputStream in = r.bytes()) {
      assertEquals(size, in.transferTo(OutputStream.nullOutputStream()), encoding);
    }
  }

  @Test
  void argumentsRoundTrip() {
    try (HgrpcClient client = HgrpcClient.builder(server.uri()).requestTimeout(Duration.ofSeconds(10)).build();
        CommandResult r = client.await(client.call("echo", Map.of("value", ByteString.latin1("hi"))))) {
      assertEquals(ByteString.latin1("hi"), r.single());
    }
  }
}
