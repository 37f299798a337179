package org.hgrpc.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hgweb's permission rules ({@code allow-push}, {@code deny_push}, {@code allow_read},
 * {@code deny_read}, {@code allow-pull}, {@code push_ssl}) used for real over HTTP: plain HTTP,
 * TLS with a certificate made at test time, and basic authentication from a users file.
 *
 * <p>Refusals by the rules are answered as the reference answers them: the status and the body
 * {@code permission denied} without a Content-Type; a 401 also carries {@code WWW-Authenticate}
 * (RFC 9110 requires it, and it is how a client learns to send credentials).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessControlHttpTest {
  static final String FRAMING = "application/mercurial-exp-framing-0005";
  static final String RO = "/api/exp-http-v2-0001/ro/";
  static final String RW = "/api/exp-http-v2-0001/rw/";
  static final String REALM = "Basic realm=\"Mercurial repository\"";

  static final byte[] READ_ONLY_REQUEST =
      HexFormat.of().parseHex("1500000100010111a1446e616d654e637573746f6d726561646f6e6c79");
  static final byte[] READ_WRITE_REQUEST =
      HexFormat.of().parseHex("1600000100010111a1446e616d654f637573746f6d726561647772697465");
  static final byte[] READ_ONLY_RESPONSE = HexFormat.of().parseHex(
      "0b00000100020131a146737461747573426f6b1f00000100020031581d637573746f6d726561646f6e6c7920627974657320"
      + "726573706f6e73650000000100020032");
  static final byte[] READ_WRITE_RESPONSE = HexFormat.of().parseHex(
      "0b00000100020131a146737461747573426f6b2000000100020031581e637573746f6d72656164777269746520627974657320"
      + "726573706f6e73650000000100020032");

  /** A push command telling who ran it and how: {@code user=<remote user> secure=<tls>}. */
  static final Command WHOAMI = Command.of("whoami", Permission.PUSH, List.of(),
      call -> CommandResponse.object(ByteString.utf8("user=" + call.remoteUser() + " secure=" + call.secure())));

  @TempDir
  static Path dir;
  static Path pem;
  static Path users;
  static X509Certificate certificate;

  private final List<HgrpcServer> servers = new ArrayList<>();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

  @BeforeAll
  static void makeCertificateAndUsers() throws Exception {
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
    assertEquals("PKCS#8", key.getFormat());
    pem = dir.resolve("server.pem");
    Files.writeString(pem, pem("PRIVATE KEY", key.getEncoded()) + pem("CERTIFICATE", certificate.getEncoded()),
        StandardCharsets.US_ASCII);
    String text = Files.readString(pem);
    assertTrue(text.contains("-----BEGIN PRIVATE KEY-----") && text.contains("-----BEGIN CERTIFICATE-----"));

    users = dir.resolve("users");
    Files.writeString(users, "# test users\nalice: secret\nbob: bobpw, somerole\n", StandardCharsets.UTF_8);
  }

  @AfterEach
  void stopServers() throws Exception {
    for (HgrpcServer s : servers) {
      s.close();
    }
    servers.clear();
  }

  // ---------------------------------------------------------------- push_ssl

  @Test
  void pushSslDefaultRefusesPushOverPlainHttp() throws Exception {
    HgrpcServer s = server(false, false, "web.allow-push=*");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 403);
    // Pulls are not concerned.
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), READ_ONLY_RESPONSE);
  }

  @Test
  void aRefusalNamesItsSettingInAHeaderAndTheErrorLog() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    HttpResponse<byte[]> bob = post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw");
    assertDenied(bob, 401);
    assertEquals("push not authorized: web.allow-push does not list the user bob",
        bob.headers().firstValue("Hgrpc-Refusal").orElse(null));
    HgrpcServer ssl = server(false, false, "web.allow-push=*");
    assertEquals("ssl required: web.push_ssl is true (the default) and this request came over plain HTTP: push over"
        + " HTTPS, or set web.push_ssl = false", post(ssl, RW + "customreadwrite", READ_WRITE_REQUEST, null)
        .headers().firstValue("Hgrpc-Refusal").orElse(null));
    // The error log is written when a request completes, which may be just after its answer arrived.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (errors.toString(StandardCharsets.UTF_8).lines().count() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String log = errors.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains(" 401 POST " + RW + "customreadwrite (user bob): permission denied (push not authorized:"
        + " web.allow-push does not list the user bob)"), log);
    assertTrue(log.contains(" 403 POST " + RW + "customreadwrite (user -): permission denied (ssl required: "), log);
  }

  @Test
  void pushSslDefaultRefusesEvenAnAllowedAuthenticatedUserOverPlainHttp() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 403);
  }

  @Test
  void pushSslFalseAllowsPushOverPlainHttp() throws Exception {
    HgrpcServer s = server(false, false, "web.allow-push=*", "web.push_ssl=false");
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), READ_WRITE_RESPONSE);
  }

  @Test
  void tlsAllowsPushWithPushSslDefault() throws Exception {
    HgrpcServer s = server(true, false, "web.allow-push=*");
    assertEquals("https", s.uri().getScheme());
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), READ_WRITE_RESPONSE);
    HttpResponse<byte[]> who = post(s, RW + "whoami", frames("whoami"), null);
    assertEquals(200, who.statusCode());
    assertTrue(text(who).contains("user=null secure=true"), text(who));
    // Pulls over TLS too.
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), READ_ONLY_RESPONSE);
  }

  @Test
  void tlsServerPresentsTheConfiguredCertificate() throws Exception {
    HgrpcServer s = server(true, false, "web.allow-push=*");
    // A client trusting only the default CAs refuses the self-signed certificate: TLS is real.
    HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(SSLHandshakeException.class, () -> untrusting.send(request(s, RO + "customreadonly",
        READ_ONLY_REQUEST, null), HttpResponse.BodyHandlers.ofByteArray()));
  }

  @Test
  void tlsWithBasicAuthAllowsTheListedUser() throws Exception {
    HgrpcServer s = server(true, true, "web.allow-push=alice");
    HttpResponse<byte[]> who = post(s, RW + "whoami", frames("whoami"), "alice:secret");
    assertEquals(200, who.statusCode());
    assertTrue(text(who).contains("user=alice secure=true"), text(who));
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), 401);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 401);
  }

  // ---------------------------------------------------------------- basic auth and allow-push

  @Test
  void anonymousPushIsRefused401WithWwwAuthenticate() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    HttpResponse<byte[]> r = post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null);
    assertDenied(r, 401);
    assertEquals(REALM, r.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  @Test
  void listedUserMayPush() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), READ_WRITE_RESPONSE);
    HttpResponse<byte[]> who = post(s, RW + "whoami", frames("whoami"), "alice:secret");
    assertTrue(text(who).contains("user=alice secure=false"), text(who));
  }

  @Test
  void unlistedUserMayNotPush() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    HttpResponse<byte[]> r = post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw");
    assertDenied(r, 401);
    assertEquals(REALM, r.headers().firstValue("WWW-Authenticate").orElse(null));
    // bob may still pull.
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "bob:bobpw"), READ_ONLY_RESPONSE);
  }

  @Test
  void allowPushListOfSeveralUsers() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=carol, alice bob", "web.push_ssl=false");
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), READ_WRITE_RESPONSE);
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), READ_WRITE_RESPONSE);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 401);
  }

  @Test
  void olderAllowPushNameWorks() throws Exception {
    HgrpcServer s = server(false, true, "web.allow_push=alice", "web.push_ssl=false");
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), READ_WRITE_RESPONSE);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), 401);
  }

  @Test
  void noAllowPushMeansNobodyPushes() throws Exception {
    HgrpcServer s = server(false, true, "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 401);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 401);
  }

  @Test
  void rwUrlNeedsPushPermissionEvenForAPullCommand() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadonly", READ_ONLY_REQUEST, null), 401);
    assertOk(post(s, RW + "customreadonly", READ_ONLY_REQUEST, "alice:secret"), READ_ONLY_RESPONSE);
  }

  @Test
  void pushCommandOnRoUrlIsRefusedEvenToAllowedPushers() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    HttpResponse<byte[]> r = post(s, RO + "customreadwrite", READ_WRITE_REQUEST, "alice:secret");
    assertEquals(403, r.statusCode());
    assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("insufficient permissions to execute command: customreadwrite", text(r));
    HttpResponse<byte[]> multi = post(s, RO + "multirequest", READ_WRITE_REQUEST, "alice:secret");
    assertEquals(403, multi.statusCode());
    assertEquals("insufficient permissions to execute command: customreadwrite", text(multi));
  }

  @Test
  void getOnRwUrlIs405BeforeAnyPermissionCheck() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice");
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(s) + RW + "customreadwrite"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
    assertEquals("commands require POST requests", text(r));
  }

  // ---------------------------------------------------------------- credentials

  @Test
  void wrongPasswordIs401AtOnce() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.push_ssl=false");
    for (String path : List.of(RW + "customreadwrite", RO + "customreadonly")) {
      HttpResponse<byte[]> r = post(s, path, path.startsWith(RW) ? READ_WRITE_REQUEST : READ_ONLY_REQUEST,
          "alice:wrong");
      assertEquals(401, r.statusCode(), path);
      assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(null));
      assertEquals("authentication failed\n", text(r));
      assertEquals(REALM, r.headers().firstValue("WWW-Authenticate").orElse(null));
      assertEquals("the users file has no user 'alice' with this password",
          r.headers().firstValue("Hgrpc-Refusal").orElse(null));
    }
  }

  @Test
  void unknownUserIs401() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=*", "web.push_ssl=false");
    HttpResponse<byte[]> r = post(s, RO + "customreadonly", READ_ONLY_REQUEST, "mallory:secret");
    assertEquals(401, r.statusCode());
    assertEquals("authentication failed\n", text(r));
    assertEquals(REALM, r.headers().firstValue("WWW-Authenticate").orElse(null));
    // The same words as for a wrong password: a client cannot tell which users exist.
    assertEquals("the users file has no user 'mallory' with this password",
        r.headers().firstValue("Hgrpc-Refusal").orElse(null));
  }

  @Test
  void malformedAuthorizationIs401() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=*", "web.push_ssl=false");
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(s) + RO + "customreadonly"))
        .timeout(Duration.ofSeconds(10)).header("Accept", FRAMING).header("Content-Type", FRAMING)
        .header("Authorization", "Basic !!!not-base64!!!")
        .POST(HttpRequest.BodyPublishers.ofByteArray(READ_ONLY_REQUEST)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, r.statusCode());
    assertEquals("malformed Authorization header\n", text(r));
    assertEquals(REALM, r.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  @Test
  void passwordsMayContainColons() throws Exception {
    Path colonUsers = dir.resolve("users-colon");
    Files.writeString(colonUsers, "carol: a:b:c\n");
    HgrpcServer s = start(settings("web.allow-push=carol", "web.push_ssl=false"), false, colonUsers);
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "carol:a:b:c"), READ_WRITE_RESPONSE);
  }

  @Test
  void realmIsTheRepositoryNameWherever401ComesFrom() throws Exception {
    // web.name with a quote: the servlet's 401 and the filter's 401 must carry the same, well-formed header.
    HgrpcServer s = server(false, true, "web.name=my \"repo\"", "web.allow-push=alice", "web.push_ssl=false");
    HttpResponse<byte[]> byRules = post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null);
    HttpResponse<byte[]> byFilter = post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:wrong");
    assertEquals(401, byRules.statusCode());
    assertEquals(401, byFilter.statusCode());
    assertEquals("Basic realm=\"my repo\"", byRules.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals("Basic realm=\"my repo\"", byFilter.headers().firstValue("WWW-Authenticate").orElse(null),
        "the basic auth filter quotes web.name without removing its quotes");
  }

  // ---------------------------------------------------------------- deny_push

  @Test
  void denyPushWinsOverAllowPushStar() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=*", "web.deny_push=alice", "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 401);
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), READ_WRITE_RESPONSE);
    // deny_push set: anonymous pushes are refused though allow-push is *.
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 401);
    // Pulls are not concerned.
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "alice:secret"), READ_ONLY_RESPONSE);
  }

  @Test
  void denyPushWinsOverAllowPushNamingTheUser() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=alice", "web.deny_push=alice", "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 401);
  }

  @Test
  void denyPushStarRefusesEveryone() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-push=*", "web.deny_push=*", "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 401);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), 401);
  }

  @Test
  void pushSslIsCheckedBeforeDenyPush() throws Exception {
    // Over plain HTTP with push_ssl on, the answer is 403 whoever asks.
    HgrpcServer s = server(false, true, "web.allow-push=*", "web.deny_push=alice");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), 403);
  }

  // ---------------------------------------------------------------- allow_read / deny_read

  @Test
  void allowReadRestrictsPull() throws Exception {
    HgrpcServer s = server(false, true, "web.allow_read=alice");
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), 401);
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "bob:bobpw"), 401);
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "alice:secret"), READ_ONLY_RESPONSE);
  }

  @Test
  void allowReadRestrictsPushToo() throws Exception {
    HgrpcServer s = server(false, true, "web.allow_read=alice", "web.allow-push=*", "web.push_ssl=false");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), 401);
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), READ_WRITE_RESPONSE);
  }

  @Test
  void denyReadRestrictsPull() throws Exception {
    HgrpcServer s = server(false, true, "web.deny_read=bob");
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "bob:bobpw"), 401);
    // deny_read set: anonymous reads are refused.
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), 401);
    assertOk(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "alice:secret"), READ_ONLY_RESPONSE);
  }

  @Test
  void denyReadWinsOverAllowReadAndAllowPush() throws Exception {
    HgrpcServer s = server(false, true, "web.allow_read=alice bob", "web.deny_read=bob", "web.allow-push=*",
        "web.push_ssl=false");
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "bob:bobpw"), 401);
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "bob:bobpw"), 401);
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, "alice:secret"), READ_WRITE_RESPONSE);
  }

  @Test
  void readRefusalComesBeforePushSsl() throws Exception {
    // deny_read is checked first, so an anonymous push over plain HTTP gets 401, not 403.
    HgrpcServer s = server(false, true, "web.deny_read=bob", "web.allow-push=*");
    assertDenied(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), 401);
  }

  // ---------------------------------------------------------------- allow-pull

  @Test
  void allowPullFalseRefusesPulls() throws Exception {
    HgrpcServer s = server(false, true, "web.allow-pull=false", "web.allow-push=*", "web.push_ssl=false");
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), 401);
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, "alice:secret"), 401);
    // A push URL is judged by the push rules only.
    assertOk(post(s, RW + "customreadwrite", READ_WRITE_REQUEST, null), READ_WRITE_RESPONSE);
  }

  @Test
  void olderAllowPullNameWorks() throws Exception {
    HgrpcServer s = server(false, false, "web.allowpull=no");
    assertDenied(post(s, RO + "customreadonly", READ_ONLY_REQUEST, null), 401);
    HgrpcServer both = server(false, false, "web.allowpull=no", "web.allow-pull=yes");
    assertOk(post(both, RO + "customreadonly", READ_ONLY_REQUEST, null), READ_ONLY_RESPONSE);
  }

  // ================================================================= helpers

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static HttpClient tlsClient;

  static synchronized HttpClient tlsClient() throws Exception {
    if (tlsClient == null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("hgrpc", certificate);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
          .connectTimeout(Duration.ofSeconds(5)).build();
    }
    return tlsClient;
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static ServerSettings settings(String... overrides) {
    HgrcConfig cfg = HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true");
    for (String o : overrides) {
      cfg = cfg.withOverride(o);
    }
    return ServerSettings.from(cfg);
  }

  HgrpcServer server(boolean tls, boolean withUsers, String... overrides) throws Exception {
    return start(settings(overrides), tls, withUsers ? users : null);
  }

  HgrpcServer start(ServerSettings settings, boolean tls, Path usersFile) throws Exception {
    HgrpcServer.Builder b = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings)
        .errorLog(new PrintStream(errors, true, StandardCharsets.UTF_8))
        .registry(CommandRegistry.builder().add(TestCommands.CUSTOM_READ_ONLY).add(TestCommands.CUSTOM_READ_WRITE)
            .add(WHOAMI).build());
    if (tls) {
      b.certificate(pem);
    }
    if (usersFile != null) {
      b.usersFile(usersFile);
    }
    HgrpcServer s = b.build().start();
    servers.add(s);
    return s;
  }

  static String base(HgrpcServer s) {
    return s.uri().toString().replaceAll("/$", "");
  }

  static HttpRequest request(HgrpcServer s, String path, byte[] body, String credentials) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(s) + path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", FRAMING)
        .header("Content-Type", FRAMING)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (credentials != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  static HttpResponse<byte[]> post(HgrpcServer s, String path, byte[] body, String credentials) throws Exception {
    HttpClient client = s.uri().getScheme().equals("https") ? tlsClient() : HTTP;
    return client.send(request(s, path, body, credentials), HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] frames(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), Map.of(), null)
        .forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.ISO_8859_1);
  }

  static void assertOk(HttpResponse<byte[]> r, byte[] expected) {
    assertEquals(200, r.statusCode(), () -> "body: " + text(r));
    assertEquals(FRAMING, r.headers().firstValue("Content-Type").orElse(null));
    assertArrayEquals(expected, r.body());
  }

  /** A refusal by the permission rules, worded and typed as the reference's. */
  static void assertDenied(HttpResponse<byte[]> r, int status) {
    assertEquals(status, r.statusCode(), () -> "body: " + text(r));
    assertEquals("permission denied", text(r));
    assertNull(r.headers().firstValue("Content-Type").orElse(null), "the reference sends no Content-Type");
    String why = r.headers().firstValue("Hgrpc-Refusal").orElse("");
    assertTrue(why.matches("(read|pull|push) not authorized: web\\.[a-z_-]+ .+|ssl required: web\\.push_ssl .+"),
        "the refusal must name the setting that refused it: " + r.headers().map());
    if (status == 401) {
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="),
          "a 401 must say how to authenticate: " + r.headers().map());
    } else {
      assertFalse(r.headers().firstValue("WWW-Authenticate").isPresent());
    }
  }
}
