package org.hgrpc.repository.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.write.PushKeys;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * The repository commands, found by {@link java.util.ServiceLoader}: for a server with a
 * repository directory, {@code branchmap}, {@code heads}, {@code known}, {@code listkeys},
 * {@code lookup} and {@code pushkey}; without one, nothing. Its capabilities add
 * {@code rawrepoformats} where the reference's {@code streamclone.allowservergeneration} is
 * true (stream clones allowed and no secret changeset, unless allowed anyway). When it
 * provides the commands (once, at server start) it also cleans up after a crashed writer, if
 * no live process holds the repository's locks ({@link PushKeys#cleanUpAfterCrash()}).
 */
public final class RepositoryCommandProvider implements CommandProvider {
  /** The requirements Mercurial at the reference revision lists as raw repository formats. */
  private static final List<String> SUPPORTED_FORMATS =
      List.of("exp-revlogv2.0", "generaldelta", "revlogv1", "sparserevlog", "treemanifest");

  /** For {@link java.util.ServiceLoader}. */
  public RepositoryCommandProvider() {}

  @Override
  public List<Command> commands(ServerContext context) {
    HgRepository repo = repository(context);
    if (repo == null) {
      return List.of();
    }
    RepositoryOptions options = RepositoryOptions.from(context.config());
    cleanUpAfterCrash(repo, options);
    return new RepositoryCommands(repo, options).all();
  }

  @Override
  public Map<ByteString, Object> capabilities(ServerContext context) {
    HgRepository repo = repository(context);
    if (repo == null) {
      return Map.of();
    }
    RepositoryOptions options = RepositoryOptions.from(context.config());
    RepoState state = repo.snapshot();
    if (!allowStreamClone(state, options)) {
      return Map.of();
    }
    TreeSet<String> formats = new TreeSet<>(state.requirements().all());
    formats.retainAll(SUPPORTED_FORMATS);
    return Map.of(ByteString.latin1("rawrepoformats"), formats.stream().map(ByteString::latin1).toList());
  }

  /** Unpacks the bundled demo repository into {@code target} for {@code serve --demo} and returns its root. */
  @Override
  public Optional<Path> unpackDemoRepository(Path target) {
    return Optional.of(DemoRepository.unpack(target));
  }

  /** {@code streamclone.allowservergeneration}: whether stream clone data may be served. */
  public static boolean allowStreamClone(RepoState state, RepositoryOptions options) {
    if (!options.uncompressed()) {
      return false;
    }
    if (state.phases().hasSecret()) {
      return options.uncompressedAllowSecret();
    }
    return true;
  }

  /**
   * At start, what a killed server (this one's previous run, another replica) left: stale
   * locks and temporary files, removed only when no live process holds the locks. A
   * repository this server cannot write (a read-only volume) is left as it is.
   */
  private static void cleanUpAfterCrash(HgRepository repo, RepositoryOptions options) {
    if (!Files.isWritable(repo.root().resolve(".hg")) || !Files.isWritable(repo.snapshot().paths().storeLock().getParent())) {
      return;
    }
    List<Path> removed = new PushKeys(repo, options.lockTimeout(), options.view()).cleanUpAfterCrash().orElse(List.of());
    if (!removed.isEmpty()) {
      System.getLogger(RepositoryCommandProvider.class.getName()).log(System.Logger.Level.INFO,
          "removed temporary files of writes that never finished: " + removed);
    }
  }

  private static HgRepository repository(ServerContext context) {
    Path dir = context.repository().orElse(null);
    if (dir == null || !HgRepository.isRepository(dir)) {
      return null;
    }
    return Repositories.open(dir);
  }
}
