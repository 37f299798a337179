package org.hgrpc.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameReader;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ServerReactor;
import org.hgrpc.server.exchange.ExchangeApi;

/**
 * A tiny hgrpc server on the JDK's {@link HttpServer} (127.0.0.1, a free port), for tests that
 * need control WireMock cannot give: writing part of a body, then waiting or stalling. It
 * answers the handshake offering one API, and POSTs to {@code /api/<api>/ro/<name>} with the
 * registered handler. Responses are made by the server's own {@code ServerExchange} (through
 * {@link Wire#exchangeFrames}), frame by frame, as the values are produced; with framing 0006
 * ({@link #start(Framing, ContentEncodings)}) the exchange reads the request's settings frame and
 * encodes the response with the first of the server's encodings the client listed.
 */
final class TestServer implements AutoCloseable {
  static final String FRAMING = "application/mercurial-exp-framing-0005";

  /** Full control of an exchange. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange, Action.RunCommand request) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Framing framing;
  private final ContentEncodings encoders;
  /** The request body each command came in, to replay into the reactor that answers it. */
  private final Map<Action.RunCommand, byte[]> requestBodies = Collections.synchronizedMap(new IdentityHashMap<>());

  private TestServer(HttpServer server, Framing framing, ContentEncodings encoders) {
    this.server = server;
    this.framing = framing;
    this.encoders = encoders;
  }

  /** A started server of API exp-http-v2-0001 (framing 0005). */
  static TestServer start() throws IOException {
    return start(Framing.V0005, ContentEncodings.DEFAULT);
  }

  /** A started server of {@code framing}'s API; with 0006 it encodes with {@code encoders}. */
  static TestServer start(Framing framing, ContentEncodings encoders) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TestServer s = new TestServer(http, framing, encoders);
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

  /** The media type of this server's frames. */
  String mediaType() {
    return framing.mediaType();
  }

  /** Answers command {@code name} with the values {@code producer} yields for the arguments. */
  void command(String name, Function<Map<Object, Object>, Iterator<?>> producer) {
    handlers.put(name, (exchange, request) -> send(exchange, answer(request, producer.apply(request.args()))));
  }

  /**
   * The frames answering {@code request} (received by this server) with {@code values}, made as
   * they are taken by the server's own exchange of this server's API, which reads the whole
   * request body again (with 0006, its settings frame chooses the encoding).
   */
  Iterator<Frame> answer(Action.RunCommand request, Iterator<?> values) throws IOException {
    byte[] body = requestBodies.get(request);
    if (body == null) {
      throw new IOException("request " + request.requestId() + " did not come to this server");
    }
    return Wire.exchangeFrames(api(framing), encoders, body, request.command(), request.args(), values);
  }

  /** Sends a chunked 200 response of {@code frames} in this server's media type, flushing every 64 KiB. */
  void send(HttpExchange exchange, Iterator<Frame> frames) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", mediaType());
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16)) {
      while (frames.hasNext()) {
        frames.next().writeTo(out);
      }
    }
  }

  /** Answers command {@code name} with {@code handler}. */
  void raw(String name, Handler handler) {
    handlers.put(name, handler);
  }

  /**
   * The frames answering {@code request} with {@code values}, made as they are taken by the
   * server's own exchange of API exp-http-v2-0001 (fed the request's frames again).
   */
  static Iterator<Frame> respond(Action.RunCommand request, Iterator<?> values) {
    byte[] body = org.hgrpc.core.frame.Frames.createCommandFrames(new org.hgrpc.core.frame.FrameStream(1),
        request.requestId(), request.command(), request.args(), null).next().encode();
    return Wire.exchangeFrames(ExchangeApi.HTTP_V2_0001, ContentEncodings.DEFAULT, body, request.command(),
        request.args(), values);
  }

  private static ExchangeApi api(Framing framing) {
    return framing == Framing.V0005 ? ExchangeApi.HTTP_V2_0001 : ExchangeApi.HTTP_V2_0003;
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
        byte[] body = handshake(framing);
        exchange.getResponseHeaders().set("Content-Type", "application/mercurial-cbor");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      String prefix = "/api/" + framing.httpApiName() + "/ro/";
      Handler handler = path.startsWith(prefix) ? handlers.get(path.substring(prefix.length())) : null;
      if (handler == null) {
        byte[] body = ("unknown wire protocol command: " + path).getBytes();
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      byte[] requestBody = exchange.getRequestBody().readAllBytes();
      Action.RunCommand request = readRequest(framing, requestBody);
      requestBodies.put(request, requestBody);
      try {
        handler.handle(exchange, request);
      } finally {
        requestBodies.remove(request);
      }
    } catch (IOException e) {
      // The client went away, as some tests make it do.
    } finally {
      exchange.close();
    }
  }

  /** The one command request in a request body. */
  static Action.RunCommand readRequest(byte[] body) throws IOException {
    return readRequest(Framing.V0005, body);
  }

  /** The one command request in a request body of {@code framing}. */
  static Action.RunCommand readRequest(Framing framing, byte[] body) throws IOException {
    ServerReactor reactor = new ServerReactor(ServerReactor.Options.of(framing).withDeferOutput(true).withLimits(Limits.DEFAULTS));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(body), Limits.DEFAULTS);
    Frame f;
    try {
      while ((f = reader.readFrame()) != null) {
        Action a = reactor.onFrameReceived(f);
        if (a instanceof Action.RunCommand) {
          return (Action.RunCommand) a;
        }
      }
    } catch (ProtocolException e) {
      // The client under test sent bytes that are not frames: fail the exchange like a bad read.
      throw new IOException("malformed request body: " + e.getMessage(), e);
    }
    throw new IOException("no command in the request");
  }

  private static byte[] handshake(Framing framing) {
    Map<Object, Object> caps = new LinkedHashMap<>();
    caps.put(ByteString.latin1("commands"), Map.of());
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), Map.of(ByteString.latin1(framing.httpApiName()), caps));
    return CborEncoder.encode(m);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
