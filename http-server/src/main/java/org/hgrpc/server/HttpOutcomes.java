package org.hgrpc.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameIterator;
import org.hgrpc.server.config.AccessControl;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.exchange.ExchangeOutcome;
import org.hgrpc.server.exchange.ExchangeOutcome.Refusal;
import org.hgrpc.server.exchange.RefusalKind;
import org.hgrpc.server.ops.RequestAttributes;

/**
 * The one place that turns an outcome into HTTP: each {@link RefusalKind}'s status, headers
 * and content type, as Mercurial's {@code hgweb} answers (the recorded exchanges hold us to
 * it), and the frames of a successful exchange, written as they are made.
 *
 * <table>
 *   <caption>refusals</caption>
 *   <tr><th>kind</th><th>status</th><th>content type</th><th>header</th></tr>
 *   <tr><td>PROTOCOL</td><td>200</td><td>text/plain</td><td></td></tr>
 *   <tr><td>LEGACY_PROTOCOL</td><td>200</td><td>application/hg-error</td><td></td></tr>
 *   <tr><td>BAD_REQUEST</td><td>400</td><td>text/plain</td><td></td></tr>
 *   <tr><td>CREDENTIALS_REJECTED</td><td>401</td><td>text/plain</td><td>WWW-Authenticate: Basic realm</td></tr>
 *   <tr><td>NOT_AUTHORIZED</td><td>401</td><td>none</td><td>WWW-Authenticate: Basic realm</td></tr>
 *   <tr><td>ACCESS_DENIED</td><td>403</td><td>none</td><td></td></tr>
 *   <tr><td>FORBIDDEN_PERMISSION</td><td>403</td><td>text/plain</td><td></td></tr>
 *   <tr><td>NOT_FOUND</td><td>404</td><td>text/plain</td><td></td></tr>
 *   <tr><td>METHOD_NOT_ALLOWED</td><td>405</td><td>none</td><td>Allow: POST</td></tr>
 *   <tr><td>NOT_ACCEPTABLE</td><td>406</td><td>text/plain</td><td></td></tr>
 *   <tr><td>TIMEOUT</td><td>408</td><td>text/plain</td><td></td></tr>
 *   <tr><td>LIMIT</td><td>413</td><td>text/plain</td><td></td></tr>
 *   <tr><td>UNSUPPORTED_MEDIA_TYPE</td><td>415</td><td>text/plain</td><td></td></tr>
 *   <tr><td>INTERNAL</td><td>500</td><td>text/plain</td><td></td></tr>
 *   <tr><td>BUSY</td><td>503</td><td>text/plain</td><td></td></tr>
 * </table>
 *
 * <p>The answers without a content type are hgweb's permission errors, which it sends bare.
 * A refusal's {@linkplain Refusal#detail() detail} (which setting refused a push, say) goes in
 * the {@value #REFUSAL_HEADER} header: hgweb put it in the status line's reason phrase, which
 * HTTP/2 does not have and Jetty does not let us set, and the body must stay hgweb's words.
 *
 * <p>{@link RefusalKind#LEGACY_PROTOCOL} is answered as Mercurial's legacy protocol answers
 * an out-of-band error: status 200, {@code application/hg-error}, because that is what every
 * {@code hg} client prints ({@code abort: remote error:} and the text) — any other status it
 * reports as a bare {@code HTTP Error 404}.
 */
final class HttpOutcomes {
  /** The header that carries a refusal's detail. */
  static final String REFUSAL_HEADER = RequestAttributes.REFUSAL_HEADER;
  /** The legacy protocol's media type for an error its clients print. */
  static final String LEGACY_ERROR_TYPE = "application/hg-error";

  private final String realm;

  /** Outcomes for a server whose basic-authentication realm is {@code realm}. */
  HttpOutcomes(String realm) {
    this.realm = realm;
  }

  /**
   * Sends {@code outcome}: frames with the framing media type of {@code api}, a reflection as
   * text, a refusal as the table says.
   */
  void send(HttpServletResponse resp, ExchangeOutcome outcome, ExchangeApi api) throws IOException {
    if (outcome instanceof ExchangeOutcome.Frames) {
      resp.setStatus(200);
      resp.setContentType(api.framingMediaType());
      writeFrames(((ExchangeOutcome.Frames) outcome).frames(), resp.getOutputStream());
    } else if (outcome instanceof ExchangeOutcome.Reflection) {
      PlainResponses.send(resp, 200, PlainResponses.TEXT, ((ExchangeOutcome.Reflection) outcome).text().toByteArray());
    } else {
      refuse(resp, (Refusal) outcome);
    }
  }

  /** Sends a refusal. */
  void refuse(HttpServletResponse resp, Refusal refusal) throws IOException {
    String contentType = PlainResponses.TEXT;
    switch (refusal.kind()) {
      case CREDENTIALS_REJECTED:
        resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        break;
      case NOT_AUTHORIZED:
        resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        contentType = null;
        break;
      case ACCESS_DENIED:
        contentType = null;
        break;
      case METHOD_NOT_ALLOWED:
        resp.setHeader("Allow", "POST");
        contentType = null;
        break;
      case LEGACY_PROTOCOL:
        contentType = LEGACY_ERROR_TYPE;
        break;
      default:
        break;
    }
    if (!refusal.detail().isEmpty()) {
      resp.setHeader(REFUSAL_HEADER, headerText(refusal.detail()));
    }
    PlainResponses.send(resp, status(refusal.kind()), contentType, refusal.message().getBytes(StandardCharsets.UTF_8));
  }

  /** The HTTP status of a refusal kind. */
  static int status(RefusalKind kind) {
    switch (kind) {
      case PROTOCOL:
        return 200; // the reference's answer to broken frames; clients read the message from the body
      case LEGACY_PROTOCOL:
        return 200; // the only status a legacy hg client reads a message from
      case BAD_REQUEST:
        return 400;
      case CREDENTIALS_REJECTED:
      case NOT_AUTHORIZED:
        return 401;
      case ACCESS_DENIED:
      case FORBIDDEN_PERMISSION:
        return 403;
      case NOT_FOUND:
        return 404;
      case METHOD_NOT_ALLOWED:
        return 405;
      case NOT_ACCEPTABLE:
        return 406;
      case TIMEOUT:
        return 408;
      case LIMIT:
        return 413;
      case UNSUPPORTED_MEDIA_TYPE:
        return 415;
      case BUSY:
        return 503;
      case INTERNAL:
        return 500;
      default:
        throw new IllegalArgumentException("no status for " + kind);
    }
  }

  /**
   * The refusal for hgweb's permission verdict, with {@code body} as the answer's text.
   * {@link AccessControl} words its verdicts as HTTP statuses (401, 403, 405); this names them.
   */
  static Refusal refusal(AccessControl.Decision decision, String body) {
    if (decision.allowed()) {
      throw new IllegalArgumentException("the request is allowed");
    }
    switch (decision.status()) {
      case AccessControl.UNAUTHORIZED:
        return new Refusal(RefusalKind.NOT_AUTHORIZED, body, decision.explained());
      case AccessControl.FORBIDDEN:
        return new Refusal(RefusalKind.ACCESS_DENIED, body, decision.explained());
      case AccessControl.METHOD_NOT_ALLOWED:
        return new Refusal(RefusalKind.METHOD_NOT_ALLOWED, body, decision.explained());
      default:
        throw new IllegalArgumentException("unknown access verdict " + decision);
    }
  }

  /**
   * {@code text} as a header value: HTTP header values are ASCII in practice (RFC 9110 keeps
   * other octets "opaque"), so anything else (a user name in UTF-8, a control character)
   * becomes {@code ?}.
   */
  static String headerText(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private static void writeFrames(FrameIterator frames, OutputStream os) throws IOException {
    byte[] header = new byte[8];
    while (frames.hasNext()) {
      Frame f = frames.next();
      f.header().writeTo(header, 0);
      os.write(header);
      f.payload().writeTo(os);
    }
  }
}
