package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.Permission;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.frame.FrameDecoder;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.Test;

/** The example of docs/commands.md, run as written. */
class DocsCommandExampleTest {

  // --- docs/commands.md: begin example
  static final Command GREET = Command.of("greet", Permission.PULL,
      List.of(ArgumentSpec.required("name", ByteString.utf8("world"))),
      call -> {
        ByteString name = call.arg("name", ByteString.class, null);
        if (name.isEmpty()) {
          throw new CommandError("name must not be empty");
        }
        return CommandResponse.object(ByteString.utf8("hello, " + name.utf8()));
      });

  static HgrpcServer start() throws Exception {
    CommandRegistry registry = CommandRegistry.builder().add(GREET).build();
    ServerSettings settings = ServerSettings.from(HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true"));
    return HgrpcServer.builder().address("127.0.0.1").port(0)
        .settings(settings).registry(registry).build().start();
  }
  // --- docs/commands.md: end example

  @Test
  void greetAnswersOverHttp() throws Exception {
    try (HgrpcServer server = start()) {
      byte[] body = Frames.createCommandFrames(new FrameStream(1), 1, ByteString.utf8("greet"),
          Map.of(ByteString.utf8("name"), ByteString.utf8("hg")), null).next().encode();
      HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(server.uri() + "api/exp-http-v2-0001/ro/greet"))
          .header("Accept", "application/mercurial-exp-framing-0005")
          .header("Content-Type", "application/mercurial-exp-framing-0005")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      List<Object> values = new ArrayList<>();
      java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
      new FrameDecoder(Limits.DEFAULTS).feed(java.nio.ByteBuffer.wrap(r.body()),
          f -> payload.writeBytes(f.payload().toByteArray()));
      values.addAll(CborDecoder.decodeAll(ByteString.wrap(payload.toByteArray())));
      assertEquals(List.of(Map.of(ByteString.utf8("status"), ByteString.utf8("ok")), ByteString.utf8("hello, hg")),
          values);
    }
  }
}
