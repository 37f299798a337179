package org.hgrpc.repository.server.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.data.StoreFile;
import org.hgrpc.repository.data.StoreFiles;
import org.hgrpc.repository.server.RepositoryCommandProvider;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;
import org.hgrpc.core.Permission;

/**
 * {@code rawstorefiledata}: the changelog and/or manifest revlog files as they are on disk,
 * for a stream clone. Response: {@code {filecount, totalsize}}, then per file
 * {@code {location: store, path, size}} and its bytes as an indefinite-length byte string
 * read in pieces of at most 131072 bytes. {@code files} names sets: {@code changelog},
 * {@code manifestlog}. {@code pathfilter} is accepted and ignored, as in the reference.
 * Refused ({@code stream clone is disabled}) where stream clones are off
 * ({@code server.uncompressed}, or secret changesets without
 * {@code server.uncompressedallowsecret}).
 *
 * <p>Unlike the reference, the store is listed without taking its lock: revlogs only grow
 * (apart from strips), so each file's listed size is a consistent prefix to send.
 */
public final class RawStoreFileData {
  private static final ByteString CHANGELOG = DataArgs.b("changelog");
  private static final ByteString MANIFESTLOG = DataArgs.b("manifestlog");
  private static final ByteString FILECOUNT = DataArgs.b("filecount");
  private static final ByteString TOTALSIZE = DataArgs.b("totalsize");
  private static final ByteString LOCATION = DataArgs.b("location");
  private static final ByteString STORE = DataArgs.b("store");
  private static final ByteString SIZE = DataArgs.b("size");

  private final HgRepository repo;
  private final RepositoryOptions options;

  /** The command serving {@code repo}. */
  public RawStoreFileData(HgRepository repo, RepositoryOptions options) {
    this.repo = repo;
    this.options = options;
  }

  /** The command, for a registry. */
  public Command command() {
    return Command.of("rawstorefiledata", Permission.PULL, List.of(
        ArgumentSpec.required("files", List.of(CHANGELOG, MANIFESTLOG)),
        ArgumentSpec.optional("pathfilter", Map.of(DataArgs.b("include"), List.of(DataArgs.b("path:tests"))))
            .withType("list")),
        call -> CommandResponse.objects(run(call.args())));
  }

  /** Whether the capabilities list this command: only where stream clones are allowed. */
  public boolean advertised() {
    return RepositoryCommandProvider.allowStreamClone(repo.snapshot(), options);
  }

  /** The response objects for validated {@code args}, produced lazily. */
  public Iterator<Object> run(Map<ByteString, Object> args) {
    DataArgs a = new DataArgs(args);
    return new LazyObjects() {
      private Iterator<StoreFile> files;

      @Override
      protected boolean produce(Deque<Object> out) {
        if (files == null) {
          RepoState state = repo.snapshot();
          if (!RepositoryCommandProvider.allowStreamClone(state, options)) {
            throw new CommandError("stream clone is disabled");
          }
          Set<ByteString> wanted = new TreeSet<>();
          for (Object f : a.collection("files")) {
            wanted.add(f instanceof ByteString ? (ByteString) f : DataArgs.describe(f));
          }
          TreeSet<ByteString> unsupported = new TreeSet<>(wanted);
          unsupported.removeAll(List.of(CHANGELOG, MANIFESTLOG));
          if (!unsupported.isEmpty()) {
            throw new CommandError(DataArgs.b("unknown file type: %s"), List.of(join(unsupported)));
          }
          List<StoreFile> send = new ArrayList<>();
          long total = 0;
          for (StoreFile f : StoreFiles.topFiles(state.paths().store())) {
            if ((wanted.contains(CHANGELOG) && f.name().startsWith("00changelog"))
                || (wanted.contains(MANIFESTLOG) && f.name().startsWith("00manifest"))) {
              send.add(f);
              total += f.size();
            }
          }
          out.add(Map.of(FILECOUNT, (long) send.size(), TOTALSIZE, total));
          files = send.iterator();
          return true;
        }
        if (!files.hasNext()) {
          return false;
        }
        StoreFile f = files.next();
        out.add(Map.of(LOCATION, STORE, FilesData.PATH, ByteString.utf8(f.name()), SIZE, f.size()));
        out.add(IndefiniteByteString.fromChunks(f.pieces()));
        return true;
      }
    };
  }

  private static ByteString join(Collection<ByteString> names) {
    ByteString out = null;
    for (ByteString n : names) {
      out = out == null ? n : out.concat(DataArgs.b(", ")).concat(n);
    }
    return out == null ? ByteString.EMPTY : out;
  }
}
