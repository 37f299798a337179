package org.hgrpc.client;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Limits;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandRequest;

/**
 * A client of an hgrpc server (Mercurial's frame-based protocol over HTTP, API
 * {@value #API_NAME}), on the JDK's {@link HttpClient}.
 *
 * <pre>{@code
 * try (HgrpcClient client = HgrpcClient.builder(URI.create("http://127.0.0.1:8000/")).build()) {
 *   List<Node> heads = client.heads(false);                                  // typed, blocking
 *   CommandResult r = client.call("customreadonly", Map.of()).join();        // generic, async
 *   try (InputStream in = r.bytes()) { in.transferTo(System.out); }
 * }
 * }</pre>
 *
 * <p>Before the first command the client does the handshake ({@link #handshake()}), which
 * tells where the API lives ({@code apibase}) and what each command needs. Each call, or each
 * {@link #batch batch} of calls, is then one HTTP POST with its own single-send
 * {@link ClientReactor}: one command to {@code <base><apibase><api>/<ro|rw>/<command>}, several
 * to {@code .../multirequest}, their results matched to them by request id. Responses are
 * decoded while they arrive ({@link CommandResult}).
 *
 * <p>Failures are {@link HgrpcException}s, one subclass per cause. Nothing waits forever: the
 * connect timeout bounds connecting, the request timeout the wait for response headers, and
 * the idle timeout every pause in a response body and every wait of a consumer for the next
 * value. Thread-safe; close it to cancel what is still running and stop its threads.
 */
public final class HgrpcClient implements AutoCloseable {

  /** The API this client speaks, asked for in the handshake. */
  public static final String API_NAME = "exp-http-v2-0001";

  /** Largest handshake answer accepted. */
  static final int MAX_HANDSHAKE_BYTES = 16 << 20;

  private final URI baseUri;
  private final Transport transport;
  private final Duration connectTimeout;
  private final AtomicReference<CompletableFuture<ServerInfo>> handshake = new AtomicReference<>();
  private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private HgrpcClient(Builder b) {
    String s = b.baseUri.toString();
    this.baseUri = URI.create(s.endsWith("/") ? s : s + "/");
    this.connectTimeout = b.connectTimeout;
    HttpClient http = b.httpClient != null ? b.httpClient
        : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("hgrpc-client-timer"));
    // Timers are armed and cancelled for every batch of body bytes: drop cancelled ones at once.
    timer.setRemoveOnCancelPolicy(true);
    ExecutorService executor = Executors.newCachedThreadPool(daemonThreads("hgrpc-client"));
    String authorization = b.user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8));
    this.transport = new Transport(http, b.requestTimeout, b.idleTimeout != null ? b.idleTimeout : b.requestTimeout,
        authorization, timer, executor, b.progress, b.limits, b.bufferBytes);
  }

  /** A builder for a client of the server at {@code baseUri} (the repository's URL). */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /** {@link #builder(URI)} for a URI string. */
  public static Builder builder(String baseUri) {
    return new Builder(URI.create(baseUri));
  }

  /** The base URI, ending with {@code /}. */
  public URI baseUri() {
    return baseUri;
  }

  // ---- handshake ----

  /**
   * The handshake: {@code GET <base>?cmd=capabilities} asking to upgrade to {@value #API_NAME}.
   * Done once and remembered; a failed handshake is tried again by the next caller. Commands
   * call it themselves.
   */
  public CompletableFuture<ServerInfo> handshake() {
    if (closed) {
      return CompletableFuture.failedFuture(new CallCancelledException("the client is closed"));
    }
    while (true) {
      CompletableFuture<ServerInfo> current = handshake.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<ServerInfo> fresh = new CompletableFuture<>();
      if (handshake.compareAndSet(current, fresh)) {
        startHandshake(fresh);
        return fresh;
      }
    }
  }

  /** {@link #handshake()}, waiting for it. */
  public ServerInfo serverInfo() {
    return await(handshake());
  }

  private void startHandshake(CompletableFuture<ServerInfo> result) {
    URI uri = baseUri.resolve("?cmd=capabilities");
    HttpRequest request = transport.request(uri)
        .header("Accept", MediaTypes.LEGACY)
        .header("X-HgUpgrade-1", API_NAME)
        .header("X-HgProto-1", "cbor")
        .GET().build();
    CollectingSink sink = new CollectingSink(MAX_HANDSHAKE_BYTES,
        body -> {
          HgrpcException failure = null;
          ServerInfo info = null;
          try {
            info = parseHandshake(uri, body);
          } catch (HgrpcException e) {
            failure = e;
          }
          ServerInfo ok = info;
          HgrpcException bad = failure;
          transport.complete(() -> {
            if (bad == null) {
              result.complete(ok);
            } else {
              result.completeExceptionally(bad);
            }
          });
        },
        failure -> transport.complete(() -> result.completeExceptionally(explainHandshake(uri, failure))));
    HttpCall.start(transport, request, MediaTypes.CBOR, sink);
  }

  private ServerInfo parseHandshake(URI uri, CollectingSink.Body body) {
    if (body.truncated()) {
      throw new ProtocolErrorException("handshake: the answer of " + uri + " is larger than " + MAX_HANDSHAKE_BYTES
          + " bytes");
    }
    List<Object> values;
    try {
      values = CborDecoder.decodeAll(ByteString.wrap(body.bytes()),
          new CborDecoder(transport.limits().maxCborDepth(), MAX_HANDSHAKE_BYTES));
    } catch (CborDecodeException e) {
      throw new ProtocolErrorException("handshake: the answer of " + uri + " is not valid CBOR: " + e.getMessage(), e);
    }
    if (values.size() != 1) {
      throw new ProtocolErrorException("handshake: expected one CBOR value from " + uri + ", got " + values.size());
    }
    return ServerInfo.parse(values.get(0), API_NAME);
  }

  private static HgrpcException explainHandshake(URI uri, HgrpcException failure) {
    if (failure instanceof UnexpectedContentTypeException) {
      UnexpectedContentTypeException u = (UnexpectedContentTypeException) failure;
      if (u.actual().filter(t -> MediaTypes.matches(t, MediaTypes.LEGACY)).isPresent()) {
        return new UnexpectedContentTypeException("handshake: " + uri + " answered with the legacy protocol ("
            + MediaTypes.LEGACY + "): the server does not offer " + API_NAME, u.expected(), u.actual().get(), u.body());
      }
    }
    return failure;
  }

  // ---- calls ----

  /** Calls {@code command} with {@code args} (converted as {@link CommandCall} says). */
  public CompletableFuture<CommandResult> call(String command, Map<String, ?> args) {
    return call(CommandCall.of(command, args));
  }

  /**
   * Calls one command in its own HTTP exchange. The future completes when the response's
   * status arrives: with the result if it is {@code ok}, else with the
   * {@link HgrpcException} saying why. Cancelling the future cancels the call.
   */
  public CompletableFuture<CommandResult> call(CommandCall call) {
    return batch(List.of(call)).get(0);
  }

  /**
   * Calls several commands in one HTTP exchange ({@code multirequest}; a batch of one is a
   * plain call). The batch goes to the {@code rw} URL if any command needs push. Each future
   * completes as its own command's status arrives, in whatever order the server answers.
   * Consume the results in request order, or close those you do not read: the client buffers
   * only so much unread data (see {@link CommandResult}).
   *
   * @throws IllegalArgumentException if {@code calls} is empty
   */
  public List<CompletableFuture<CommandResult>> batch(List<CommandCall> calls) {
    if (calls.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one command");
    }
    List<CommandCall> copy = List.copyOf(calls);
    List<CompletableFuture<CommandResult>> results = new ArrayList<>();
    for (int i = 0; i < copy.size(); i++) {
      results.add(new CompletableFuture<>());
    }
    handshake().whenComplete((info, error) -> {
      if (error != null) {
        HgrpcException e = unwrap(error);
        results.forEach(f -> f.completeExceptionally(e));
        return;
      }
      List<ResultStream> streams;
      try {
        streams = send(info, copy);
      } catch (RuntimeException e) {
        results.forEach(f -> f.completeExceptionally(e));
        return;
      }
      for (int i = 0; i < streams.size(); i++) {
        link(streams.get(i), results.get(i));
      }
    });
    return Collections.unmodifiableList(results);
  }

  /** Passes the stream's outcome to the caller's future, and the caller's cancellation back. */
  private static void link(ResultStream stream, CompletableFuture<CommandResult> result) {
    stream.started().whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else if (!result.complete(r)) {
        r.close(); // the caller cancelled meanwhile
      }
    });
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        stream.cancel();
      }
    });
  }

  /**
   * Calls one command and hands over the response body undecoded (its frames), checked for
   * status and content type, as an {@link InputStream} read while it arrives. For tools that
   * save or forward frames; reads wait at most the idle timeout for data.
   */
  public CompletableFuture<InputStream> callRaw(CommandCall call) {
    return handshake().thenCompose(info -> {
      ClientReactor reactor = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true).withLimits(transport.limits()));
      reactor.callCommand(call.wireName(), call.wireArgs(), null);
      URI uri = commandUri(info, permission(info, List.of(call)), call.command());
      RawResponseStream stream = new RawResponseStream(transport, uri);
      HttpCall.start(transport, frameRequest(uri, requestBody(reactor)), MediaTypes.FRAMING, stream);
      return stream.started();
    });
  }

  private List<ResultStream> send(ServerInfo info, List<CommandCall> calls) {
    ClientReactor reactor = new ClientReactor(ClientReactor.Options.of(org.hgrpc.core.Framing.V0005).withHasMultipleSend(false).withBufferSends(true).withLimits(transport.limits()));
    List<CommandRequest> requests = new ArrayList<>();
    for (CommandCall c : calls) {
      requests.add(reactor.callCommand(c.wireName(), c.wireArgs(), null).request());
    }
    byte[] body = requestBody(reactor);
    String path = calls.size() == 1 ? calls.get(0).command() : "multirequest";
    URI uri = commandUri(info, permission(info, calls), path);
    Exchange exchange = new Exchange(transport, uri, reactor);
    List<ResultStream> streams = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      streams.add(exchange.addStream(requests.get(i).requestId(), calls.get(i).command()));
    }
    inFlight.add(exchange);
    CompletableFuture<HttpResponse<Void>> http =
        HttpCall.start(transport, frameRequest(uri, body), MediaTypes.FRAMING, exchange);
    exchange.started(http);
    http.whenComplete((r, e) -> inFlight.remove(exchange));
    return streams;
  }

  /** The frames of every command issued to {@code reactor}, made at once: requests are small. */
  private static byte[] requestBody(ClientReactor reactor) {
    Action action = reactor.flushCommands();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((Action.SendFrames) action).frames().forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  private HttpRequest frameRequest(URI uri, byte[] body) {
    return transport.request(uri)
        .header("Accept", MediaTypes.FRAMING)
        .header("Content-Type", MediaTypes.FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** Push if any call asks for it or, asking nothing, needs it according to the capabilities. */
  private static Permission permission(ServerInfo info, List<CommandCall> calls) {
    for (CommandCall c : calls) {
      Permission p = c.permission().orElseGet(() -> info.capabilities().command(c.command())
          .map(Capabilities.CommandInfo::permission).orElse(Permission.PULL));
      if (p == Permission.PUSH) {
        return Permission.PUSH;
      }
    }
    return Permission.PULL;
  }

  /** {@code <base><apibase><api>/<ro|rw>/<path>}. */
  URI commandUri(ServerInfo info, Permission permission, String path) {
    return baseUri.resolve(info.apiBase() + info.apiName() + "/" + permission.urlPart() + "/" + path);
  }

  // ---- typed helpers ----

  /** The server's capabilities, from the {@code capabilities} command. */
  public Capabilities capabilities() {
    return Capabilities.parse(single(CommandCall.of("capabilities")));
  }

  /** The heads of the repository ({@code heads}); only public ones if {@code publicOnly}. */
  public List<Node> heads(boolean publicOnly) {
    CommandCall call = CommandCall.of("heads");
    return TypedResults.heads(single(publicOnly ? call.withArg("publiconly", true) : call));
  }

  /** Whether the server has each of {@code nodes} ({@code known}), in the same order. */
  public List<Boolean> known(List<Node> nodes) {
    return TypedResults.known(single(CommandCall.of("known").withArg("nodes", List.copyOf(nodes))), nodes.size());
  }

  /** The keys and values of a pushkey namespace ({@code listkeys}): {@code bookmarks}, {@code phases}, ... */
  public Map<ByteString, ByteString> listkeys(String namespace) {
    return TypedResults.listkeys(single(CommandCall.of("listkeys").withArg("namespace", namespace)));
  }

  /** The node a key (revision number, hash prefix, bookmark, tag, branch) resolves to ({@code lookup}). */
  public Node lookup(String key) {
    return TypedResults.lookup(single(CommandCall.of("lookup").withArg("key", key)));
  }

  /** Each named branch's heads ({@code branchmap}). */
  public Map<ByteString, List<Node>> branchmap() {
    return TypedResults.branchmap(single(CommandCall.of("branchmap")));
  }

  /** Sets a pushkey value if it is still {@code oldValue} ({@code pushkey}, needs push); whether it was set. */
  public boolean pushkey(String namespace, String key, String oldValue, String newValue) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("namespace", namespace);
    args.put("key", key);
    args.put("old", oldValue);
    args.put("new", newValue);
    return TypedResults.pushkey(single(CommandCall.of("pushkey", args).withPermission(Permission.PUSH)));
  }

  /** Calls, waits, and returns the one value of the response. */
  private Object single(CommandCall call) {
    try (CommandResult result = await(call(call))) {
      return result.single();
    }
  }

  // ---- waiting ----

  /**
   * Waits for {@code future} of this client, and returns its value or throws its
   * {@link HgrpcException} as it is (not wrapped). The wait is bounded even if something
   * were to go wrong in the client: by twice the sum of the connect, request and idle timeouts
   * (a handshake and an exchange), after which it fails with {@link HgrpcTimeoutException}.
   */
  public <T> T await(CompletableFuture<T> future) {
    Duration backstop = connectTimeout.plus(transport.requestTimeout()).plus(transport.idleTimeout()).multipliedBy(2)
        .plusSeconds(1);
    try {
      return future.get(backstop.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (CancellationException e) {
      throw new CallCancelledException("the call was cancelled");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new CallCancelledException("interrupted while waiting for the call");
    } catch (TimeoutException e) {
      future.cancel(true);
      String message = "no result within " + backstop.toMillis() + " ms";
      throw new HgrpcTimeoutException(message, new HttpTimeoutException(message));
    }
  }

  private HgrpcException unwrap(Throwable t) {
    return HttpCall.map(t, baseUri, false, transport);
  }

  /** Cancels every exchange still running and stops the client's threads. */
  @Override
  public void close() {
    closed = true;
    for (Exchange e : inFlight) {
      e.cancel(new CallCancelledException("the client was closed"));
    }
    inFlight.clear();
    transport.timer().shutdownNow();
    transport.executor().shutdown();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Configures an {@link HgrpcClient}. Defaults: a new HTTP/1.1 {@link HttpClient}, connect
   * timeout 10 s, request timeout 30 s, idle timeout equal to the request timeout,
   * {@link Limits#DEFAULTS}, a 4 MiB buffer of unread decoded data per exchange.
   */
  public static final class Builder {
    private final URI baseUri;
    private HttpClient httpClient;
    private String user;
    private String password;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout;
    private Limits limits = Limits.DEFAULTS;
    private ProgressListener progress;
    private long bufferBytes = 4L << 20;

    private Builder(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      if (!"http".equalsIgnoreCase(baseUri.getScheme()) && !"https".equalsIgnoreCase(baseUri.getScheme())) {
        throw new IllegalArgumentException("the base URI must be http or https: " + baseUri);
      }
      if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("the base URI must have no query or fragment: " + baseUri);
      }
      this.baseUri = baseUri;
    }

    /**
     * Sends through {@code client} (to share its connections and settings) instead of a new
     * one; its own connect timeout then applies instead of {@link #connectTimeout}.
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Sends HTTP basic credentials with every request. */
    public Builder basicAuth(String user, String password) {
      if (Objects.requireNonNull(user, "user").contains(":")) {
        throw new IllegalArgumentException("a basic-auth user name cannot contain ':'");
      }
      this.user = user;
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Longest wait for a connection (for a client this builder makes). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** Longest wait for the response headers of each request. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /**
     * Longest pause in a response body, and longest wait of a consumer for the next value
     * while the exchange makes no progress. Defaults to the request timeout.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout);
      return this;
    }

    /** Bounds on what a server's response may make the client hold. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Told how many body bytes of each response have arrived. */
    public Builder progressListener(ProgressListener listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How much decoded data an exchange keeps for consumers that have not read it yet; past
     * this the client stops reading the response until they catch up.
     */
    public Builder bufferBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bufferBytes must be positive");
      }
      this.bufferBytes = bytes;
      return this;
    }

    /** The client. */
    public HgrpcClient build() {
      return new HgrpcClient(this);
    }

    private static Duration positive(Duration d) {
      if (Objects.requireNonNull(d, "timeout").isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive: " + d);
      }
      return d;
    }
  }
}
