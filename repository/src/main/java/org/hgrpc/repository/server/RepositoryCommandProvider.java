package org.hgrpc.repository.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.server.data.DataCommands;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.repository.write.PushKeys;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * The repository commands, found by {@link java.util.ServiceLoader}: for a server with a
 * repository directory, {@code branchmap}, {@code heads}, {@code known}, {@code listkeys},
 * {@code lookup} and {@code pushkey} under every API, and the data commands of API {@code
 * exp-http-v2-0003} ({@link DataCommands}: {@code changesetdata}, {@code manifestdata}, {@code
 * filedata}, {@code filesdata}, {@code rawstorefiledata}); without one, nothing.
 *
 * <p>Its capabilities, as each Mercurial generation gave them: under {@code exp-http-v2-0001}
 * (4.7) {@code rawrepoformats} where the reference's {@code streamclone.allowservergeneration}
 * is true (stream clones allowed and no secret changeset, unless allowed anyway); under {@code
 * exp-http-v2-0003} (4.8) {@code rawrepoformats} always and {@code pathfilterprefixes}.
 *
 * <p>When it provides the commands (once, at server start) it also cleans up after a crashed
 * writer, if no live process holds the repository's locks ({@link PushKeys#cleanUpAfterCrash()}).
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
    List<Command> all = new ArrayList<>(new RepositoryCommands(repo, options).all());
    all.addAll(new DataCommands(repo, options, DataCommands.Settings.from(context.config())).commands());
    return all;
  }

  @Override
  public Map<ByteString, Object> capabilities(ServerContext context) {
    return capabilities(context, ExchangeApi.HTTP_V2_0001);
  }

  @Override
  public Map<ByteString, Object> capabilities(ServerContext context, ExchangeApi api) {
    HgRepository repo = repository(context);
    if (repo == null) {
      return Map.of();
    }
    RepositoryOptions options = RepositoryOptions.from(context.config());
    RepoState state = repo.snapshot();
    TreeSet<String> formats = new TreeSet<>(state.requirements().all());
    formats.retainAll(SUPPORTED_FORMATS);
    Object rawRepoFormats = formats.stream().map(ByteString::latin1).toList();
    if (api == ExchangeApi.HTTP_V2_0001) {
      return allowStreamClone(state, options) ? Map.of(ByteString.latin1("rawrepoformats"), rawRepoFormats) : Map.of();
    }
    // 4.8 lists the formats whatever stream clones allow: rawstorefiledata's own entry says that.
    return Map.of(ByteString.latin1("rawrepoformats"), rawRepoFormats,
        ByteString.latin1("pathfilterprefixes"), DataCommands.pathFilterPrefixes());
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
