package org.hgrpc.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.util.security.Credential;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;
import org.hgrpc.server.ops.RequestAttributes;

/**
 * HTTP basic authentication for the embedded server, from a users file in Jetty's realm
 * format ({@code user: password}, the password plain or {@code MD5:}/{@code CRYPT:}/{@code OBF:}
 * encoded, trailing {@code ,role} lists ignored; {@code #} comments).
 *
 * <p>Authentication is optional, as with {@code hg serve} behind a web server: a request
 * without credentials is anonymous ({@code getRemoteUser()} is null) and the permission rules
 * decide; wrong credentials are refused with 401 at once.
 */
final class BasicAuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, Credential> users;
  private final transient HttpOutcomes outcomes;

  BasicAuthFilter(Map<String, Credential> users, String realm) {
    this.users = Map.copyOf(users);
    this.outcomes = new HttpOutcomes(realm);
  }

  /** Reads a users file. */
  static Map<String, Credential> load(Path file) throws IOException {
    Map<String, Credential> users = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int colon = t.indexOf(':');
      if (colon <= 0) {
        throw new IOException(file + ":" + lineNo + ": expected 'user: password'");
      }
      String user = t.substring(0, colon).strip();
      String password = t.substring(colon + 1).strip();
      int comma = password.indexOf(',');
      if (comma >= 0) {
        password = password.substring(0, comma).strip();
      }
      users.put(user, Credential.getCredential(password));
    }
    return users;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String header = req.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      chain.doFilter(req, resp);
      return;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      refuse(resp, "malformed Authorization header\n");
      return;
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String password = colon < 0 ? "" : decoded.substring(colon + 1);
    Credential credential = users.get(user);
    if (credential == null || !credential.check(password)) {
      // The body stays hgweb's words; the detail (header and error log) names the user who tried,
      // for the operator, but not which of the name and the password was wrong.
      outcomes.refuse(resp, new Refusal(RefusalKind.CREDENTIALS_REJECTED, "authentication failed\n",
          "the users file has no user '" + (user.length() > 64 ? user.substring(0, 64) + "..." : user)
              + "' with this password"));
      return;
    }
    // For the access and error logs, which see the request after this wrapper is gone.
    req.setAttribute(RequestAttributes.USER, user);
    chain.doFilter(new HttpServletRequestWrapper(req) {
      @Override
      public String getRemoteUser() {
        return user;
      }

      @Override
      public Principal getUserPrincipal() {
        return () -> user;
      }

      @Override
      public String getAuthType() {
        return HttpServletRequest.BASIC_AUTH;
      }
    }, resp);
  }

  private void refuse(HttpServletResponse resp, String message) throws IOException {
    outcomes.refuse(resp, new Refusal(RefusalKind.CREDENTIALS_REJECTED, message));
  }
}
