package org.hgrpc.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.config.AccessControl;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.exchange.Exchange;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.ExchangeRequest;
import org.hgrpc.server.exchange.ReflectExchange;
import org.hgrpc.server.exchange.RefusalKind;
import org.hgrpc.server.exchange.ServerExchange;
import org.hgrpc.server.spi.ServerContext;

/**
 * The hgrpc servlet: Mercurial's HTTP API ({@code hgweb}'s {@code /api} URL space and the
 * capabilities handshake) in front of the transport-neutral {@link ServerExchange}. It routes
 * URLs, checks the method, access control and media types, moves the body into the exchange
 * ({@link HttpBody}) and answers its outcome ({@link HttpOutcomes}); the protocol's rules are
 * the exchange's.
 *
 * <pre>
 * GET  /?cmd=capabilities                      handshake (with X-HgUpgrade-1 and X-HgProto-1: cbor)
 * ANY  /?cmd=OTHER                             Mercurial's legacy protocol, not spoken here: an
 *                                              application/hg-error answer saying what is
 * GET  /api                                    the list of enabled APIs
 * GET  /api/API                                the API's root
 * POST /api/API/{ro|rw}/COMMAND                frames of one command
 * POST /api/API/{ro|rw}/multirequest           frames of several commands
 * POST /api/API/{ro|rw}/debugreflect           the reactor's view of the frames (when enabled)
 * </pre>
 *
 * <p>API is {@code exp-http-v2-0001} (framing 0005, Mercurial 4.7) or {@code exp-http-v2-0003}
 * (framing 0006, Mercurial 4.8), served side by side; each takes the commands offered under it
 * and requests declaring its own framing media type.
 *
 * <p>A request holds nothing scarce while its body arrives: the body is read asynchronously
 * ({@link HttpBody}: no thread waits for a slow peer), every byte is reserved in the server-wide
 * {@link BufferBudget} before it is buffered, and a concurrency slot ({@link Slots}: reads and
 * pushes on separate budgets) is taken only once the body is complete and the commands are
 * about to run. With {@code hgrpc.max-requests-per-client}, one address may have only so many
 * requests in progress. The servlet (and any filter before it) must be async-supported; where
 * it is not, bodies are read blocking, with the same budgets.
 *
 * <p>Embedded, it is constructed with its settings and commands; in a WAR, the container
 * constructs it and {@link #init()} reads the settings from init parameters (see
 * {@link ServerSettings#fromInitParameters}) and the commands from {@link java.util.ServiceLoader}.
 */
public class HgrpcServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private transient ServerSettings settings;
  private transient CommandRegistry registry;
  private transient Slots slots;
  private transient BufferBudget budget;
  private transient ClientLimit clients;
  private transient boolean warnedNotAsync;
  private transient HttpOutcomes outcomes;
  private transient PrintStream errorLog = System.err;

  /** A servlet configured by {@link #init()} from init parameters (for a WAR). */
  public HgrpcServlet() {}

  /** A servlet with the given settings and commands (for the embedded server). */
  public HgrpcServlet(ServerSettings settings, CommandRegistry registry) {
    configure(settings, registry);
  }

  /** A servlet with the given settings and commands, logging unexpected errors to {@code errorLog}. */
  public HgrpcServlet(ServerSettings settings, CommandRegistry registry, PrintStream errorLog) {
    configure(settings, registry);
    this.errorLog = errorLog;
  }

  private void configure(ServerSettings settings, CommandRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.slots = new Slots(settings.maxConcurrentRequests(), settings.maxConcurrentPushes());
    this.budget = new BufferBudget(settings.maxBufferedBytes());
    this.clients = new ClientLimit(settings.maxRequestsPerClient());
    this.outcomes = new HttpOutcomes(realm(settings));
  }

  /** Warns when the limits let request bodies take more heap than there is. */
  private void warnAboutHeap() {
    settings.bufferingWarning(Runtime.getRuntime().maxMemory()).ifPresent(w -> errorLog.println("hgrpc: warning: " + w));
  }

  @Override
  public void init() throws ServletException {
    if (settings != null) {
      warnAboutHeap();
      return;
    }
    try {
      ServerSettings s = ServerSettings.fromInitParameters(this::getInitParameter);
      String repo = getInitParameter("repository");
      ServerContext context = new ServerContext(Optional.ofNullable(repo).map(Path::of), s.config());
      configure(s, CommandRegistry.builder()
          .loadProviders(context, Thread.currentThread().getContextClassLoader()).build());
      warnAboutHeap();
    } catch (Exception e) {
      throw new ServletException("cannot configure the hgrpc servlet: " + e.getMessage(), e);
    }
  }

  /** The settings in effect. */
  public ServerSettings settings() {
    return settings;
  }

  /** The commands served. */
  public CommandRegistry registry() {
    return registry;
  }

  /** Request body bytes held now by every request being received (for tests and monitoring). */
  long bufferedBytes() {
    return budget.held();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String client = req.getRemoteAddr();
    if (!clients.enter(client)) {
      outcomes.refuse(resp, new Refusal(RefusalKind.BUSY, "server busy: " + clients.max() + " requests in progress from "
          + client + " (hgrpc.max-requests-per-client); try again later\n"));
      readBody(req, resp, null, () -> {});
      return;
    }
    Pending pending = null;
    try {
      pending = route(req, resp);
    } catch (IOException e) {
      clients.leave(client);
      throw e; // the connection failed: nothing to answer
    } catch (RuntimeException e) {
      internalError(req, resp, e);
    }
    readBody(req, resp, pending, () -> clients.leave(client));
  }

  /** A request whose answer waits for its body: the exchange to feed and the slot its commands will take. */
  private record Pending(Exchange exchange, ExchangeApi api, Slots.Claim claim) {}

  /**
   * Reads the body into {@code pending}'s exchange and answers its outcome, or, when {@code
   * pending} is null (answered already), reads and drops the body: whatever answered, the rest
   * of the body is read (bounded), since a connection closed with request bytes unread is
   * reset, and one the container closes after answering races the client's next request.
   */
  private void readBody(HttpServletRequest req, HttpServletResponse resp, Pending pending, Runnable done)
      throws IOException {
    BodyMeter meter = new BodyMeter(settings.maxBodyBytes(), settings.idleTimeoutMillis(), settings.minBodyRate(),
        System::nanoTime);
    HttpBody.Responder responder = new HttpBody.Responder() {
      @Override
      public void send(ExchangeOutcome outcome) throws IOException {
        try {
          outcomes.send(resp, outcome, pending.api());
          resp.flushBuffer();
        } finally {
          pending.exchange().close();
          pending.claim().release();
        }
      }

      @Override
      public void internalError(RuntimeException e) throws IOException {
        pending.exchange().close();
        pending.claim().release();
        HgrpcServlet.this.internalError(req, resp, e);
      }
    };
    ServletInputStream in = req.getInputStream();
    if (!req.isAsyncSupported()) {
      if (!warnedNotAsync) {
        warnedNotAsync = true;
        errorLog.println("hgrpc: warning: the hgrpc servlet (or a filter before it) is not async-supported: request"
            + " bodies are read blocking, a thread per upload; set async-supported in web.xml");
      }
      try {
        new HttpBody(in, meter, pending == null ? null : pending.exchange(), budget.open(),
            settings.coreLimits().maxFramePayload(), responder, done)
            .readBlocking();
      } catch (RuntimeException e) {
        done.run();
        throw e;
      }
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(0); // the body's own bounds (meter, idle timeout) end it; a command's output may take long
    in.setReadListener(new HttpBody(in, meter, pending == null ? null : pending.exchange(), budget.open(),
            settings.coreLimits().maxFramePayload(), responder,
        () -> {
          done.run();
          async.complete();
        }));
  }

  /** A bug of ours or of a command outside the reactor's care: log it, answer 500, keep serving. */
  private void internalError(HttpServletRequest req, HttpServletResponse resp, RuntimeException e)
      throws IOException {
    errorLog.println("hgrpc: error handling " + req.getMethod() + " " + req.getRequestURI() + ": " + e);
    e.printStackTrace(errorLog);
    if (!resp.isCommitted()) {
      resp.reset();
      outcomes.refuse(resp, new Refusal(RefusalKind.INTERNAL, "internal server error: " + e.getClass().getSimpleName()
          + "\n"));
    }
  }

  /** hgweb's URL space: the handshake at the root, the APIs under {@code /api}. */
  private Pending route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    List<String> parts = pathParts(req);
    if (parts.isEmpty()) {
      String cmd = req.getParameter("cmd");
      if ("capabilities".equals(cmd)) {
        Handshake.handle(req, resp, settings, registry, outcomes);
      } else if (cmd != null) {
        outcomes.refuse(resp, legacyCommand(cmd));
      } else {
        notFound(resp, "this server speaks Mercurial's frame-based protocol under /api/\n");
      }
      return null;
    }
    if (!parts.get(0).equals("api")) {
      notFound(resp, "not found: /" + String.join("/", parts) + "\n");
      return null;
    }
    if (!settings.apiServer()) {
      notFound(resp, "Experimental API server endpoint not enabled");
      return null;
    }
    List<String> available = enabledApis().stream().map(ExchangeApi::apiName).toList();
    if (parts.size() == 1) {
      String list = "APIs can be accessed at /api/<name>, where <name> can be one of the following:\n\n"
          + (available.isEmpty() ? "(no available APIs)\n" : String.join("\n", available));
      PlainResponses.text(resp, 200, list);
      return null;
    }
    String name = parts.get(1);
    Optional<ExchangeApi> api = ExchangeApi.byName(name);
    if (api.isEmpty()) {
      notFound(resp, "Unknown API: " + name + "\nKnown APIs: " + String.join(", ", available));
      return null;
    }
    if (!enabledApis().contains(api.get())) {
      notFound(resp, "API " + name + " not enabled\n");
      return null;
    }
    return handleApi(req, resp, api.get(), parts);
  }

  /**
   * The answer to a command of Mercurial's legacy wire protocol ({@code ?cmd=heads}, a push's
   * {@code ?cmd=unbundle}): a Mercurial that speaks only that protocol (every release since
   * 5.0) asks for these after the handshake, and would otherwise print a bare HTTP error.
   */
  private Refusal legacyCommand(String cmd) {
    String named = cmd.length() > 64 ? cmd.substring(0, 64) + "..." : cmd;
    List<String> apis = enabledApis().stream().map(ExchangeApi::apiName).toList();
    String speaks = apis.isEmpty()
        ? "this server has no frame-based API enabled (web.api.http-v2 is off)"
        : "this server speaks only Mercurial's frame-based protocol (HTTP API " + String.join(" and ", apis)
            + " under /api/)";
    return new Refusal(RefusalKind.LEGACY_PROTOCOL, speaks
        + ", not the legacy wire protocol this client used (command '" + named + "').\nClients that can use it: Mercurial 4.8 with --config experimental.httppeer.advertise-v2=true,"
        + " the hgrpc client, and curl (see the project's docs/curl.md).\n");
  }

  private List<ExchangeApi> enabledApis() {
    return enabledApis(settings);
  }

  /** The APIs {@code settings} enable: every generation of the frame-based API, with {@code web.api.http-v2}. */
  static List<ExchangeApi> enabledApis(ServerSettings settings) {
    return settings.httpV2() ? List.of(ExchangeApi.values()) : List.of();
  }

  /**
   * The reference's {@code handlehttpv2request}: the URL ({@code <ro|rw>/<command>}), the
   * method, access control and media types here; the frames in the exchange.
   */
  private Pending handleApi(HttpServletRequest req, HttpServletResponse resp, ExchangeApi api, List<String> parts)
      throws IOException {
    List<String> urlParts = parts.subList(2, parts.size());
    if (urlParts.isEmpty()) {
      PlainResponses.text(resp, 200, "HTTP version 2 API handler");
      return null;
    }
    if (urlParts.size() == 1) {
      notFound(resp, "do not know how to process " + String.join("/", parts) + "\n");
      return null;
    }
    String permission = urlParts.get(0);
    String command = urlParts.get(1);
    if (!permission.equals("ro") && !permission.equals("rw")) {
      notFound(resp, "unknown permission: " + permission);
      return null;
    }
    if (!req.getMethod().equals("POST")) {
      outcomes.refuse(resp, new Refusal(RefusalKind.METHOD_NOT_ALLOWED, "commands require POST requests"));
      return null;
    }
    boolean readWrite = permission.equals("rw");
    AccessControl.Decision decision = AccessControl.check(settings.config(), req.getRemoteUser(),
        readWrite ? AccessControl.Operation.PUSH : AccessControl.Operation.PULL, req.getMethod(), req.isSecure());
    if (!decision.allowed()) {
      outcomes.refuse(resp, HttpOutcomes.refusal(decision, "permission denied"));
      return null;
    }
    if (command.equals("debugreflect")) {
      if (!settings.debugReflect()) {
        outcomes.refuse(resp, new Refusal(RefusalKind.NOT_FOUND, "debugreflect service not available"));
        return null;
      }
      return new Pending(new ReflectExchange(settings.coreLimits(), api), api, slots.claim());
    }
    Slots.Claim claim = slots.claim();
    ServerExchange exchange = new ServerExchange(registry, settings.coreLimits(), settings.encoders(),
        new ExchangeRequest(api, readWrite, ByteString.utf8(command), req.getRemoteUser(), req.isSecure()), claim);
    if (!exchange.wantsInput()) {
      // Decided by the URL alone (an unknown command): that comes before the media types, as in the reference.
      outcomes.refuse(resp, (Refusal) exchange.endOfInput());
      return null;
    }
    if (!api.framingMediaType().equals(req.getHeader("Accept"))) {
      outcomes.refuse(resp, new Refusal(RefusalKind.NOT_ACCEPTABLE,
          "client MUST specify Accept header with value: " + api.framingMediaType() + "\n"));
      return null;
    }
    if (!api.framingMediaType().equals(req.getHeader("Content-Type"))) {
      outcomes.refuse(resp, new Refusal(RefusalKind.UNSUPPORTED_MEDIA_TYPE,
          "client MUST send Content-Type header with value: " + api.framingMediaType() + "\n"));
      return null;
    }
    return new Pending(exchange, api, claim);
  }

  private void notFound(HttpServletResponse resp, String message) throws IOException {
    outcomes.refuse(resp, new Refusal(RefusalKind.NOT_FOUND, message));
  }

  /** The basic authentication realm: the repository's name, without characters that would break the header. */
  static String realm(ServerSettings settings) {
    String name = settings.name() != null ? settings.name().replace("\"", "").replace("\\", "").strip() : "";
    return name.isEmpty() ? "Mercurial repository" : name;
  }

  /** The path below the servlet, split at slashes, without empty parts. */
  private static List<String> pathParts(HttpServletRequest req) {
    String path = req.getPathInfo() != null ? req.getPathInfo() : req.getServletPath();
    List<String> parts = new ArrayList<>();
    for (String p : Arrays.asList(path == null ? new String[0] : path.split("/"))) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

}
