package org.hgrpc.bench.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded HTTP/1.1 load generator on plain sockets: {@code connections} threads, each with
 * one keep-alive connection, send one request at a time (closed loop) until {@code requests}
 * have been sent in all. Every answer must be 200 with exactly the expected body (by
 * {@code Content-Length} or chunked). Much cheaper per request than {@code java.net.http}, so
 * on a small machine the client takes less of the CPU the servers need.
 */
public final class LoadGen {
  private LoadGen() {}

  /** What one run measured. */
  public record Result(int requests, double seconds, long[] latenciesNanos) {
    /** Requests per second. */
    public double throughput() {
      return requests / seconds;
    }
  }

  /** The bytes of a POST of {@code body} to {@code path}. */
  public static byte[] post(int port, String path, String contentType, byte[] body) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + contentType
        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /**
   * Sends {@code requests} copies of {@code request} over {@code connections} connections to
   * 127.0.0.1:{@code port}, checking each answer is {@code expectedBody}.
   */
  public static Result run(int port, byte[] request, byte[] expectedBody, int connections, int requests)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[requests];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    List<Socket> sockets = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      sockets.add(s);
    }
    long start = System.nanoTime();
    for (Socket s : sockets) {
      Thread t = new Thread(() -> {
        try {
          OutputStream out = s.getOutputStream();
          Reader in = new Reader(s.getInputStream());
          int i;
          while ((i = next.getAndIncrement()) < requests && failure.get() == null) {
            long t0 = System.nanoTime();
            out.write(request);
            out.flush();
            byte[] body = in.readResponse();
            latencies[i] = System.nanoTime() - t0;
            if (!Arrays.equals(body, expectedBody)) {
              throw new IOException("unexpected response body of " + body.length + " bytes");
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "load-" + threads.size());
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    for (Socket s : sockets) {
      s.close();
    }
    if (failure.get() != null) {
      throw new IOException("load run failed: " + failure.get(), failure.get());
    }
    return new Result(requests, elapsed / 1e9, latencies);
  }

  /** A request unanswered this long is a stall ({@link #runClosing}). */
  static final int STALL_MILLIS = 2000;

  /**
   * Like {@link #run}, but each request on a connection of its own, which the server closes
   * after answering ({@code request} must ask for that with {@code Connection: close}): for
   * {@code hg serve} (Debian's 6.3.2), whose keep-alive connections waited on Nagle's algorithm
   * (90 requests/s). Should a request stay unanswered for {@value #STALL_MILLIS} ms, it is
   * sent again on a new connection (at most three times), the time lost is not counted
   * (divided by the connections: exact for one) and the run logs it.
   */
  public static Result runClosing(int port, byte[] request, byte[] expectedBody, int connections, int requests)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long[] latencies = new long[requests];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.atomic.AtomicLong stalledNanos = new java.util.concurrent.atomic.AtomicLong();
    AtomicInteger stalls = new AtomicInteger();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      Thread t = new Thread(() -> {
        try {
          int i;
          while ((i = next.getAndIncrement()) < requests && failure.get() == null) {
            long t0 = System.nanoTime();
            byte[] body = null;
            for (int attempt = 1; body == null; attempt++) {
              long a0 = System.nanoTime();
              try {
                body = fetchClosing(port, request);
              } catch (java.net.SocketTimeoutException e) {
                // A stall of the server's (see the class comment): retried, its time not counted.
                stalledNanos.addAndGet(System.nanoTime() - a0);
                stalls.incrementAndGet();
                t0 += System.nanoTime() - a0;
                if (attempt == 3) {
                  throw e;
                }
              }
            }
            latencies[i] = System.nanoTime() - t0;
            if (!Arrays.equals(body, expectedBody)) {
              throw new IOException("unexpected response body of " + body.length + " bytes");
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "load-closing-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start - stalledNanos.get() / connections;
    if (failure.get() != null) {
      throw new IOException("load run failed: " + failure.get(), failure.get());
    }
    if (stalls.get() > 0) {
      EndToEnd.log("load: %d stalled request(s) of %d retried, %.1f s not counted", stalls.get(), requests,
          stalledNanos.get() / 1e9);
    }
    return new Result(requests, elapsed / 1e9, latencies);
  }

  /**
   * One request on a new connection; the body of the 200 answer (its {@code Content-Length}
   * bytes, or up to the connection's end without one).
   */
  public static byte[] fetchClosing(int port, byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(STALL_MILLIS);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      InputStream in = new java.io.BufferedInputStream(s.getInputStream());
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int c;
      int matched = 0;
      while (matched < 4 && (c = in.read()) != -1) {
        head.write(c);
        matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (matched < 4 || !text.startsWith("HTTP/1.") || !text.substring(0, text.indexOf('\r')).contains(" 200 ")) {
        throw new IOException("unexpected response: " + text.substring(0, Math.min(200, text.length())));
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
      return m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : in.readAllBytes();
    }
  }

  /** The {@code p}-th percentile (0..100) of {@code values}, which it sorts. */
  public static double percentile(long[] values, double p) {
    long[] v = values.clone();
    Arrays.sort(v);
    int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, i))];
  }

  /** Reads HTTP/1.1 responses from a buffered stream. */
  static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;

    Reader(InputStream in) {
      this.in = in;
    }

    private int read() throws IOException {
      if (pos == limit) {
        fill();
      }
      return buf[pos++] & 0xff;
    }

    private void fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        throw new EOFException("connection closed");
      }
      pos = 0;
      limit = n;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = read()) != '\n') {
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (pos == limit) {
          fill();
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        off += n;
        len -= n;
      }
    }

    /** One response's body; fails unless the status is 200. */
    byte[] readResponse() throws IOException {
      String status = line();
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected status: " + status);
      }
      int length = -1;
      boolean chunked = false;
      String h;
      while (!(h = line()).isEmpty()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim();
        String value = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
          chunked = true;
        } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
          throw new IOException("the server closes the connection: no keep-alive");
        }
      }
      if (!chunked) {
        byte[] body = new byte[length];
        readFully(body, 0, length);
        return body;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          return body.toByteArray();
        }
        byte[] chunk = new byte[size];
        readFully(chunk, 0, size);
        body.writeBytes(chunk);
        line();
      }
    }
  }
}
