// Load for the server's admission control (docs/server.md, "Slow clients and memory"): slow
// uploads, idle connections and large command data against a running hgrpc server, while one
// normal client keeps running `heads`. JDK only; run by scripts/admission-load.sh, or alone:
//
//   java scripts/AdmissionLoad.java http://127.0.0.1:8000 [options]
//
//   --seconds N      length of the baseline and of the loaded run (default 20)
//   --tricklers N    connections sending a 100-byte body at 1 byte/s (default 300)
//   --slow N         connections uploading at --slow-rate bytes/s, forever (default 64)
//   --slow-rate N    their rate (default 1229: 1.2 KiB/s, just over the default minimum of 1 KiB/s)
//   --idle N         idle keep-alive connections (default 200)
//   --data-mib N     command data of each of three requests sent at once to heads (default 63; 0: skip)
//   --load-from A    local address the load connects from (default 127.0.0.2 when the server is on
//                    127.0.0.1, Linux's loopback taking all of 127.0.0.0/8; "-": the normal client's).
//                    The load is then one peer and the normal client another, as on a real server:
//                    the server's per-address connection limit (hgrpc.max-connections-per-ip, 256)
//                    refuses the load's connections beyond it, and not the normal client's
//
// Prints one line per phase and a summary; exits 1 when the loaded normal client saw any answer
// other than 200 or ran at less than half its unloaded rate.
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

public class AdmissionLoad {
  static final String FRAMING = "application/mercurial-exp-framing-0005";
  static final String HEADS = "/api/exp-http-v2-0001/ro/heads";
  /** One command request frame: {b'name': b'heads'}. */
  static final byte[] HEADS_REQUEST = hex("0c0000010001011" + "1a1446e616d65456865616473");

  static String host;
  static int port;
  /** The local address of the load's connections, or null for the system's choice. */
  static InetSocketAddress loadFrom;
  static final Map<String, AtomicLong> fates = new ConcurrentHashMap<>();
  static volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    host = base.getHost();
    port = base.getPort();
    int seconds = 20, tricklers = 300, slow = 64, slowRate = 1229, idle = 200, dataMib = 63;
    String from = host.equals("127.0.0.1") ? "127.0.0.2" : "-";
    for (int i = 1; i < args.length; i += 2) {
      if (args[i].equals("--load-from")) {
        from = args[i + 1];
        continue;
      }
      int v = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--seconds" -> seconds = v;
        case "--tricklers" -> tricklers = v;
        case "--slow" -> slow = v;
        case "--slow-rate" -> slowRate = v;
        case "--idle" -> idle = v;
        case "--data-mib" -> dataMib = v;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    loadFrom = from.equals("-") ? null : new InetSocketAddress(from, 0);
    System.out.printf("load from %s, the normal client from the system's choice of address%n",
        loadFrom == null ? "the system's choice of address too" : from);

    normalClient(3); // warm up the server's JIT, so that the baseline is not its cold start
    Result baseline = normalClient(seconds);
    System.out.printf("baseline: %s%n", baseline);

    List<Socket> idles = new ArrayList<>();
    for (int i = 0; i < idle; i++) {
      Socket s = idleConnection();
      if (s != null) {
        idles.add(s);
      }
    }
    List<Thread> loaders = new ArrayList<>();
    final int trickling = tricklers, slowCount = slow, rate = slowRate;
    loaders.add(start("tricklers", () -> trickle(trickling)));
    loaders.add(start("slow uploads", () -> slowUploads(slowCount, rate)));
    Thread.sleep(3000); // let the load build up
    Result loaded = normalClient(seconds);
    running = false;
    for (Thread t : loaders) {
      t.join(10_000);
    }
    int idleAlive = 0;
    for (Socket s : idles) {
      s.setSoTimeout(1);
      try {
        idleAlive += s.getInputStream().read() < 0 ? 0 : 1;
      } catch (java.net.SocketTimeoutException e) {
        idleAlive++; // nothing to read and not closed
      } catch (IOException e) {
        // reset by the server
      }
      s.close();
    }
    System.out.printf("loaded (%d trickling at 1 B/s, %d at %d B/s, %d idle): %s%n", tricklers, slow, slowRate, idle,
        loaded);
    System.out.printf("slow peers' fates: %s%n", new TreeMap<>(fates));
    System.out.printf("idle connections still open at the end: %d of %d (the server's idle timeout closes idle ones)%n",
        idleAlive, idle);
    double ratio = baseline.perSecond() == 0 ? 0 : loaded.perSecond() / baseline.perSecond();
    System.out.printf("normal client under load: %.0f%% of its unloaded rate, %d answers other than 200%n",
        ratio * 100, loaded.other());

    if (dataMib > 0) {
      Map<Integer, Integer> statuses = commandData(dataMib, 3);
      System.out.printf("three requests with %d MiB of command data each to heads, at once: statuses %s%n", dataMib,
          statuses);
      System.out.printf("normal client after them: %s%n", normalClient(2));
    }
    System.exit(loaded.other() == 0 && ratio >= 0.5 ? 0 : 1);
  }

  record Result(long ok, long other, Map<Integer, Long> statuses, double seconds) {
    double perSecond() {
      return ok / seconds;
    }

    @Override
    public String toString() {
      return String.format("%d heads in %.1f s (%.0f/s), statuses %s", ok + other, seconds, perSecond(), statuses);
    }
  }

  /** `heads` over one keep-alive connection, as fast as answers come, for `seconds`. */
  static Result normalClient(int seconds) throws Exception {
    Map<Integer, Long> statuses = new TreeMap<>();
    long ok = 0, other = 0;
    long t0 = System.nanoTime(), end = t0 + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + HEADS).toURL()
          .openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout(5000);
      c.setReadTimeout(30_000);
      c.setRequestProperty("Accept", FRAMING);
      c.setRequestProperty("Content-Type", FRAMING);
      c.setFixedLengthStreamingMode(HEADS_REQUEST.length);
      int status;
      try {
        try (OutputStream out = c.getOutputStream()) {
          out.write(HEADS_REQUEST);
        }
        status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
          if (in != null) {
            in.readAllBytes();
          }
        }
      } catch (IOException e) {
        status = -1;
      }
      statuses.merge(status, 1L, Long::sum);
      if (status == 200) {
        ok++;
      } else {
        other++;
      }
    }
    return new Result(ok, other, statuses, (System.nanoTime() - t0) / 1e9);
  }

  /** A keep-alive connection, answered once and then idle; null when the server refused it. */
  static Socket idleConnection() throws IOException {
    Socket s = open();
    try {
      s.getOutputStream().write(("GET /api HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.setSoTimeout(10_000);
      byte[] b = new byte[4096];
      if (s.getInputStream().read(b) >= 0) { // the answer; then the connection stays open, idle
        return s;
      }
    } catch (java.net.SocketTimeoutException e) {
      throw e; // neither answered nor closed: the server is stuck, which the run must show
    } catch (IOException e) {
      // reset: closed by the server with the request unread
    }
    fates.computeIfAbsent("idle connection refused by the server", x -> new AtomicLong()).incrementAndGet();
    s.close();
    return null;
  }

  /** A connection of the load, from {@link #loadFrom}. */
  static Socket open() throws IOException {
    Socket s = new Socket();
    if (loadFrom != null) {
      s.bind(loadFrom);
    }
    s.connect(new InetSocketAddress(host, port), 10_000);
    return s;
  }

  static byte[] head(long contentLength) {
    return ("POST " + HEADS + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: " + FRAMING + "\r\nContent-Type: " + FRAMING
        + "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A peer sending `body` at `perSecond` bytes a second; reopened when the server ends it. */
  static final class SlowPeer {
    final byte[] body;
    Socket socket;
    int sent;

    SlowPeer(byte[] body) {
      this.body = body;
      try {
        connect();
      } catch (IOException e) {
        fates.computeIfAbsent("could not connect", x -> new AtomicLong()).incrementAndGet();
      }
    }

    void connect() throws IOException {
      socket = open();
      socket.setSoTimeout(1);
      socket.getOutputStream().write(head(body.length));
      sent = 0;
    }

    void send(int n) {
      try {
        if (socket == null || socket.isClosed()) {
          connect(); // the last attempt failed: try again, once a second like the rest of the load
          return;
        }
        if (serverAnswered()) {
          socket.close();
          connect();
          return;
        }
        int k = Math.min(n, body.length - sent);
        socket.getOutputStream().write(body, sent, k);
        sent += k;
        if (sent == body.length) {
          fates.computeIfAbsent("sent whole body", x -> new AtomicLong()).incrementAndGet();
          socket.close();
          connect();
        }
      } catch (IOException e) {
        fates.computeIfAbsent("connection reset or closed by the server", x -> new AtomicLong()).incrementAndGet();
        try {
          if (socket != null) {
            socket.close();
          }
          connect();
        } catch (IOException again) {
          fates.computeIfAbsent("could not reconnect", x -> new AtomicLong()).incrementAndGet();
        }
      }
    }

    /** Whether the server answered (and so gave up on the rest of the body): its status line's code. */
    boolean serverAnswered() throws IOException {
      byte[] b = new byte[512];
      int n;
      try {
        n = socket.getInputStream().read(b);
      } catch (java.net.SocketTimeoutException e) {
        return false;
      }
      if (n < 0) {
        fates.computeIfAbsent("closed by the server", x -> new AtomicLong()).incrementAndGet();
        return true;
      }
      String line = new String(b, 0, n, StandardCharsets.ISO_8859_1).split("\r\n")[0];
      fates.computeIfAbsent("answered " + line.replaceFirst("^HTTP/1.1 ", ""), x -> new AtomicLong())
          .incrementAndGet();
      return true;
    }
  }

  /** `count` peers each sending a 100-byte body (a frame declaring 92 bytes) at one byte per second. */
  static void trickle(int count) {
    byte[] body = new byte[100];
    System.arraycopy(hex("5c0000010001011" + "1"), 0, body, 0, 8);
    loop(count, body, 1);
  }

  /** `count` peers uploading arguments (continuation frames of 1 KiB) at `rate` bytes a second, without end. */
  static void slowUploads(int count, int rate) {
    // A command request whose arguments never end, up to the argument limit: 1 MiB of frames.
    int frames = 1000;
    byte[] body = new byte[frames * (8 + 1024)];
    for (int i = 0; i < frames; i++) {
      int flags = i == 0 ? 0x1 | 0x4 : 0x2 | 0x4; // new or continuation, more frames
      byte[] h = {0x00, 0x04, 0x00, 0x01, 0x00, 0x01, (byte) (i == 0 ? 1 : 0), (byte) (0x10 | flags)};
      System.arraycopy(h, 0, body, i * 1032, 8);
    }
    loop(count, body, rate);
  }

  static void loop(int count, byte[] body, int perSecond) {
    List<SlowPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        peers.add(new SlowPeer(body));
      }
      while (running) {
        long t0 = System.nanoTime();
        for (SlowPeer p : peers) {
          p.send(perSecond);
        }
        long left = 1000 - (System.nanoTime() - t0) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left);
        }
      }
    } catch (Exception e) {
      System.out.println("load stopped: " + e);
    } finally {
      for (SlowPeer p : peers) {
        try {
          if (p.socket != null) {
            p.socket.close();
          }
        } catch (IOException e) {
          // closing
        }
      }
    }
  }

  /** `count` requests at once with `mib` MiB of command data each for heads; their statuses. */
  static Map<Integer, Integer> commandData(int mib, int count) throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      threads.add(start("data", () -> {
        int status = sendData(mib);
        synchronized (statuses) {
          statuses.merge(status, 1, Integer::sum);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return statuses;
  }

  static int sendData(int mib) {
    long data = (long) mib << 20;
    int frameData = 32 * 1024;
    long frames = (data + frameData - 1) / frameData;
    // heads, announcing data (flag expect-data), then command-data frames (continuation, the last eos).
    byte[] request = hex("0c000001000101" + "19" + "a1446e616d65456865616473");
    long length = request.length + frames * 8 + data;
    try (Socket s = open()) {
      OutputStream out = s.getOutputStream();
      out.write(head(length));
      out.write(request);
      byte[] chunk = new byte[8 + frameData];
      long left = data;
      try {
        while (left > 0) {
          int n = (int) Math.min(frameData, left);
          left -= n;
          int flags = left > 0 ? 0x1 : 0x2;
          chunk[0] = (byte) n;
          chunk[1] = (byte) (n >> 8);
          chunk[2] = (byte) (n >> 16);
          chunk[3] = 1;
          chunk[5] = 1;
          chunk[6] = 0;
          chunk[7] = (byte) (0x30 | flags);
          out.write(chunk, 0, 8 + n);
        }
      } catch (IOException e) {
        // the server answered early and stopped reading: read its answer
      }
      s.setSoTimeout(30_000);
      byte[] b = s.getInputStream().readNBytes(12);
      return Integer.parseInt(new String(b, 9, 3, StandardCharsets.US_ASCII));
    } catch (Exception e) {
      return -1;
    }
  }

  static Thread start(String name, Runnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (Exception e) {
        System.out.println(name + ": " + e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}
