package org.hgrpc.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeRequest;
import org.hgrpc.server.exchange.ServerExchange;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.server.spi.Permission;

/**
 * A tiny hgrpc server on the JDK's {@link HttpServer} (127.0.0.1, a free port), for tests that
 * need control WireMock cannot give: writing part of a body, then waiting or stalling. It
 * answers the handshake, and POSTs to {@code /api/exp-http-v2-0001/ro/<name>} with the
 * registered handler. The request body goes through the server's own
 * {@link ServerExchange} (the same class the servlet uses), so requests are judged and
 * responses framed exactly as the real server does; the frames are made as they are taken.
 */
final class TestServer implements AutoCloseable {
  static final String FRAMING = ExchangeApi.HTTP_V2_0001.framingMediaType();

  /** Full control of an exchange: the HTTP side, and the command request the exchange decoded. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange, Call request) throws IOException;
  }

  /**
   * One command request, as the server exchange ran it. Its answer is the values a handler
   * gives to {@link #respond}; until then, and unless the handler never answers, nothing is made.
   */
  static final class Call {
    private final Iterator<Frame> frames;
    private final CommandInvocation invocation;
    private final Answer answer;

    private Call(Iterator<Frame> frames, CommandInvocation invocation, Answer answer) {
      this.frames = frames;
      this.invocation = invocation;
      this.answer = answer;
    }

    /** The validated arguments. */
    Map<ByteString, Object> args() {
      return invocation.args();
    }

    /** The exchange's response frames for the objects {@code values} yields, made as they are taken. */
    Iterator<Frame> respond(Iterator<?> values) {
      answer.values = values;
      return frames;
    }
  }

  /** The values a command yields, given by its handler after the exchange has run it. */
  private static final class Answer implements Iterator<Object> {
    Iterator<?> values;
    CommandInvocation invocation;

    @Override
    public boolean hasNext() {
      return values().hasNext();
    }

    @Override
    public Object next() {
      return values().next();
    }

    private Iterator<?> values() {
      if (values == null) {
        throw new IllegalStateException("frames taken before the handler gave the values");
      }
      return values;
    }
  }

  private final HttpServer server;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

  private TestServer(HttpServer server) {
    this.server = server;
  }

  /** A started server. */
  static TestServer start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TestServer s = new TestServer(http);
    http.createContext("/", s::dispatch);
    http.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-server");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return s;
  }

  /** The base URI. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Answers command {@code name} with the values {@code producer} yields for the arguments. */
  void command(String name, Function<Map<ByteString, Object>, Iterator<?>> producer) {
    handlers.put(name, (exchange, request) -> writeFrames(exchange, respond(request, producer.apply(request.args()))));
  }

  /** Answers command {@code name} with {@code handler}. */
  void raw(String name, Handler handler) {
    handlers.put(name, handler);
  }

  /** The frames answering {@code request} with {@code values}, made as they are taken. */
  static Iterator<Frame> respond(Call request, Iterator<?> values) {
    return request.respond(values);
  }

  /** Sends a chunked 200 framing response of {@code frames}, flushing every 64 KiB. */
  static void writeFrames(HttpExchange exchange, Iterator<Frame> frames) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", FRAMING);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
      while (frames.hasNext()) {
        frames.next().writeTo(out);
      }
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("GET") && path.equals("/")) {
        byte[] body = handshake();
        exchange.getResponseHeaders().set("Content-Type", "application/mercurial-cbor");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String prefix = "/api/" + ExchangeApi.HTTP_V2_0001.apiName() + "/ro/";
      String name = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
      Handler handler = name != null ? handlers.get(name) : null;
      if (handler == null) {
        byte[] body = ("unknown wire protocol command: " + path).getBytes();
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      Answer answer = new Answer();
      CommandRegistry registry = CommandRegistry.builder().add(Command.of(name, Permission.PULL, List.of(),
          invocation -> {
            answer.invocation = invocation;
            return CommandResponse.objects(answer);
          })).build();
      ServerExchange serverExchange = new ServerExchange(registry, Limits.DEFAULTS,
          new ExchangeRequest(ExchangeApi.HTTP_V2_0001, false, ByteString.utf8(name), null, false));
      byte[] request = exchange.getRequestBody().readAllBytes();
      serverExchange.receive(request, 0, request.length);
      ExchangeOutcome outcome = serverExchange.endOfInput();
      if (outcome instanceof ExchangeOutcome.Refusal refusal) {
        // The client's requests are the subject of these tests: any refusal is a failure to show.
        byte[] body = (refusal.kind() + ": " + refusal.message()).getBytes();
        exchange.sendResponseHeaders(400, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      handler.handle(exchange, new Call(((ExchangeOutcome.Frames) outcome).frames(), answer.invocation, answer));
    } catch (IOException e) {
      // The client went away, as some tests make it do.
    } finally {
      exchange.close();
    }
  }

  private static byte[] handshake() {
    Map<Object, Object> caps = new LinkedHashMap<>();
    caps.put(ByteString.latin1("commands"), Map.of());
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), Map.of(ByteString.latin1(ExchangeApi.HTTP_V2_0001.apiName()), caps));
    return CborEncoder.encode(m);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
