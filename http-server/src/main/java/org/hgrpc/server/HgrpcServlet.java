package org.hgrpc.server;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.config.AccessControl;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ServerContext;

/**
 * The hgrpc servlet: Mercurial's HTTP API ({@code hgweb}'s {@code /api} URL space and the
 * capabilities handshake) in front of the protocol core.
 *
 * <pre>
 * GET  /?cmd=capabilities                      handshake (with X-HgUpgrade-1 and X-HgProto-1: cbor)
 * GET  /api                                    the list of enabled APIs
 * GET  /api/exp-http-v2-0001                   the API's root
 * POST /api/exp-http-v2-0001/{ro|rw}/COMMAND   frames of one command
 * POST /api/exp-http-v2-0001/{ro|rw}/multirequest   frames of several commands
 * POST /api/exp-http-v2-0001/{ro|rw}/debugreflect   the reactor's view of the frames (when enabled)
 * </pre>
 *
 * <p>Embedded, it is constructed with its settings and commands; in a WAR, the container
 * constructs it and {@link #init()} reads the settings from init parameters (see
 * {@link ServerSettings#fromInitParameters}) and the commands from {@link java.util.ServiceLoader}.
 */
public class HgrpcServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The only API: the frame-based protocol over HTTP, version 2, experimental. */
  static final String HTTP_V2_API = "exp-http-v2-0001";

  private transient ServerSettings settings;
  private transient CommandRegistry registry;
  private transient Semaphore concurrency;
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
    this.concurrency = new Semaphore(settings.maxConcurrentRequests());
  }

  @Override
  public void init() throws ServletException {
    if (settings != null) {
      return;
    }
    try {
      ServerSettings s = ServerSettings.fromInitParameters(this::getInitParameter);
      String repo = getInitParameter("repository");
      ServerContext context = new ServerContext(Optional.ofNullable(repo).map(Path::of), s.config());
      configure(s, CommandRegistry.builder()
          .loadProviders(context, Thread.currentThread().getContextClassLoader()).build());
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

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!concurrency.tryAcquire()) {
      PlainResponses.text(resp, 503, "server busy: more than " + settings.maxConcurrentRequests()
          + " concurrent requests; try again later\n");
      return;
    }
    try {
      route(req, resp);
    } catch (IOException e) {
      throw e; // the connection failed: nothing to answer
    } catch (RuntimeException e) {
      // A bug of ours or of a command outside the reactor's care: log it, answer 500, keep serving.
      errorLog.println("hgrpc: error handling " + req.getMethod() + " " + req.getRequestURI() + ": " + e);
      e.printStackTrace(errorLog);
      if (!resp.isCommitted()) {
        resp.reset();
        PlainResponses.text(resp, 500, "internal server error: " + e.getClass().getSimpleName() + "\n");
      }
    } finally {
      concurrency.release();
    }
  }

  private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    List<String> parts = pathParts(req);
    if (parts.isEmpty()) {
      if ("capabilities".equals(req.getParameter("cmd"))) {
        // As hgweb's _callhttp: the capabilities command needs read access like any pull.
        AccessControl.Decision decision = AccessControl.check(settings.config(), req.getRemoteUser(),
            AccessControl.Operation.PULL, req.getMethod(), req.isSecure());
        if (!decision.allowed()) {
          if (decision.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm() + "\"");
          }
          PlainResponses.send(resp, decision.status(), null, bytes("0\n" + decision.reason() + "\n"));
          return;
        }
        Handshake.handle(req, resp, settings, registry);
      } else {
        PlainResponses.text(resp, 404, "this server speaks Mercurial's frame-based protocol under /api/\n");
      }
      return;
    }
    if (!parts.get(0).equals("api")) {
      PlainResponses.text(resp, 404, "not found: /" + String.join("/", parts) + "\n");
      return;
    }
    if (!settings.apiServer()) {
      PlainResponses.text(resp, 404, "Experimental API server endpoint not enabled");
      return;
    }
    List<String> available = settings.httpV2() ? List.of(HTTP_V2_API) : List.of();
    if (parts.size() == 1) {
      String body = "APIs can be accessed at /api/<name>, where <name> can be one of the following:\n\n"
          + (available.isEmpty() ? "(no available APIs)\n" : String.join("\n", available));
      PlainResponses.text(resp, 200, body);
      return;
    }
    String api = parts.get(1);
    if (!api.equals(HTTP_V2_API)) {
      PlainResponses.text(resp, 404, "Unknown API: " + api + "\nKnown APIs: " + String.join(", ", available));
      return;
    }
    if (!settings.httpV2()) {
      PlainResponses.text(resp, 404, "API " + api + " not enabled\n");
      return;
    }
    handleHttpV2(req, resp, parts);
  }

  /** The reference's {@code handlehttpv2request}, check for check. */
  private void handleHttpV2(HttpServletRequest req, HttpServletResponse resp, List<String> parts) throws IOException {
    List<String> urlParts = parts.subList(2, parts.size());
    if (urlParts.isEmpty()) {
      PlainResponses.text(resp, 200, "HTTP version 2 API handler");
      return;
    }
    if (urlParts.size() == 1) {
      PlainResponses.text(resp, 404, "do not know how to process " + String.join("/", parts) + "\n");
      return;
    }
    String permission = urlParts.get(0);
    String command = urlParts.get(1);
    if (!permission.equals("ro") && !permission.equals("rw")) {
      PlainResponses.text(resp, 404, "unknown permission: " + permission);
      return;
    }
    if (!req.getMethod().equals("POST")) {
      resp.setHeader("Allow", "POST");
      PlainResponses.send(resp, 405, null, bytes("commands require POST requests"));
      return;
    }
    boolean readWrite = permission.equals("rw");
    AccessControl.Decision decision = AccessControl.check(settings.config(), req.getRemoteUser(),
        readWrite ? AccessControl.Operation.PUSH : AccessControl.Operation.PULL, req.getMethod(), req.isSecure());
    if (!decision.allowed()) {
      if (decision.status() == 401) {
        resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm() + "\"");
      }
      PlainResponses.send(resp, decision.status(), null, bytes("permission denied"));
      return;
    }
    InputStream body = new LimitedInputStream(req.getInputStream(), settings.maxBodyBytes(),
        settings.idleTimeoutMillis(), settings.minBodyRate());
    if (command.equals("debugreflect")) {
      if (!settings.debugReflect()) {
        PlainResponses.text(resp, 404, "debugreflect service not available");
        return;
      }
      DebugReflect.handle(body, settings.coreLimits(), resp);
      return;
    }
    ByteString commandName = ByteString.utf8(command);
    if (!command.equals("multirequest") && registry.get(commandName).isEmpty()) {
      PlainResponses.text(resp, 404, "unknown wire protocol command: " + command + "\n");
      return;
    }
    if (!CommandExchange.FRAMING_TYPE.equals(req.getHeader("Accept"))) {
      PlainResponses.text(resp, 406, "client MUST specify Accept header with value: "
          + CommandExchange.FRAMING_TYPE + "\n");
      return;
    }
    if (!CommandExchange.FRAMING_TYPE.equals(req.getHeader("Content-Type"))) {
      PlainResponses.text(resp, 415, "client MUST send Content-Type header with value: "
          + CommandExchange.FRAMING_TYPE + "\n");
      return;
    }
    new CommandExchange(registry, settings.coreLimits(), readWrite, commandName, req.getRemoteUser(),
        req.isSecure()).run(body, resp);
  }

  private String realm() {
    return realm(settings);
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

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
