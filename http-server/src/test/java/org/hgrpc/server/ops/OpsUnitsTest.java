package org.hgrpc.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.server.config.ConfigException;
import org.hgrpc.server.config.HgrcConfig;
import org.junit.jupiter.api.Test;

/** The parts of the ops package on their own. */
class OpsUnitsTest {

  @Test
  void frameCounterCountsFramesSplitAnywhere() {
    // Two frames: payload lengths 3 and 0; the second is an error response (type 5 in the high bits).
    byte[] stream = {3, 0, 0, 1, 0, 1, 2, 0x11, 'a', 'b', 'c', 0, 0, 0, 1, 0, 1, 0, 0x52};
    for (int split = 0; split <= stream.length; split++) {
      FrameCounter c = new FrameCounter();
      c.update(stream, 0, split);
      c.update(stream, split, stream.length - split);
      assertEquals(2, c.frames(), "split at " + split);
      assertTrue(c.sawErrorResponse());
    }
    FrameCounter byteWise = new FrameCounter();
    for (int i = 0; i < 11; i++) {
      byteWise.update(stream[i]);
    }
    assertEquals(1, byteWise.frames());
    assertFalse(byteWise.sawErrorResponse());
  }

  @Test
  void jsonEscapesStringsAndWritesNumbersAndNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\nd\u0001");
    m.put("n", 42);
    m.put("z", null);
    assertEquals("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":42,\"z\":null}", Json.object(m));
  }

  @Test
  void errorCauseIsOneShortLine() {
    assertEquals("first / second", ErrorLog.oneLine("first\r\nsecond\n"));
    assertEquals("(no cause given)", ErrorLog.oneLine(""));
    assertEquals("a?b", ErrorLog.oneLine("a\u0007b"));
    String longCause = "x".repeat(1000);
    assertEquals("x".repeat(ErrorLog.MAX_CAUSE) + "...", ErrorLog.oneLine(longCause));
  }

  @Test
  void errorLogEventLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ErrorLog(new PrintStream(out, true, StandardCharsets.UTF_8), LogFormat.JSON).event("stopped (SIGTERM)");
    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.matches("\\{\"time\":\"[^\"]+Z\",\"event\":\"stopped \\(SIGTERM\\)\"}\\R"), line);
  }

  @Test
  void outcomeOfStatus() {
    assertEquals("ok", RequestObserver.outcome(200, false));
    assertEquals("error-response", RequestObserver.outcome(200, true));
    assertEquals("denied", RequestObserver.outcome(401, false));
    assertEquals("denied", RequestObserver.outcome(403, false));
    assertEquals("refused", RequestObserver.outcome(404, false));
    assertEquals("busy", RequestObserver.outcome(503, false));
    assertEquals("error", RequestObserver.outcome(500, false));
  }

  @Test
  void settingsFromHgrc() {
    assertEquals(OpsSettings.DEFAULTS, OpsSettings.from(HgrcConfig.empty()));
    OpsSettings s = OpsSettings.from(HgrcConfig.empty().withOverride("hgrpc.metrics=yes")
        .withOverride("hgrpc.metrics.port=9100").withOverride("hgrpc.metrics.address=0.0.0.0")
        .withOverride("hgrpc.log-format=JSON").withOverride("hgrpc.http2=off"));
    assertEquals(new OpsSettings(true, "0.0.0.0", 9100, LogFormat.JSON, false), s);
    ConfigException port = assertThrows(ConfigException.class,
        () -> OpsSettings.from(HgrcConfig.empty().withOverride("hgrpc.metrics.port=70000")));
    assertEquals("hgrpc.metrics.port is out of range ('70000'): must be between 0 and 65535", port.getMessage());
    ConfigException format = assertThrows(ConfigException.class,
        () -> OpsSettings.from(HgrcConfig.empty().withOverride("hgrpc.log-format=xml")));
    assertEquals("hgrpc.log-format is not text or json ('xml')", format.getMessage());
    assertThrows(ConfigException.class, () -> OpsSettings.from(HgrcConfig.empty().withOverride("hgrpc.http2=maybe")));
  }

  /** A servlet that names its API, command and outcome wins over what the URL says. */
  @Test
  void requestAttributesOverrideTheUrlsLabels() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestMetrics metrics = new RequestMetrics(registry);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new RequestObserver(null, metrics, Set.of("exp-http-v2-0001"), c -> false)),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setAttribute(RequestAttributes.API, "exp-http-v2-0003");
        req.setAttribute(RequestAttributes.COMMAND, "heads");
        req.setAttribute(RequestAttributes.OUTCOME, "command-error");
        resp.setStatus(200);
        resp.getOutputStream().write(new byte[] {1, 2, 3});
      }
    }), "/*");
    jetty.setHandler(context);
    jetty.start();
    try {
      HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/whatever")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      for (int i = 0; i < 200 && registry.find("hgrpc.requests").counter() == null; i++) {
        Thread.sleep(20); // the observer may finish a moment after the client has the response
      }
      assertEquals(1.0, registry.get("hgrpc.requests").tags("api", "exp-http-v2-0003", "command", "heads",
          "outcome", "command-error", "status", "200").counter().count());
      assertEquals(3.0, registry.get("hgrpc.response.body").tags("api", "exp-http-v2-0003", "command", "heads")
          .summary().totalAmount());
      assertEquals(0.0, registry.get("hgrpc.requests.in.flight").gauge().value());
      assertEquals((double) ContentEncodings.liveNativeContexts(), registry.get("hgrpc.zstd.contexts").gauge().value());
    } finally {
      jetty.stop();
    }
  }

  /** A request the servlet finishes asynchronously is logged and counted when it completes. */
  @Test
  void asynchronousRequestsAreObservedWhenTheyComplete() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    ErrorLog errorLog = new ErrorLog(new PrintStream(errors, true, StandardCharsets.UTF_8), LogFormat.TEXT);
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new RequestObserver(errorLog, new RequestMetrics(registry), Set.of(), c -> false)),
        "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) {
        jakarta.servlet.AsyncContext async = req.startAsync();
        new Thread(() -> {
          try {
            Thread.sleep(100); // after the filter has returned
            resp.setStatus(429);
            resp.setContentType("text/plain");
            resp.getOutputStream().write("slow down\n".getBytes(StandardCharsets.UTF_8));
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          } finally {
            async.complete();
          }
        }).start();
      }
    });
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(429, r.statusCode());
      // The observer runs when the request completes, which may be after the client has the response.
      for (int i = 0; i < 200 && (errors.size() == 0 || registry.find("hgrpc.requests").counter() == null); i++) {
        Thread.sleep(20);
      }
      assertTrue(errors.toString(StandardCharsets.UTF_8).matches("\\[[^]]+\\] 429 GET /x \\(user -\\): slow down\\R"),
          errors.toString(StandardCharsets.UTF_8));
      assertEquals(1.0, registry.get("hgrpc.requests").tags("api", "none", "command", "none", "outcome", "refused",
          "status", "429").counter().count());
      assertEquals(0.0, registry.get("hgrpc.requests.in.flight").gauge().value());
    } finally {
      jetty.stop();
    }
  }
}
