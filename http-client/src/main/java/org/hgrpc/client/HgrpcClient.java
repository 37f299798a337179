package org.hgrpc.client;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Limits;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.reactor.ClientReactor;

/**
 * A client of an hgrpc server (Mercurial's frame-based protocol over HTTP, API
 * {@code exp-http-v2-0003} with framing 0006 or {@code exp-http-v2-0001} with framing 0005), on
 * the JDK's {@link HttpClient}.
 *
 * <pre>{@code
 * try (HgrpcClient client = HgrpcClient.builder(URI.create("http://127.0.0.1:8000/")).build()) {
 *   List<Node> heads = client.repository().heads(false);                     // typed, blocking
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
 * decoded while they arrive ({@link CommandResult}). The client knows no command set beyond the
 * protocol's own {@code capabilities}; {@link #repository()} adds a repository's commands.
 *
 * <p>Failures are {@link HgrpcException}s, one subclass per cause. Nothing waits forever: the
 * connect timeout bounds connecting, the request timeout the wait for response headers, and
 * the idle timeout every pause in a response body and every wait of a consumer for the next
 * value. Thread-safe; close it to cancel what is still running and stop its threads.
 */
public final class HgrpcClient implements AutoCloseable {

  /**
   * The APIs this client speaks, most preferred first: {@link Framing#V0006}
   * ({@code exp-http-v2-0003}, Mercurial 4.8) then {@link Framing#V0005}
   * ({@code exp-http-v2-0001}). The handshake names them all; the client uses the first the
   * server offers, unless {@link Builder#framing} forces one.
   */
  public static final List<Framing> APIS = List.of(Framing.V0006, Framing.V0005);

  private final URI baseUri;
  private final Transport transport;
  private final CommandPoster poster;
  private final Duration connectTimeout;
  private final List<Framing> acceptable;
  private final AtomicReference<CompletableFuture<ServerInfo>> handshake = new AtomicReference<>();
  private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private HgrpcClient(Builder b) {
    String s = b.baseUri.toString();
    this.baseUri = URI.create(s.endsWith("/") ? s : s + "/");
    this.connectTimeout = b.connectTimeout;
    HttpClient http = b.httpClient != null ? b.httpClient
        : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(b.httpVersion)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    String authorization = b.user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((b.user + ":" + b.password).getBytes(StandardCharsets.UTF_8));
    ClientSettings settings = new ClientSettings(b.requestTimeout,
        b.idleTimeout != null ? b.idleTimeout : b.requestTimeout, authorization, b.progress, b.limits, b.bufferBytes);
    this.transport = new Transport(http, settings);
    this.poster = new CommandPoster(transport, baseUri, b.contentEncoders);
    this.acceptable = b.framing == null ? APIS : List.of(b.framing);
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
   * The handshake: {@code GET <base>?cmd=capabilities} asking to upgrade to the {@link #APIS}.
   * It chooses the API of every later call: the first of {@link #APIS} the server offers, or the
   * one {@link Builder#framing} forces (failing with a {@link ProtocolErrorException} naming
   * what the server offers when it does not offer that one). Done once and remembered; a
   * failed handshake is tried again by the next caller. Commands call it themselves.
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
        Handshake.start(transport, baseUri, acceptable, fresh);
        return fresh;
      }
    }
  }

  /** {@link #handshake()}, waiting for it. */
  public ServerInfo serverInfo() {
    return await(handshake());
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
        streams = poster.post(info, copy, inFlight);
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
    return handshake().thenCompose(info -> poster.postRaw(info, call));
  }

  // ---- typed calls ----

  /** The server's capabilities, from the protocol's own {@code capabilities} command. */
  public Capabilities capabilities() {
    return Capabilities.parse(single(CommandCall.of("capabilities")));
  }

  /** Typed calls of a Mercurial repository's commands ({@code heads}, {@code known}, ...) on this client. */
  public RepositoryCommands repository() {
    return new RepositoryCommands(this);
  }

  /** Calls, waits, and returns the one value of the response. */
  Object single(CommandCall call) {
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
    ClientSettings settings = transport.settings();
    Duration backstop = connectTimeout.plus(settings.requestTimeout()).plus(settings.idleTimeout()).multipliedBy(2)
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
    transport.shutdown();
  }

  /**
   * Configures an {@link HgrpcClient}. Defaults: a new {@link HttpClient} speaking HTTP/2 where the
   * server offers it ({@link #httpVersion}), connect
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
    private Framing framing;
    private List<String> contentEncoders = ContentEncodings.DEFAULT.names();
    private HttpClient.Version httpVersion = HttpClient.Version.HTTP_2;

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

    /**
     * The HTTP version of a client this builder makes: {@link HttpClient.Version#HTTP_2} (the
     * default) uses HTTP/2 where the server offers it (ALPN over TLS; an {@code Upgrade: h2c}
     * on the first cleartext request) and HTTP/1.1 elsewhere; {@link HttpClient.Version#HTTP_1_1}
     * forces HTTP/1.1. Not used with {@link #httpClient}, whose own version applies.
     */
    public Builder httpVersion(HttpClient.Version version) {
      this.httpVersion = Objects.requireNonNull(version, "version");
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

    /**
     * Uses only the API of {@code framing} ({@link Framing#V0006}: {@code exp-http-v2-0003},
     * {@link Framing#V0005}: {@code exp-http-v2-0001}) instead of the first of {@link #APIS}
     * the server offers; the handshake fails if the server does not offer it.
     */
    public Builder framing(Framing framing) {
      this.framing = Objects.requireNonNull(framing, "framing");
      return this;
    }

    /**
     * {@link #framing} by API name: {@code exp-http-v2-0003} or {@code exp-http-v2-0001}.
     *
     * @throws IllegalArgumentException for another name
     */
    public Builder api(String apiName) {
      return framing(Framing.fromHttpApiName(Objects.requireNonNull(apiName, "apiName"))
          .orElseThrow(() -> new IllegalArgumentException("unknown API " + apiName + "; this client speaks "
              + ServerInfo.names(APIS))));
    }

    /**
     * The content encodings offered to the server with framing 0006, most preferred first
     * (default {@code zstd-8mb, zlib, identity}, {@link ContentEncodings#DEFAULT}); the server
     * encodes its responses with the first of its own list that is in this one. Responses are
     * decoded with whatever encoding this client implements.
     *
     * @throws IllegalArgumentException if {@code names} is empty, repeats a name, or names an
     *     encoding this project does not implement
     */
    public Builder contentEncoders(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("name at least one content encoding");
      }
      this.contentEncoders = ContentEncodings.of(names).names();
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
