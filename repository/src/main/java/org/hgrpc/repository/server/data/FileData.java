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
import org.hgrpc.repository.data.Filelogs;
import org.hgrpc.repository.data.RevisionEmitter;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.view.RepoView;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/**
 * {@code filedata}: revisions of one file by node, with {@code parents}, {@code linknode} and
 * {@code revision} as asked; the same response shape as {@code manifestdata}. Errors before
 * anything is sent: {@code unknown file: %s} (no filelog, e.g. a directory) and
 * {@code unknown file node: %s} (hex). As in the reference, file revisions are served to
 * whoever names them; asking for {@code linknode} of one linked to a changeset the view hides
 * fails at that revision.
 */
public final class FileData {
  private final HgRepository repo;
  private final RepositoryOptions options;

  /** The command serving {@code repo}. */
  public FileData(HgRepository repo, RepositoryOptions options) {
    this.repo = repo;
    this.options = options;
  }

  /** The command, for a registry. */
  public Command command() {
    return Command.of("filedata", Permission.PULL, List.of(
        ArgumentSpec.optional("haveparents", true).withDefault(false),
        ArgumentSpec.required("nodes", List.of(DataArgs.b("0123456..."))),
        ArgumentSpec.optional("fields", Set.of(ChangesetData.PARENTS, ChangesetData.REVISION))
            .withDefault(Set.of()).withValidValues(List.of(DataArgs.b("linknode"), DataArgs.b("parents"), DataArgs.b("revision"))),
        ArgumentSpec.required("path", DataArgs.b("foo.txt"))),
        call -> CommandResponse.objects(run(call.args())));
  }

  /** The response objects for validated {@code args}, produced lazily. */
  public Iterator<Object> run(Map<ByteString, Object> args) {
    DataArgs a = new DataArgs(args);
    return new LazyObjects() {
      private RevisionEmitter emitter;
      private Set<ByteString> fields;
      private ByteString path;
      private RepoView view;

      @Override
      protected boolean produce(Deque<Object> out) {
        if (emitter == null) {
          RepoState state = repo.snapshot();
          view = state.view(options.view());
          path = a.bytes("path");
          if (!Filelogs.isFilePath(path)) {
            throw new CommandError(DataArgs.b("path contains illegal component: %s"), List.of(path));
          }
          Revlog store = Filelogs.open(state.paths(), path);
          if (store.index().count() == 0) {
            throw new CommandError(DataArgs.b("unknown file: %s"), List.of(path));
          }
          Collection<?> nodes = a.collection("nodes");
          List<Integer> revs = new ArrayList<>();
          for (Object n : nodes) {
            Integer r = n instanceof ByteString ? store.index().rev((ByteString) n) : null;
            if (r == null) {
              throw new CommandError(DataArgs.b("unknown file node: %s"),
                  List.of(n instanceof ByteString ? DataArgs.b(((ByteString) n).hex()) : DataArgs.describe(n)));
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
        FileRevisions.addNext(emitter, path, fields, view, out);
        return true;
      }
    };
  }
}
