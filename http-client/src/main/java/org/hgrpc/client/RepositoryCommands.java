package org.hgrpc.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Framing;
import org.hgrpc.core.Permission;

/**
 * Typed, blocking calls of the commands a Mercurial repository server offers
 * ({@code wireprotocolv2.txt}), on an {@link HgrpcClient}: {@code client.repository().heads(false)}.
 * The client itself knows no command set; this view adds one, each method a {@link CommandCall}
 * and a conversion of its one value ({@link TypedResults}), failing with a
 * {@link ProtocolErrorException} naming the command when the value has another shape.
 *
 * <p>The data commands of API {@code exp-http-v2-0003} ({@code changesetdata},
 * {@code manifestdata}, {@code filedata}, {@code filesdata}, {@code rawstorefiledata}) answer
 * with many values, so their methods return a {@link DataStream} that decodes one item at a
 * time as the caller iterates, in bounded memory:
 *
 * <pre>{@code
 * List<Node> heads = client.repository().heads(false);
 * try (DataStream<ChangesetRevision> changesets = client.repository().changesetData(
 *     ChangesetDataRequest.of(RevisionSpecifier.dagRange(List.of(), heads)).withFields(ChangesetField.PARENTS))) {
 *   changesets.forEachRemaining(c -> System.out.println(c.node() + " " + c.parents()));
 * }
 * }</pre>
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

  // ---- the data commands of API exp-http-v2-0003 ----

  /**
   * The changesets {@code request} names, with the fields it asks for ({@code changesetdata}).
   * The header has {@code totalitems}.
   *
   * @throws IllegalStateException if the client does not use API {@code exp-http-v2-0003}
   */
  public DataStream<ChangesetRevision> changesetData(ChangesetDataRequest request) {
    return data(request.toCall(), Set.of("totalitems"), DataItems.changesets());
  }

  /**
   * Manifest revisions by node ({@code manifestdata}), in the server's order (ascending
   * revision). The header has {@code totalitems}.
   *
   * @throws IllegalStateException if the client does not use API {@code exp-http-v2-0003}
   */
  public DataStream<RevisionData> manifestData(ManifestDataRequest request) {
    return data(request.toCall(), Set.of("totalitems"), DataItems.revisions());
  }

  /**
   * Revisions of one file by node ({@code filedata}). The header has {@code totalitems}.
   *
   * @throws IllegalStateException if the client does not use API {@code exp-http-v2-0003}
   */
  public DataStream<RevisionData> fileData(FileDataRequest request) {
    return data(request.toCall(), Set.of("totalitems"), DataItems.revisions());
  }

  /**
   * The file revisions of a set of changesets ({@code filesdata}), path by path (each item
   * carries its {@link RevisionData#path()}). The header has {@code totalpaths} and
   * {@code totalitems}.
   *
   * @throws IllegalStateException if the client does not use API {@code exp-http-v2-0003}
   */
  public DataStream<RevisionData> filesData(FilesDataRequest request) {
    return data(request.toCall(), Set.of("totalpaths", "totalitems"), DataItems.filesRevisions());
  }

  /**
   * The store's revlog files of {@code files} as they are on disk ({@code rawstorefiledata},
   * for a stream clone; servers that do not allow stream clones refuse it with a command
   * error). The header has {@code filecount} and {@code totalsize}. The command's
   * {@code pathfilter} argument is not offered: Mercurial 4.8 accepts and ignores it.
   *
   * @throws IllegalStateException if the client does not use API {@code exp-http-v2-0003}
   */
  public DataStream<RawStoreFile> rawStoreFileData(List<RawStoreFileSet> files) {
    List<String> names = files.stream().map(RawStoreFileSet::wireName).toList();
    return data(CommandCall.of("rawstorefiledata", Map.of("files", names)), Set.of("filecount", "totalsize"),
        DataItems.rawStoreFiles());
  }

  /** Calls a data command, waits for its status and header, and hands its items over as a stream. */
  private <T> DataStream<T> data(CommandCall call, Set<String> header, DataStream.Items<T> items) {
    ServerInfo info = client.serverInfo();
    if (info.framing() != Framing.V0006) {
      throw new IllegalStateException(call.command() + " is a command of API " + Framing.V0006.httpApiName()
          + " (Mercurial 4.8), but this client uses " + info.apiName() + " (the server offers "
          + info.offeredApis() + "; HgrpcClient.Builder.framing chooses the API)");
    }
    return DataStream.open(client.await(client.call(call)), header, items);
  }
}
