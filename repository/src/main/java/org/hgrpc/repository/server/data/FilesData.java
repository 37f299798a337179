package org.hgrpc.repository.server.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.data.Filelogs;
import org.hgrpc.repository.data.Manifests;
import org.hgrpc.repository.data.PathFilter;
import org.hgrpc.repository.data.RevisionEmitter;
import org.hgrpc.repository.model.ChangelogEntry;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.hgrpc.repository.server.RepositoryCommands;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/**
 * {@code filesdata}: the file revisions of a set of changesets, for clone and pull.
 *
 * <p>Which revisions: with {@code haveparents}, for each file a changeset touched (and the
 * path filter passes), the filelog revisions linked to one of the changesets; without, every
 * file revision the changesets' manifests name. Response: {@code {totalpaths, totalitems}},
 * then per path (sorted) {@code {path, totalitems}} and its revisions as {@code filedata}
 * sends them, each path with its own delta state.
 *
 * <p>The totals come first, so the file nodes of each path are collected before anything is
 * sent (nodes only, never texts); texts are read one revision at a time while sending.
 */
public final class FilesData {
  static final ByteString PATH = DataArgs.b("path");
  static final ByteString TOTALPATHS = DataArgs.b("totalpaths");
  private static final ByteString INCLUDE = DataArgs.b("include");
  private static final ByteString EXCLUDE = DataArgs.b("exclude");

  private final HgRepository repo;
  private final RepositoryOptions options;
  private final int recommendedBatchSize;

  /**
   * The command serving {@code repo}.
   *
   * @param recommendedBatchSize {@code experimental.server.filesdata.recommended-batch-size},
   *     advertised in the capabilities (0 for none)
   */
  public FilesData(HgRepository repo, RepositoryOptions options, int recommendedBatchSize) {
    this.repo = repo;
    this.options = options;
    this.recommendedBatchSize = recommendedBatchSize;
  }

  /** What the capabilities add to the command's entry ({@code recommendedbatchsize}). */
  public Map<ByteString, Object> extraCapabilities() {
    return Map.of(DataArgs.b("recommendedbatchsize"), (long) recommendedBatchSize);
  }

  /** The command, for a registry. */
  public Command command() {
    return Command.of("filesdata", Permission.PULL, List.of(
        ArgumentSpec.optional("haveparents", true).withDefault(false),
        ArgumentSpec.optional("fields", Set.of(ChangesetData.PARENTS, ChangesetData.REVISION))
            .withDefault(Set.of()).withValidValues(List.of(DataArgs.b("firstchangeset"), DataArgs.b("linknode"), DataArgs.b("parents"), DataArgs.b("revision"))),
        ArgumentSpec.optional("pathfilter", Map.of(INCLUDE, List.of(DataArgs.b("path:tests")))),
        ArgumentSpec.required("revisions", List.of(Map.of(DataArgs.b("type"), DataArgs.b("changesetexplicit"),
            DataArgs.b("nodes"), List.of(DataArgs.b("abcdef...")))))),
        call -> CommandResponse.objects(run(call.args())));
  }

  /**
   * The filter of a {@code pathfilter} argument ({@code makefilematcher}): absent or empty,
   * every file.
   *
   * @throws CommandError for a pattern without a valid prefix, with the reference's message
   */
  static PathFilter pathFilter(Object pathfilter) {
    if (!RepositoryCommands.truthy(pathfilter)) {
      return PathFilter.all();
    }
    if (!(pathfilter instanceof Map)) {
      throw new CommandError(DataArgs.b("pathfilter must be a map, not %s"), List.of(DataArgs.describe(pathfilter)));
    }
    Map<?, ?> m = (Map<?, ?>) pathfilter;
    List<List<ByteString>> lists = new ArrayList<>();
    for (ByteString key : List.of(INCLUDE, EXCLUDE)) {
      Object v = m.containsKey(key) ? m.get(key) : List.of();
      if (!(v instanceof Collection)) {
        throw new CommandError(DataArgs.b("%s patterns must be an array, not %s"), List.of(key, DataArgs.describe(v)));
      }
      List<ByteString> patterns = new ArrayList<>();
      for (Object p : (Collection<?>) v) {
        if (!(p instanceof ByteString) || !PathFilter.validPattern((ByteString) p)) {
          throw new CommandError(DataArgs.b("%s pattern must begin with `path:` or `rootfilesin:`; got %s"),
              List.of(key, p instanceof ByteString ? (ByteString) p : DataArgs.describe(p)));
        }
        patterns.add((ByteString) p);
      }
      lists.add(patterns);
    }
    return PathFilter.of(lists.get(0), lists.get(1));
  }

  /** The response objects for validated {@code args}, produced lazily. */
  public Iterator<Object> run(Map<ByteString, Object> args) {
    DataArgs a = new DataArgs(args);
    return new LazyObjects() {
      private RepoState state;
      private ServedChangelog cl;
      private Set<ByteString> fields;
      private boolean haveParents;
      private Iterator<Map.Entry<ByteString, Set<ByteString>>> paths;
      private ByteString path;
      private RevisionEmitter emitter;

      @Override
      protected boolean produce(Deque<Object> out) {
        if (paths == null) {
          start(out);
          return true;
        }
        if (emitter != null && emitter.hasNext()) {
          FileRevisions.addNext(emitter, path, fields, cl.view(), out);
          return true;
        }
        if (!paths.hasNext()) {
          return false;
        }
        Map.Entry<ByteString, Set<ByteString>> e = paths.next();
        paths.remove();
        path = e.getKey();
        Revlog store = filelog(path);
        List<Integer> revs = new ArrayList<>();
        for (ByteString n : e.getValue()) {
          Integer r = store.index().rev(n);
          if (r == null) {
            throw new RepositoryException("manifest names revision " + n.hex() + " of '" + latin1(path)
                + "', which its filelog lacks");
          }
          revs.add(r);
        }
        out.add(Map.of(PATH, path, ChangesetData.TOTALITEMS, (long) revs.size()));
        emitter = new RevisionEmitter(store, revs, fields.contains(ChangesetData.REVISION), haveParents);
        return true;
      }

      private void start(Deque<Object> out) {
        state = repo.snapshot();
        cl = new ServedChangelog(state.view(options.view()));
        List<ByteString> outgoing = RevisionSpecifiers.resolve(cl, a.raw("revisions"));
        PathFilter filter = pathFilter(a.raw("pathfilter"));
        fields = a.fields();
        haveParents = a.flag("haveparents");
        BitSet outgoingRevs = new BitSet();
        TreeSet<ByteString> changedPaths = new TreeSet<>();
        for (ByteString node : outgoing) {
          int rev = cl.changeset(node);
          if (rev < 0) {
            continue;
          }
          outgoingRevs.set(rev);
          if (haveParents) {
            for (ByteString f : state.changelog().entry(rev).files()) {
              if (filter.matches(f)) {
                changedPaths.add(f);
              }
            }
          }
        }
        TreeMap<ByteString, Set<ByteString>> fnodes = new TreeMap<>();
        if (haveParents) {
          for (ByteString p : changedPaths) {
            RevlogIndex index = filelog(p).index();
            for (int r = 0; r < index.count(); r++) {
              if (outgoingRevs.get(index.linkRev(r))) {
                fnodes.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(index.node(r));
              }
            }
          }
        } else {
          Revlog manifests = state.manifest();
          try (Revlog.Reader reader = manifests.reader()) {
            for (int rev = outgoingRevs.nextSetBit(0); rev >= 0; rev = outgoingRevs.nextSetBit(rev + 1)) {
              ChangelogEntry entry = state.changelog().entry(rev);
              Integer mrev = manifests.index().rev(entry.manifest());
              if (mrev == null) {
                throw new RepositoryException("changeset names manifest " + entry.manifest().hex()
                    + ", which 00manifest.i lacks");
              }
              if (mrev < 0) {
                continue;
              }
              Manifests.forEach(reader.revision(mrev), "revision " + mrev + " of 00manifest.i", m -> {
                if (filter.matches(m.path())) {
                  fnodes.computeIfAbsent(m.path(), k -> new LinkedHashSet<>()).add(m.node());
                }
              });
            }
          }
        }
        long total = 0;
        for (Set<ByteString> s : fnodes.values()) {
          total += s.size();
        }
        out.add(Map.of(TOTALPATHS, (long) fnodes.size(), ChangesetData.TOTALITEMS, total));
        paths = fnodes.entrySet().iterator();
      }

      private Revlog filelog(ByteString p) {
        Revlog store = Filelogs.open(state.paths(), p);
        if (store.index().count() == 0) {
          throw new CommandError(DataArgs.b("unknown file: %s"), List.of(p));
        }
        return store;
      }
    };
  }

  private static String latin1(ByteString s) {
    return s.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
