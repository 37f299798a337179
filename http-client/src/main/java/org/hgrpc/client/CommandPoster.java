package org.hgrpc.client;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Permission;
import org.hgrpc.core.encoding.ContentEncodings;
import org.hgrpc.core.reactor.Action;
import org.hgrpc.core.reactor.ClientReactor;
import org.hgrpc.core.reactor.CommandRequest;

/**
 * Turns commands into HTTP exchanges: the frames of a fresh single-send {@link ClientReactor}
 * as the body of one POST to {@code <base><apibase><api>/<ro|rw>/<command or multirequest>},
 * with the media type of the handshake's chosen framing as {@code Content-Type} and
 * {@code Accept}. With framing 0006 the body starts with a sender-protocol-settings frame
 * listing the client's content encodings, and the reactor decodes each response stream with
 * the encoding its stream-settings frame names.
 */
final class CommandPoster {
  private final Transport transport;
  private final URI baseUri;
  private final List<String> contentEncoders;

  CommandPoster(Transport transport, URI baseUri, List<String> contentEncoders) {
    this.transport = transport;
    this.baseUri = baseUri;
    this.contentEncoders = List.copyOf(contentEncoders);
  }

  /** A single-send reactor for one exchange in {@code framing}. */
  private ClientReactor reactor(Framing framing) {
    ClientReactor.Options options = ClientReactor.Options.of(framing).withHasMultipleSend(false)
        .withBufferSends(true).withLimits(transport.settings().limits());
    if (framing.hasContentEncoding()) {
      // Decoders stay every encoding we implement: what we offer is a preference, not a refusal.
      options = options.withClientContentEncoders(contentEncoders).withDecoders(ContentEncodings.DEFAULT);
    }
    return new ClientReactor(options);
  }

  /**
   * Starts one exchange for {@code calls}: request ids 1, 3, 5, ... in order.
   *
   * @param inFlight holds the exchange until its HTTP part is over, so the client can cancel it
   * @return the result streams, in the order of {@code calls}
   */
  List<ResultStream> post(ServerInfo info, List<CommandCall> calls, Set<Exchange> inFlight) {
    ClientReactor reactor = reactor(info.framing());
    List<CommandRequest> requests = new ArrayList<>();
    for (CommandCall c : calls) {
      requests.add(reactor.callCommand(c.wireName(), c.wireArgs(), null).request());
    }
    byte[] body = requestBody(reactor);
    String path = calls.size() == 1 ? calls.get(0).command() : "multirequest";
    URI uri = commandUri(info, permission(info, calls), path);
    Exchange exchange = new Exchange(transport, uri, reactor);
    List<ResultStream> streams = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      streams.add(exchange.addStream(requests.get(i).requestId(), calls.get(i).command()));
    }
    inFlight.add(exchange);
    CompletableFuture<HttpResponse<Void>> http =
        HttpCall.start(transport, frameRequest(uri, info.framing(), body), info.framing().mediaType(), exchange);
    exchange.started(http);
    http.whenComplete((r, e) -> inFlight.remove(exchange));
    return streams;
  }

  /** Starts one exchange for {@code call} whose body is handed over undecoded. */
  CompletableFuture<InputStream> postRaw(ServerInfo info, CommandCall call) {
    ClientReactor reactor = reactor(info.framing());
    reactor.callCommand(call.wireName(), call.wireArgs(), null);
    URI uri = commandUri(info, permission(info, List.of(call)), call.command());
    RawResponseStream stream = new RawResponseStream(transport, uri);
    HttpCall.start(transport, frameRequest(uri, info.framing(), requestBody(reactor)), info.framing().mediaType(),
        stream);
    return stream.started();
  }

  /** {@code <base><apibase><api>/<ro|rw>/<path>}. */
  URI commandUri(ServerInfo info, Permission permission, String path) {
    return baseUri.resolve(info.apiBase() + info.apiName() + "/" + permission.urlPart() + "/" + path);
  }

  /** Push if any call asks for it or, asking nothing, needs it according to the capabilities. */
  static Permission permission(ServerInfo info, List<CommandCall> calls) {
    for (CommandCall c : calls) {
      Permission p = c.permission().orElseGet(() -> info.capabilities().command(c.command())
          .map(Capabilities.CommandInfo::permission).orElse(Permission.PULL));
      if (p == Permission.PUSH) {
        return Permission.PUSH;
      }
    }
    return Permission.PULL;
  }

  /** The frames of every command issued to {@code reactor}, made at once: requests are small. */
  private static byte[] requestBody(ClientReactor reactor) {
    Action action = reactor.flushCommands();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((Action.SendFrames) action).frames().forEachRemaining(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  private HttpRequest frameRequest(URI uri, Framing framing, byte[] body) {
    return transport.request(uri)
        .header("Accept", framing.mediaType())
        .header("Content-Type", framing.mediaType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
