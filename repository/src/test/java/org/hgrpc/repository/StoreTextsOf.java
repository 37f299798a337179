package org.hgrpc.repository;

import java.nio.file.Path;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.data.Filelogs;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.server.Replay0006;

/** The raw texts of a repository's manifest and file revisions, for the replay suites' delta rule. */
public final class StoreTextsOf {
  private StoreTextsOf() {}

  /** The texts of the repository at {@code root}, read afresh at each call. */
  public static Replay0006.StoreTexts repository(Path root) {
    return (path, node) -> {
      HgRepository repo = HgRepository.open(root);
      Revlog store = path == null ? repo.snapshot().manifest() : Filelogs.open(repo.snapshot().paths(), path);
      Integer rev = store.index().rev(node);
      if (rev == null) {
        throw new IllegalArgumentException("no revision " + node.hex() + " in " + (path == null ? "the manifest" : path.utf8()));
      }
      return store.revision(rev);
    };
  }
}
