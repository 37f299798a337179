package org.hgrpc.client.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/**
 * The http-server module's embedded server on a free loopback port, with the two commands the
 * reference's HTTP tests register (as the server's own tests register them) and a few more
 * that exercise what the client must handle: arguments, large streamed output, errors.
 */
final class EmbeddedServer implements AutoCloseable {
  /** The vectors' {@code open} group: pushing allowed to everyone over plain HTTP. */
  static final String OPEN = "[experimental]\nweb.apiserver = true\nweb.api.http-v2 = true\n"
      + "web.api.debugreflect = true\n[web]\npush_ssl = false\nallow-push = *\n";
  /** The vectors' {@code readonly} group: nobody may push. */
  static final String READONLY = "[experimental]\nweb.apiserver = true\nweb.api.http-v2 = true\n"
      + "[web]\npush_ssl = false\n";

  static final Command CUSTOM_READ_ONLY = Command.of("customreadonly", Permission.PULL, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadonly bytes response")));
  static final Command CUSTOM_READ_WRITE = Command.of("customreadwrite", Permission.PUSH, List.of(),
      call -> CommandResponse.object(ByteString.latin1("customreadwrite bytes response")));
  /** Yields its {@code value} argument back. */
  static final Command ECHO = Command.of("echo", Permission.PULL, List.of(ArgumentSpec.required("value", true)),
      call -> CommandResponse.object(call.arg("value").orElseThrow()));
  /** Yields {@code size} zero bytes as one indefinite byte string, made while sent. */
  static final Command STREAM = Command.of("stream", Permission.PULL, List.of(ArgumentSpec.required("size", 42L)),
      call -> CommandResponse.object(IndefiniteByteString.fromChunks(zeros(call.arg("size", Long.class, 0L)))));
  /** Fails with a command error whose message has arguments. */
  static final Command FAIL = Command.of("fail", Permission.PULL, List.of(),
      call -> {
        throw new CommandError(ByteString.latin1("cannot %s: %s"),
            List.of(ByteString.latin1("fail"), ByteString.latin1("on purpose")));
      });
  /** Fails with an ordinary exception: a server error frame. */
  static final Command EXPLODE = Command.of("explode", Permission.PULL, List.of(),
      call -> {
        throw new IllegalStateException("boom");
      });
  /** Two fixed heads, so {@code hgrpc call URL heads} has something to print. */
  static final Command HEADS = Command.of("heads", Permission.PULL, List.of(ArgumentSpec.optional("publiconly",
      false)), call -> CommandResponse.object(List.of(ByteString.fromHex("ddf943f5d05b0fa97ff16fa5f809e64d343f21c6"),
      ByteString.fromHex("29c9ad264e2de94dd2d47f45c908b40707b95994"))));

  private final HgrpcServer server;
  private final ByteArrayOutputStream errors;
  private final ByteArrayOutputStream access;

  private EmbeddedServer(HgrpcServer server, ByteArrayOutputStream errors, ByteArrayOutputStream access) {
    this.server = server;
    this.errors = errors;
    this.access = access;
  }

  /** A started server with {@code hgrc}'s settings and {@code commands}. */
  static EmbeddedServer start(String hgrc, Command... commands) throws Exception {
    return start(ServerSettings.from(HgrcConfig.parse(hgrc, "test.hgrc", null)), commands);
  }

  /** A started server with {@code settings} and {@code commands}. */
  static EmbeddedServer start(ServerSettings settings, Command... commands) throws Exception {
    CommandRegistry.Builder registry = CommandRegistry.builder();
    for (Command c : commands) {
      registry.add(c);
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    ByteArrayOutputStream access = new ByteArrayOutputStream();
    HgrpcServer s = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings).registry(registry.build())
        .errorLog(new PrintStream(errors, true, StandardCharsets.UTF_8))
        .accessLog(new PrintStream(access, true, StandardCharsets.UTF_8)).build().start();
    return new EmbeddedServer(s, errors, access);
  }

  /** The base URI. */
  URI uri() {
    return server.uri();
  }

  /** The server's access log (one line per request, with the HTTP version). */
  String accessLog() {
    synchronized (access) {
      return access.toString(StandardCharsets.UTF_8);
    }
  }

  /** What the server logged: the cause of each refusal, and unexpected errors. */
  String errorLog() {
    return errors.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded server", e);
    }
  }

  static Iterator<ByteString> zeros(long total) {
    ByteString chunk = ByteString.wrap(new byte[65536]);
    return new Iterator<>() {
      private long left = total;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public ByteString next() {
        int n = (int) Math.min(chunk.size(), left);
        left -= n;
        return n == chunk.size() ? chunk : chunk.substring(0, n);
      }
    };
  }
}
