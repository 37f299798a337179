package org.hgrpc.repository.server.data;

import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/**
 * {@code changesetdata}: changesets named by revision specifiers, with the fields asked for.
 *
 * <p>Response: {@code {totalitems: N}}; per changeset a map with {@code node} and, as asked,
 * {@code parents} (two nodes), {@code phase} ({@code public} for every node on a publishing
 * server, looked up otherwise), {@code bookmarks} (sorted names) and {@code fieldsfollowing}
 * ({@code [[revision, length]]}), followed by the raw changeset text for {@code revision};
 * then, with {@code bookmarks}, one {@code {bookmarks, node}} map per other node carrying
 * bookmarks, by node. Unknown field names are ignored, as in the reference.
 *
 * <p>Unlike the reference (defect H2 of the 0006 vectors), bookmarks of changesets the served
 * view hides are never sent: their trailing entries are dropped and an explicitly requested
 * hidden node gets its entry without {@code bookmarks}.
 */
public final class ChangesetData {
  static final ByteString BOOKMARKS = DataArgs.b("bookmarks");
  static final ByteString PARENTS = DataArgs.b("parents");
  static final ByteString PHASE = DataArgs.b("phase");
  static final ByteString REVISION = DataArgs.b("revision");
  static final ByteString NODE = DataArgs.b("node");
  static final ByteString TOTALITEMS = DataArgs.b("totalitems");
  static final ByteString FIELDSFOLLOWING = DataArgs.b("fieldsfollowing");

  private final HgRepository repo;
  private final RepositoryOptions options;

  /** The command serving {@code repo}. */
  public ChangesetData(HgRepository repo, RepositoryOptions options) {
    this.repo = repo;
    this.options = options;
  }

  /** The command, for a registry. */
  public Command command() {
    return Command.of("changesetdata", Permission.PULL, List.of(
        ArgumentSpec.required("revisions", List.of(Map.of(DataArgs.b("type"), DataArgs.b("changesetexplicit"),
            DataArgs.b("nodes"), List.of(DataArgs.b("abcdef..."))))),
        ArgumentSpec.optional("fields", Set.of(PARENTS, REVISION)).withDefault(Set.of())
            .withValidValues(List.of(DataArgs.b("bookmarks"), DataArgs.b("parents"), DataArgs.b("phase"), DataArgs.b("revision")))),
        call -> CommandResponse.objects(run(call.args())));
  }

  /** The response objects for validated {@code args}, produced lazily. */
  public Iterator<Object> run(Map<ByteString, Object> args) {
    DataArgs a = new DataArgs(args);
    return new LazyObjects() {
      private RepoState state;
      private ServedChangelog cl;
      private Set<ByteString> fields;
      private List<ByteString> outgoing;
      private TreeMap<ByteString, TreeSet<ByteString>> nodeBookmarks;
      private Revlog.Reader reader;
      private int next = -1;

      @Override
      protected boolean produce(Deque<Object> out) {
        if (next < 0) {
          state = repo.snapshot();
          cl = new ServedChangelog(state.view(options.view()));
          outgoing = RevisionSpecifiers.resolve(cl, a.raw("revisions"));
          fields = a.fields();
          nodeBookmarks = new TreeMap<>();
          state.bookmarks().asMap().forEach((mark, node) ->
              nodeBookmarks.computeIfAbsent(node, k -> new TreeSet<>()).add(mark));
          out.add(Map.of(TOTALITEMS, (long) outgoing.size()));
          next = 0;
          return true;
        }
        if (next < outgoing.size()) {
          try {
            emit(outgoing.get(next++), out);
          } catch (RuntimeException e) {
            closeReader();
            throw e;
          }
          return true;
        }
        closeReader();
        if (fields.contains(BOOKMARKS)) {
          nodeBookmarks.forEach((node, marks) -> {
            if (cl.has(node)) {
              out.add(Map.of(BOOKMARKS, List.copyOf(marks), NODE, node));
            }
          });
        }
        return false;
      }

      private void closeReader() {
        if (reader != null) {
          reader.close();
          reader = null;
        }
      }

      private void emit(ByteString node, Deque<Object> out) {
        Map<ByteString, Object> d = new LinkedHashMap<>();
        d.put(NODE, node);
        RevlogIndex index = state.changelog().index();
        if (fields.contains(PARENTS)) {
          int rev = cl.rev(node);
          d.put(PARENTS, List.of(index.nodeOrNull(rev < 0 ? -1 : index.p1(rev)),
              index.nodeOrNull(rev < 0 ? -1 : index.p2(rev))));
        }
        if (fields.contains(PHASE)) {
          d.put(PHASE, DataArgs.b(options.publishing() ? "public" : phaseName(state.phases().phase(cl.changeset(node)))));
        }
        if (fields.contains(BOOKMARKS)) {
          TreeSet<ByteString> marks = nodeBookmarks.remove(node);
          if (marks != null && cl.has(node)) {
            d.put(BOOKMARKS, List.copyOf(marks));
          }
        }
        ByteString revision = null;
        if (fields.contains(REVISION)) {
          int rev = cl.rev(node);
          if (rev == Nodes.NULL_REV) {
            revision = ByteString.EMPTY;
          } else {
            if (reader == null) {
              reader = state.changelog().revlog().reader();
            }
            revision = ByteString.wrap(reader.revision(rev));
          }
          d.put(FIELDSFOLLOWING, List.of(List.of(REVISION, (long) revision.size())));
        }
        out.add(d);
        if (revision != null) {
          out.add(revision);
        }
      }
    };
  }

  /** {@code phases.phasenames}. */
  static String phaseName(int phase) {
    switch (phase) {
      case Phases.PUBLIC:
        return "public";
      case Phases.DRAFT:
        return "draft";
      case Phases.SECRET:
        return "secret";
      case Phases.ARCHIVED:
        return "archived";
      case Phases.INTERNAL:
        return "internal";
      default:
        throw new IllegalStateException("phase " + phase);
    }
  }
}
