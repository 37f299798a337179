package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hgrpc.server.ops.ErrorLog;
import org.hgrpc.server.ops.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AddressConnectionLimit} and {@link LogThrottle} on real accepted channels, with the
 * callbacks called as Jetty calls them (and as it might call them twice), and a fake clock.
 */
class AddressConnectionLimitTest {
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
  private final ErrorLog log = new ErrorLog(new PrintStream(errors, true, StandardCharsets.UTF_8), LogFormat.TEXT);
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<AutoCloseable> open = new ArrayList<>();
  private ServerSocketChannel listener;
  private InetAddress loopback;

  @BeforeEach
  void listen() throws IOException {
    loopback = InetAddress.getByName("127.0.0.1");
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
    open.add(listener);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void countsEachAddressAndClosesTheOneOverItsLimit() throws IOException {
    AddressConnectionLimit limit = limit(2);
    SocketChannel a = accept(limit);
    SocketChannel b = accept(limit);
    SocketChannel c = accept(limit);
    assertTrue(a.isOpen() && b.isOpen());
    assertFalse(c.isOpen(), "the third from one address is closed at once");
    assertEquals(2, limit.connections(loopback));

    limit.onAcceptFailed(c, new IOException("closed")); // Jetty fails the accept of the closed channel
    assertEquals(2, limit.connections(loopback), "a refused channel was never counted in");

    limit.onClosed(a);
    limit.onClosed(a);
    limit.onAcceptFailed(a, new IOException("again"));
    assertEquals(1, limit.connections(loopback), "a channel is counted out exactly once");
    SocketChannel d = accept(limit);
    assertTrue(d.isOpen(), "room again after a close");
    limit.onClosed(b);
    limit.onClosed(d);
    assertEquals(0, limit.connections(loopback));
    assertEquals(0, limit.addresses(), "no entry left for an address at zero");
  }

  @Test
  void aBurstOfRefusalsIsOneLineThenASummary() throws IOException {
    AddressConnectionLimit limit = limit(1);
    accept(limit);
    for (int i = 0; i < 5; i++) {
      assertFalse(accept(limit).isOpen());
    }
    assertEquals(1, lines().size(), errors.toString(StandardCharsets.UTF_8));
    assertTrue(lines().get(0).endsWith("refused a connection from 127.0.0.1: 1 connections from that address are"
        + " open (hgrpc.max-connections-per-ip); refusals are reported at most every 10 s"), lines().get(0));

    now.addAndGet(LogThrottle.INTERVAL_NANOS - 1);
    assertFalse(accept(limit).isOpen());
    assertEquals(1, lines().size(), "still within the interval");
    now.addAndGet(1);
    assertFalse(accept(limit).isOpen());
    assertEquals(2, lines().size());
    assertTrue(lines().get(1).contains("; 5 more refused since the last report;"), lines().get(1));
  }

  @Test
  void aLimitBelowOneIsCallerMisuse() {
    assertThrows(IllegalArgumentException.class, () -> new AddressConnectionLimit(0, log));
  }

  private AddressConnectionLimit limit(int max) {
    return new AddressConnectionLimit(max, log, new LogThrottle(LogThrottle.INTERVAL_NANOS, now::get));
  }

  /** A connection from the loopback address, accepted and handed to {@code limit} as Jetty does. */
  private SocketChannel accept(AddressConnectionLimit limit) throws IOException {
    SocketChannel client = SocketChannel.open(listener.getLocalAddress());
    open.add(client);
    SocketChannel accepted = listener.accept();
    open.add(accepted);
    limit.onAccepting(accepted);
    if (accepted.isOpen()) {
      limit.onAccepted(accepted);
    }
    return accepted;
  }

  private List<String> lines() {
    String text = errors.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
