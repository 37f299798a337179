package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hgrpc.server.config.ConnectionLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded server's connection limits ({@code hgrpc.max-connections}, {@code
 * hgrpc.max-connections-per-ip}) on a real server: idle raw sockets hold connections, a
 * connection over the total waits unanswered until one closes, a connection over an address's
 * limit is closed at once while another address is served, and the counts return to zero.
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is a second peer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitTest {
  static final InetAddress LOCAL = address("127.0.0.1");
  static final InetAddress OTHER = address("127.0.0.2");

  private final List<Socket> sockets = new ArrayList<>();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private HgrpcServer server;

  @AfterEach
  void close() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void overTheTotalANewConnectionWaitsUntilOneCloses() throws Exception {
    start(new ConnectionLimits(4, 0));
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = connect(LOCAL);
      assertEquals(200, getApi(s), "connection " + (i + 1) + " of 4");
      idle.add(s); // answered, kept alive, idle
    }
    Socket fifth = connect(LOCAL); // the kernel completes the handshake; the server does not accept it
    send(fifth, "GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    fifth.setSoTimeout(1500);
    assertTrue(noAnswer(fifth), "the fifth connection is not served while four are open");

    idle.get(0).close();
    fifth.setSoTimeout(10_000);
    assertEquals(200, status(fifth), "once one closes, the waiting connection is accepted and answered");
    String log = errorLog();
    assertEquals(1, count(log, "connection limit reached: 4 connections are open (hgrpc.max-connections)"), log);

    for (Socket s : sockets) {
      s.close();
    }
    Socket again = connect(LOCAL);
    assertEquals(200, getApi(again), "served after the connections closed");
  }

  @Test
  void overAnAddressesLimitANewConnectionIsClosedAtOnceWhileOthersAreServed() throws Exception {
    start(new ConnectionLimits(100, 3));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, getApi(connect(LOCAL)), "connection " + (i + 1) + " of 3 from 127.0.0.1");
    }
    assertEquals(3, server.connectionsFrom(LOCAL));
    for (int i = 0; i < 5; i++) {
      Socket refused = connect(LOCAL);
      refused.setSoTimeout(5000);
      assertEquals(-1, statusOrClosed(refused), "connection " + (4 + i) + " from 127.0.0.1 is closed unanswered");
    }
    Socket other = connect(OTHER);
    assertEquals(200, getApi(other), "another address is served");
    assertEquals(1, server.connectionsFrom(OTHER));
    assertEquals(3, server.connectionsFrom(LOCAL), "refused connections are not counted");
    String log = errorLog();
    assertEquals(1, count(log, "refused a connection from 127.0.0.1: 3 connections from that address are open"
        + " (hgrpc.max-connections-per-ip)"), "one line for the burst of five refusals: " + log);

    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
    awaitNoConnections();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, getApi(connect(LOCAL)), "after closing, 127.0.0.1 gets its three connections again");
    }
  }

  @Test
  void http2SharesOneConnectionForManyStreams() throws Exception {
    start(new ConnectionLimits(100, 1));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    URI api = URI.create("http://127.0.0.1:" + server.port() + "/api");
    // The first request upgrades its connection to h2c; the others are streams on it.
    HttpResponse<String> first = client.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, first.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, first.version());
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      streams.add(client.sendAsync(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : streams) {
      HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
    }
    assertEquals(1, server.connectionsFrom(LOCAL), "20 concurrent streams over one connection");
    assertFalse(errorLog().contains("refused"), errorLog());
  }

  @Test
  void noLimitsCountNothing() throws Exception {
    start(ConnectionLimits.NONE);
    for (int i = 0; i < 5; i++) {
      assertEquals(200, getApi(connect(LOCAL)));
    }
    assertEquals(0, server.trackedAddresses());
    assertEquals("", errorLog());
  }

  private void start(ConnectionLimits limits) throws Exception {
    server = HgrpcServer.builder().address("127.0.0.1").port(0)
        .settings(HostileInputTest.settings()).registry(TestCommands.registry())
        .connectionLimits(limits).errorLog(new PrintStream(errors, true, StandardCharsets.UTF_8)).build().start();
  }

  private void awaitNoConnections() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.trackedAddresses() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.connectionsFrom(LOCAL), "every close counted out");
    assertEquals(0, server.trackedAddresses(), "no address left in the table");
  }

  private Socket connect(InetAddress from) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress(LOCAL, server.port()), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** {@code GET /api} on {@code s}, keeping it alive: the status; the body is read so the connection is idle after. */
  private static int getApi(Socket s) throws IOException {
    send(s, "GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return status(s);
  }

  private static void send(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** Reads one response's head and its Content-Length body; its status. */
  private static int status(Socket s) throws IOException {
    String head = readHead(s.getInputStream());
    assertTrue(head.startsWith("HTTP/1.1 "), head);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      s.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** The status of an answer, or -1 when the server closed (or reset) the connection without one. */
  private static int statusOrClosed(Socket s) throws IOException {
    try {
      send(s, "GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      int b = s.getInputStream().read();
      if (b < 0) {
        return -1;
      }
      return Integer.parseInt((char) b + readHead(s.getInputStream()).substring(8, 11));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("neither answered nor closed", e);
    } catch (IOException e) {
      return -1; // reset: the server closed it with our request unread
    }
  }

  /** Whether nothing at all arrives (no answer, no close) within the socket's timeout. */
  private static boolean noAnswer(Socket s) throws IOException {
    try {
      int b = s.getInputStream().read();
      assertNull(b < 0 ? null : b, "unexpected answer byte");
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private String errorLog() {
    return errors.toString(StandardCharsets.UTF_8);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
