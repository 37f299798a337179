package org.hgrpc.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;

/**
 * Typed, blocking calls of the commands a Mercurial repository server offers
 * ({@code wireprotocolv2.txt}), on an {@link HgrpcClient}: {@code client.repository().heads(false)}.
 * The client itself knows no command set; this view adds one, each method a {@link CommandCall}
 * and a conversion of its one value ({@link TypedResults}), failing with a
 * {@link ProtocolErrorException} naming the command when the value has another shape.
 */
public final class RepositoryCommands {
  private final HgrpcClient client;

  RepositoryCommands(HgrpcClient client) {
    this.client = client;
  }

  /** The heads of the repository ({@code heads}); only public ones if {@code publicOnly}. */
  public List<Node> heads(boolean publicOnly) {
    CommandCall call = CommandCall.of("heads");
    return TypedResults.heads(client.single(publicOnly ? call.withArg("publiconly", true) : call));
  }

  /** Whether the server has each of {@code nodes} ({@code known}), in the same order. */
  public List<Boolean> known(List<Node> nodes) {
    return TypedResults.known(client.single(CommandCall.of("known").withArg("nodes", List.copyOf(nodes))),
        nodes.size());
  }

  /** The keys and values of a pushkey namespace ({@code listkeys}): {@code bookmarks}, {@code phases}, ... */
  public Map<ByteString, ByteString> listkeys(String namespace) {
    return TypedResults.listkeys(client.single(CommandCall.of("listkeys").withArg("namespace", namespace)));
  }

  /** The node a key (revision number, hash prefix, bookmark, tag, branch) resolves to ({@code lookup}). */
  public Node lookup(String key) {
    return TypedResults.lookup(client.single(CommandCall.of("lookup").withArg("key", key)));
  }

  /** Each named branch's heads ({@code branchmap}). */
  public Map<ByteString, List<Node>> branchmap() {
    return TypedResults.branchmap(client.single(CommandCall.of("branchmap")));
  }

  /** Sets a pushkey value if it is still {@code oldValue} ({@code pushkey}, needs push); whether it was set. */
  public boolean pushkey(String namespace, String key, String oldValue, String newValue) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("namespace", namespace);
    args.put("key", key);
    args.put("old", oldValue);
    args.put("new", newValue);
    return TypedResults.pushkey(client.single(CommandCall.of("pushkey", args).withPermission(Permission.PUSH)));
  }
}
