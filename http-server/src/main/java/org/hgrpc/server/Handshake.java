package org.hgrpc.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.server.config.AccessControl;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;

/**
 * The capabilities handshake, {@code GET /?cmd=capabilities}: a client announcing the APIs it
 * speaks ({@code X-HgUpgrade-1: exp-http-v2-0001 ...}) and CBOR ({@code X-HgProto-1: cbor})
 * gets a CBOR map naming the API base and describing each API both support, each in its own
 * capabilities form ({@link CapabilitiesCommand}). The client's {@code X-HgUpgrade-N} headers
 * are joined into one space-separated list, as Mercurial's {@code decodevaluefromheaders} does. Like any pull, it
 * needs read access ({@link AccessControl}).
 *
 * <p>The legacy (version 1) protocol is not served, so {@code v1capabilities} is empty and a
 * client that does not ask for the upgrade gets an empty capability string: it learns that
 * none of the legacy commands are available.
 */
final class Handshake {
  static final String CBOR_TYPE = "application/mercurial-cbor";
  static final String V1_TYPE = "application/mercurial-0.1";

  private Handshake() {}

  static void handle(HttpServletRequest req, HttpServletResponse resp, ServerSettings settings,
      CommandRegistry registry, HttpOutcomes outcomes) throws IOException {
    // As hgweb's _callhttp: the capabilities command needs read access like any pull.
    AccessControl.Decision decision = AccessControl.check(settings.config(), req.getRemoteUser(),
        AccessControl.Operation.PULL, req.getMethod(), req.isSecure());
    if (!decision.allowed()) {
      outcomes.refuse(resp, HttpOutcomes.refusal(decision, "0\n" + decision.reason() + "\n"));
      return;
    }
    String clientApis = headerSeries(req, "X-HgUpgrade");
    String protoCaps = headerSeries(req, "X-HgProto");
    boolean upgrade = settings.apiServer() && !clientApis.isEmpty()
        && new HashSet<>(Arrays.asList(protoCaps.split(" "))).contains("cbor");
    if (!upgrade) {
      PlainResponses.send(resp, 200, V1_TYPE, new byte[0]);
      return;
    }
    Map<Object, Object> apis = new LinkedHashMap<>();
    Set<String> wanted = new HashSet<>(Arrays.asList(clientApis.trim().split("\\s+")));
    for (ExchangeApi api : HgrpcServlet.enabledApis(settings)) {
      if (!wanted.contains(api.apiName())) {
        continue;
      }
      try {
        apis.put(ByteString.latin1(api.apiName()), CapabilitiesCommand.describe(registry, api));
      } catch (Exception e) {
        outcomes.refuse(resp, new Refusal(RefusalKind.INTERNAL,
            "cannot describe the server's capabilities: " + e.getMessage() + "\n"));
        return;
      }
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(ByteString.latin1("apibase"), ByteString.latin1("api/"));
    m.put(ByteString.latin1("apis"), apis);
    m.put(ByteString.latin1("v1capabilities"), ByteString.EMPTY);
    PlainResponses.send(resp, 200, CBOR_TYPE, CborEncoder.encode(m));
  }

  /** Mercurial's {@code decodevaluefromheaders}: {@code Name-1}, {@code Name-2}, ... joined. */
  private static String headerSeries(HttpServletRequest req, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; ; i++) {
      String v = req.getHeader(prefix + "-" + i);
      if (v == null) {
        return sb.toString();
      }
      sb.append(v);
    }
  }
}
