package org.hgrpc.repository.server.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.data.Manifests;
import org.hgrpc.repository.data.RevisionEmitter;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/**
 * {@code manifestdata}: manifest revisions by node, in ascending revision order, with
 * {@code parents} and {@code revision} (a full text or a delta, as {@link RevisionEmitter}
 * chooses) as asked. Only flat manifests: {@code tree} must be empty.
 *
 * <p>Response: {@code {totalitems: number of nodes asked}}, then per revision a map
 * ({@code node}, {@code parents}, {@code deltabasenode}, {@code fieldsfollowing}) and its data.
 * An unknown node fails the command before anything is sent ({@code unknown node: %s}).
 * Like the reference, nodes of manifests of hidden changesets are served to whoever names
 * them.
 */
public final class ManifestData {
  private final HgRepository repo;

  /** The command serving {@code repo}. */
  public ManifestData(HgRepository repo) {
    this.repo = repo;
  }

  /** The command, for a registry. */
  public Command command() {
    return Command.of("manifestdata", Permission.PULL, List.of(
        ArgumentSpec.required("nodes", List.of(DataArgs.b("0123456..."))),
        ArgumentSpec.optional("haveparents", true).withDefault(false),
        ArgumentSpec.optional("fields", Set.of(ChangesetData.PARENTS, ChangesetData.REVISION))
            .withDefault(Set.of()).withValidValues(List.of(DataArgs.b("parents"), DataArgs.b("revision"))),
        ArgumentSpec.required("tree", ByteString.EMPTY)),
        call -> CommandResponse.objects(run(call.args())));
  }

  /** The response objects for validated {@code args}, produced lazily. */
  public Iterator<Object> run(Map<ByteString, Object> args) {
    DataArgs a = new DataArgs(args);
    return new LazyObjects() {
      private RevisionEmitter emitter;
      private Set<ByteString> fields;

      @Override
      protected boolean produce(Deque<Object> out) {
        if (emitter == null) {
          RepoState state = repo.snapshot();
          String refusal = Manifests.refusal(state.requirements(), a.raw("tree"));
          if (refusal != null) {
            throw new CommandError(refusal);
          }
          Revlog store = state.manifest();
          Collection<?> nodes = a.collection("nodes");
          List<Integer> revs = new ArrayList<>();
          for (Object n : nodes) {
            Integer r = n instanceof ByteString ? store.index().rev((ByteString) n) : null;
            if (r == null) {
              throw new CommandError(DataArgs.b("unknown node: %s"),
                  List.of(n instanceof ByteString ? (ByteString) n : DataArgs.describe(n)));
            }
            revs.add(r);
          }
          fields = a.fields();
          emitter = new RevisionEmitter(store, revs, fields.contains(ChangesetData.REVISION), a.flag("haveparents"));
          out.add(Map.of(ChangesetData.TOTALITEMS, (long) nodes.size()));
          return true;
        }
        if (!emitter.hasNext()) {
          return false;
        }
        try {
          RevisionMaps.add(emitter.next(), fields, Map.of(), out);
        } catch (RuntimeException e) {
          emitter.close();
          throw e;
        }
        return true;
      }
    };
  }
}
