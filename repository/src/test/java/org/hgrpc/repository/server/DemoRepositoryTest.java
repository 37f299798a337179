package org.hgrpc.repository.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.view.RepoView;
import org.hgrpc.repository.view.RevisionLookup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRepositoryTest {
  @TempDir
  Path dir;

  @Test
  void unpacksAServableRepository() {
    Path root = DemoRepository.unpack(dir);
    assertTrue(HgRepository.isRepository(root));
    RepoState state = HgRepository.open(root).snapshot();
    RepoView served = state.served();
    assertEquals(6, state.changelog().count());
    assertEquals(2, served.heads().size());
    assertEquals(List.of(ByteString.latin1("default"), ByteString.latin1("stable")),
        served.branchMap().keySet().stream().sorted().toList());
    assertEquals(RevisionLookup.lookup(served, ByteString.latin1("1")),
        RevisionLookup.lookup(served, ByteString.latin1("v1.0")));
    assertTrue(state.bookmarks().asMap().containsKey(ByteString.latin1("main")));
    assertFalse(state.phases().hasSecret());
  }

  @Test
  void theProviderOffersTheDemoRepositoryForServeDemo() throws Exception {
    // What serve --demo asks every provider: this one must answer with a repository it unpacked under the target.
    Path target = dir.resolve("again");
    Optional<Path> root = new RepositoryCommandProvider().unpackDemoRepository(target);

    assertTrue(root.isPresent(), "the repository provider has a demo repository");
    assertTrue(root.get().startsWith(target), root.get() + " is not under " + target);
    assertTrue(HgRepository.isRepository(root.get()));
    assertEquals(6, HgRepository.open(root.get()).snapshot().changelog().count());
  }
}
