package org.hgrpc.bench.e2e;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.bench.TextPayload;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.repository.server.RepositoryCommandProvider;
import org.hgrpc.server.CommandRegistry;
import org.hgrpc.server.HgrpcServer;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.server.spi.ServerContext;

/**
 * The server side of the end-to-end and streaming runs, in its own JVM: the embedded hgrpc
 * server ({@link HgrpcServer}) with two commands besides the built-in {@code capabilities},
 * and, in the same JVM and with the same Jetty set-up, a bare servlet that answers the same
 * URLs with the same bytes without running the protocol.
 *
 * <ul>
 *   <li>{@code heads}: a list of {@value Fixtures#HEADS_NODES} 20-byte nodes (the repository
 *       module's real {@code heads} is not needed for this).
 *   <li>{@code stream}: {@code size} bytes (default 1 GiB) as one indefinite-length byte string
 *       in 64 KiB chunks, produced while sent.
 *   <li>{@code textstream}: {@code size} bytes of {@link TextPayload} (default 1 GiB) the same
 *       way: compressible, for the encoded runs over API {@code exp-http-v2-0003}, where the
 *       server encodes it with the one content encoding the client offers.
 * </ul>
 *
 * <p>The bare servlet reads the request body and answers a POST to
 * {@code .../ro/capabilities} or {@code .../ro/heads} with the bytes the hgrpc server answered
 * (fetched once at start), and {@code .../ro/stream?size=N} with N raw bytes of the same
 * content, written 64 KiB at a time.
 *
 * <p>With {@code --repo DIR}: the repository commands serving {@code DIR} instead (as
 * {@code serve} has them), and the bare servlet answers each command of {@link RepoWorkload}
 * with the bytes hgrpc answered to its request.
 *
 * <p>Prints one line {@code ready HGRPC_PORT BARE_PORT}, then obeys lines on standard input:
 * {@code stats} (prints the JSON of heap peaks since the last {@code stats} and resets them),
 * {@code jfr-start}, {@code jfr-stop FILE} and {@code quit}.
 */
public final class BenchServer {
  private BenchServer() {}

  static final String API = "/api/exp-http-v2-0001/ro/";

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    HeapWatch.get();
    Path repo = args.length == 2 && args[0].equals("--repo") ? Path.of(args[1]) : null;
    List<ByteString> nodes = Fixtures.nodes(Fixtures.HEADS_NODES);
    Command heads = Command.of("heads", Permission.PULL, List.of(ArgumentSpec.optional("publiconly", false)),
        call -> CommandResponse.object(nodes));
    Command stream = Command.of("stream", Permission.PULL, List.of(ArgumentSpec.optional("size", 1L << 30)),
        call -> CommandResponse.object(Fixtures.streamValue(call.arg("size", Long.class, 1L << 30))));
    Command textstream = Command.of("textstream", Permission.PULL, List.of(ArgumentSpec.optional("size", 1L << 30)),
        call -> CommandResponse.object(TextPayload.value(call.arg("size", Long.class, 1L << 30))));
    HgrcConfig config = HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    ServerSettings settings = ServerSettings.from(config);
    // With --repo, the repository commands serving that repository (as `serve` would) instead.
    CommandRegistry registry = repo == null ? CommandRegistry.builder().add(heads).add(stream).add(textstream).build()
        : CommandRegistry.builder().addProvider(new RepositoryCommandProvider(),
            new ServerContext(Optional.of(repo), config)).build();
    Map<String, byte[]> requests = new LinkedHashMap<>();
    if (repo == null) {
      for (String command : List.of("capabilities", "heads")) {
        requests.put(command, Fixtures.commandRequest(command));
      }
    } else {
      RepoWorkload.of(repo).forEach((command, r) -> requests.put(command, r.hgrpcBody()));
    }
    HgrpcServer hgrpc = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings).registry(registry)
        .build().start();

    Map<String, byte[]> answers = new ConcurrentHashMap<>();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (Map.Entry<String, byte[]> e : requests.entrySet()) {
      String command = e.getKey();
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hgrpc.port() + API
          + command)).header("Accept", Fixtures.FRAMING_TYPE).header("Content-Type", Fixtures.FRAMING_TYPE)
          .POST(HttpRequest.BodyPublishers.ofByteArray(e.getValue())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(command + ": HTTP " + r.statusCode() + ": " + new String(r.body(),
            StandardCharsets.UTF_8));
      }
      answers.put(command, r.body());
    }

    Server bare = bareServer(settings, answers);
    bare.start();
    int barePort = ((ServerConnector) bare.getConnectors()[0]).getLocalPort();
    out.println("ready " + hgrpc.port() + " " + barePort);
    out.flush();

    jdk.jfr.Recording recording = null;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.strip();
      if (line.equals("stats")) {
        out.println(Json.write(HeapWatch.get().stats()));
        HeapWatch.get().reset();
      } else if (line.equals("jfr-start")) {
        recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.start();
        out.println("ok");
      } else if (line.startsWith("jfr-stop ")) {
        recording.dump(Path.of(line.substring(9)));
        recording.close();
        recording = null;
        out.println("ok");
      } else if (line.equals("quit")) {
        break;
      }
      out.flush();
    }
    hgrpc.close();
    bare.stop();
    System.exit(0);
  }

  /** A Jetty set up as {@link HgrpcServer} sets up its own, serving the bare servlet. */
  static Server bareServer(ServerSettings settings, Map<String, byte[]> answers) {
    QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, settings.maxConcurrentRequests() + 8));
    threads.setName("bare");
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(settings.idleTimeoutMillis());
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new BareServlet(answers)), "/*");
    jetty.setHandler(context);
    return jetty;
  }

  /** Answers with fixed bytes: HTTP and servlet cost only. */
  static final class BareServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, byte[]> answers;

    BareServlet(Map<String, byte[]> answers) {
      this.answers = answers;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] buffer = new byte[8192];
      try (InputStream body = req.getInputStream()) {
        while (body.read(buffer) != -1) {
          // the body is read, as the hgrpc servlet reads it
        }
      }
      String uri = req.getRequestURI();
      String command = uri.startsWith(API) ? uri.substring(API.length()) : "";
      resp.setStatus(200);
      resp.setContentType(Fixtures.FRAMING_TYPE);
      OutputStream os = resp.getOutputStream();
      if (command.equals("stream")) {
        long left = Long.parseLong(req.getParameter("size"));
        byte[] chunk = Fixtures.STREAM_CHUNK_BYTES;
        while (left > 0) {
          int n = (int) Math.min(left, chunk.length);
          os.write(chunk, 0, n);
          left -= n;
        }
        return;
      }
      byte[] answer = answers.get(command);
      if (answer == null) {
        resp.sendError(404);
        return;
      }
      os.write(answer);
    }
  }

}
