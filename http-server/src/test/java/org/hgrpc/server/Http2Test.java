package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.hgrpc.server.ops.OpsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server speaks HTTP/2 beside HTTP/1.1: cleartext by upgrade ({@code Upgrade: h2c})
 * and with prior knowledge (the connection starts with the HTTP/2 preface), and over TLS when
 * ALPN agrees on {@code h2}. A command's frames travel over HTTP/2 as over HTTP/1.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2Test {
  static final String FRAMING = ServeCommandTest.FRAMING;
  static final String CAPABILITIES = "/api/exp-http-v2-0001/ro/capabilities";

  @TempDir
  static Path dir;
  static Path pem;
  static X509Certificate certificate;

  private final List<HgrpcServer> servers = new ArrayList<>();

  @BeforeAll
  static void makeCertificate() throws Exception {
    Path p12 = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "hgrpc", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool hangs");
    assertEquals(0, keytool.exitValue(), "keytool: " + out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("hgrpc", "changeit".toCharArray());
    certificate = (X509Certificate) ks.getCertificate("hgrpc");
    pem = dir.resolve("server.pem");
    Files.writeString(pem, AccessControlHttpTest.pem("PRIVATE KEY", key.getEncoded())
        + AccessControlHttpTest.pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
  }

  @AfterEach
  void stop() throws Exception {
    for (HgrpcServer s : servers) {
      s.close();
    }
  }

  @Test
  void cleartextUpgradeServesCommandsOverHttp2() throws Exception {
    HgrpcServer s = start(false, OpsSettings.DEFAULTS);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    // The JDK asks to upgrade on its first request to a server; later ones share the h2c connection.
    HttpResponse<String> api = client.send(get(s, "/api"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, api.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, api.version());
    HttpResponse<byte[]> caps = client.send(capabilities(s), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, caps.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, caps.version());
    assertEquals(FRAMING, caps.headers().firstValue("Content-Type").orElse(null));
    assertTrue(new String(caps.body(), StandardCharsets.ISO_8859_1).contains("capabilities"));
  }

  @Test
  void cleartextPriorKnowledgeIsServed() throws Exception {
    HgrpcServer s = start(false, OpsSettings.DEFAULTS);
    HTTP2Client client = new HTTP2Client();
    client.start();
    try {
      Session session = client.connect(new InetSocketAddress("127.0.0.1", s.port()), new Session.Listener() {})
          .get(10, TimeUnit.SECONDS);
      MetaData.Request request = new MetaData.Request("GET", HttpURI.from("http://127.0.0.1:" + s.port() + "/api"),
          HttpVersion.HTTP_2, HttpFields.EMPTY);
      CompletableFuture<Integer> status = new CompletableFuture<>();
      CompletableFuture<String> body = new CompletableFuture<>();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      session.newStream(new HeadersFrame(request, null, true), new Stream.Listener() {
        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
          status.complete(((MetaData.Response) frame.getMetaData()).getStatus());
          stream.demand();
        }

        @Override
        public void onDataAvailable(Stream stream) {
          Stream.Data data = stream.readData();
          if (data == null) {
            stream.demand();
            return;
          }
          ByteBuffer b = data.frame().getByteBuffer();
          byte[] chunk = new byte[b.remaining()];
          b.get(chunk);
          bytes.writeBytes(chunk);
          data.release();
          if (data.frame().isEndStream()) {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
          } else {
            stream.demand();
          }
        }
      }).get(10, TimeUnit.SECONDS);
      assertEquals(200, status.get(10, TimeUnit.SECONDS));
      assertTrue(body.get(10, TimeUnit.SECONDS).startsWith("APIs can be accessed at /api/<name>"), body.get());
    } finally {
      client.stop();
    }
  }

  @Test
  void tlsNegotiatesHttp2ByAlpnAndStillServesHttp11() throws Exception {
    HgrpcServer s = start(true, OpsSettings.DEFAULTS);
    HttpResponse<byte[]> h2 = tlsClient(HttpClient.Version.HTTP_2).send(capabilities(s),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, h2.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, h2.version());
    HttpResponse<byte[]> h1 = tlsClient(HttpClient.Version.HTTP_1_1).send(capabilities(s),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, h1.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, h1.version());
  }

  @Test
  void http2CanBeTurnedOff() throws Exception {
    OpsSettings off = new OpsSettings(false, "127.0.0.1", -1, org.hgrpc.server.ops.LogFormat.TEXT, false);
    HgrpcServer tls = start(true, off);
    HttpResponse<String> r = tlsClient(HttpClient.Version.HTTP_2).send(get(tls, "/api"),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_1_1, r.version());
    HgrpcServer plain = start(false, off);
    HttpResponse<String> p = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
        .send(get(plain, "/api"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, p.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, p.version());
  }

  private HgrpcServer start(boolean tls, OpsSettings ops) throws Exception {
    HgrpcServer.Builder b = HgrpcServer.builder().address("127.0.0.1").port(0)
        .settings(AccessControlHttpTest.settings()).registry(CommandRegistry.builder().build())
        .ops(ops).errorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    if (tls) {
      b.certificate(pem);
    }
    HgrpcServer s = b.build().start();
    servers.add(s);
    return s;
  }

  private static HttpRequest get(HgrpcServer s, String path) {
    return HttpRequest.newBuilder(s.uri().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
  }

  private static HttpRequest capabilities(HgrpcServer s) {
    return HttpRequest.newBuilder(s.uri().resolve(CAPABILITIES)).timeout(Duration.ofSeconds(10))
        .header("Accept", FRAMING).header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(ServeCommandTest.frames("capabilities"))).build();
  }

  private static HttpClient tlsClient(HttpClient.Version version) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("hgrpc", certificate);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().version(version).sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
