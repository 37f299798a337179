package org.hgrpc.docker;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The image's {@code HEALTHCHECK}: {@code GET /healthz} on the server inside the container, the
 * server's own health endpoint (cheap: no repository is read, no permission applies, whatever
 * the {@code --prefix}). Exits 0 when it answers 200; 1 otherwise.
 *
 * <p>The server's URL is the first argument, else {@code HGRPC_HEALTHCHECK_URL}, else
 * {@code http://127.0.0.1:8000/}; {@code /healthz} is asked at its root. When a plain HTTP
 * request is not answered as HTTP (the server was started with {@code --certificate}), it asks
 * again over HTTPS, trusting any certificate: it only talks to its own container.
 */
public final class HealthCheck {
  private static final int TIMEOUT_MS = 4000;

  private HealthCheck() {}

  public static void main(String[] args) {
    String base = args.length > 0 ? args[0]
        : System.getenv().getOrDefault("HGRPC_HEALTHCHECK_URL", "http://127.0.0.1:8000/");
    URI uri = URI.create(base).resolve("/healthz");
    String result;
    int code;
    try {
      code = status(uri);
    } catch (ConnectException e) {
      System.out.println("unhealthy: " + uri + ": " + e.getMessage());
      System.exit(1);
      return;
    } catch (IOException e) {
      if (!uri.getScheme().equals("http")) {
        System.out.println("unhealthy: " + uri + ": " + e);
        System.exit(1);
        return;
      }
      uri = URI.create("https" + uri.toString().substring(4));
      try {
        code = status(uri);
      } catch (IOException e2) {
        System.out.println("unhealthy: " + uri + ": " + e2 + " (over HTTP: " + e + ")");
        System.exit(1);
        return;
      }
    }
    boolean healthy = code == 200;
    result = (healthy ? "healthy" : "unhealthy") + ": HTTP " + code + " from " + uri;
    System.out.println(result);
    System.exit(healthy ? 0 : 1);
  }

  private static int status(URI uri) throws IOException {
    URL url = uri.toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    if (c instanceof HttpsURLConnection) {
      HttpsURLConnection https = (HttpsURLConnection) c;
      https.setSSLSocketFactory(trustAll().getSocketFactory());
      https.setHostnameVerifier((host, session) -> true);
    }
    c.setConnectTimeout(TIMEOUT_MS);
    c.setReadTimeout(TIMEOUT_MS);
    c.setInstanceFollowRedirects(false);
    try {
      int code = c.getResponseCode();
      if (code < 0) {
        throw new IOException("not an HTTP answer");
      }
      InputStream body = code < 400 ? c.getInputStream() : c.getErrorStream();
      if (body != null) {
        body.close();
      }
      return code;
    } finally {
      c.disconnect();
    }
  }

  private static SSLContext trustAll() throws IOException {
    TrustManager any = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {any}, new SecureRandom());
      return ssl;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
