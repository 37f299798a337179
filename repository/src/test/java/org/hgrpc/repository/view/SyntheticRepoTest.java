package org.hgrpc.repository.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.RevlogBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories written byte by byte: branch heads across branches, the reference's treatment
 * of obsolete changesets kept visible, and refusal of unsupported repositories.
 */
class SyntheticRepoTest {
  @TempDir
  Path dir;

  private static String changeset(String branch, String desc) {
    String extra = branch.equals("default") ? "" : " branch:" + branch;
    return "0".repeat(40) + "\ntest\n0 0" + extra + "\n\n" + desc;
  }

  private Path repo(RevlogBuilder changelog) throws Exception {
    Files.createDirectories(dir.resolve(".hg/store"));
    Files.writeString(dir.resolve(".hg/requires"), "revlogv1\nstore\nfncache\ndotencode\ngeneraldelta\n");
    Files.write(dir.resolve(".hg/store/00changelog.i"), changelog.index());
    return dir;
  }

  /**
   * 0 default - 1 stable - 2 default, and 3 default on 0: default's heads are 2 and 3 (0 is an
   * ancestor of 2 through stable); 4 closes stable on 1, so stable's only head is closed.
   */
  @Test
  void branchHeadsLookThroughOtherBranches() throws Exception {
    RevlogBuilder cl = new RevlogBuilder(true, true)
        .full(changeset("default", "0"), -1)
        .full(changeset("stable", "1"), 0)
        .full(changeset("default", "2"), 1)
        .full(changeset("default", "3"), 0);
    cl.full("0".repeat(40) + "\ntest\n0 0 branch:stable\0close:1\n\nclose", 1);
    RepoView v = HgRepository.open(repo(cl)).snapshot().served();
    assertEquals(List.of(cl.node(2), cl.node(3)), v.branchMap().get(ByteString.latin1("default")));
    assertEquals(List.of(cl.node(4)), v.branchMap().get(ByteString.latin1("stable")));
    assertEquals(cl.node(4), v.branchTip(ByteString.latin1("stable")), "only closed heads: the closed tip");
    assertEquals(cl.node(3), v.branchTip(ByteString.latin1("default")));
    assertEquals(List.of(cl.node(4), cl.node(3), cl.node(2)), v.heads());
  }

  /**
   * Drafts 1 - 2 on public 0, and 3 on 0; markers obsolete 1 (rewritten as 2), 2 (pruned) and
   * 3 (pruned); a bookmark on 2 pins it. Visible: 0, 1 (an ancestor of 2), 2; hidden: 3. As at
   * the reference revision, the obsolete but visible 2 is a branch head.
   */
  @Test
  void obsoleteChangesetsPinnedByABookmarkStayVisible() throws Exception {
    RevlogBuilder cl = new RevlogBuilder(true, true)
        .full(changeset("default", "0"), -1)
        .full(changeset("default", "1"), 0)
        .full(changeset("default", "2"), 1)
        .full(changeset("default", "3"), 0);
    Path root = repo(cl);
    Files.writeString(root.resolve(".hg/store/phaseroots"), "1 " + cl.node(1).hex() + "\n1 " + cl.node(3).hex() + "\n");
    Files.writeString(root.resolve(".hg/bookmarks"), cl.node(2).hex() + " pin\n");
    ByteBuffer obs = ByteBuffer.allocate(1 + 3 * 39 + 20);
    obs.put((byte) 1);
    marker(obs, cl.node(1), cl.node(2));
    marker(obs, cl.node(2), null);
    marker(obs, cl.node(3), null);
    Files.write(root.resolve(".hg/store/obsstore"), java.util.Arrays.copyOf(obs.array(), obs.position()));
    RepoState state = HgRepository.open(root).snapshot();
    RepoView served = state.served();
    assertFalse(served.isFiltered(1));
    assertFalse(served.isFiltered(2));
    assertTrue(served.isFiltered(3));
    assertEquals(List.of(cl.node(2)), served.heads());
    assertEquals(List.of(cl.node(2)), served.branchMap().get(ByteString.latin1("default")));
    assertEquals("filtered revision '3' (not in 'served' subset)",
        assertThrows(LookupFailure.class, () -> RevisionLookup.lookup(served, ByteString.latin1("3"))).getMessage());
    assertEquals(List.of(cl.node(0)), state.view(RepoView.IMMUTABLE).heads());

    // Without the bookmark, everything obsolete is hidden.
    Files.delete(root.resolve(".hg/bookmarks"));
    RepoView after = HgRepository.open(root).snapshot().served();
    assertEquals(List.of(cl.node(0)), after.heads());
  }

  private static void marker(ByteBuffer b, ByteString prec, ByteString succ) {
    int size = 4 + 8 + 2 + 2 + 3 + 20 + (succ == null ? 0 : 20);
    b.putInt(size).putDouble(0).putShort((short) 0).putShort((short) 0);
    b.put((byte) (succ == null ? 0 : 1)).put((byte) 3).put((byte) 0).put(prec.toByteArray());
    if (succ != null) {
      b.put(succ.toByteArray());
    }
  }

  @Test
  void emptyAndUnsupportedRepositories() throws Exception {
    Files.createDirectories(dir.resolve(".hg"));
    Files.writeString(dir.resolve(".hg/requires"), "revlogv1\nstore\n");
    RepoView v = HgRepository.open(dir).snapshot().served();
    assertEquals(List.of(ByteString.wrap(new byte[20])), v.heads());
    assertTrue(v.branchMap().isEmpty());
    Files.writeString(dir.resolve(".hg/requires"), "revlogv1\nstore\nexp-changelog-v2\n");
    RepositoryException e = assertThrows(RepositoryException.class, () -> HgRepository.open(dir));
    assertTrue(e.getMessage().contains("exp-changelog-v2"), e.getMessage());
    assertThrows(RepositoryException.class, () -> HgRepository.open(dir.resolve("nowhere")));
  }

  @Test
  void snapshotsFollowChangesOnDisk() throws Exception {
    RevlogBuilder cl = new RevlogBuilder(true, true).full(changeset("default", "0"), -1);
    HgRepository repo = HgRepository.open(repo(cl));
    RepoState first = repo.snapshot();
    assertEquals(first, repo.snapshot(), "unchanged files: the same snapshot");
    cl.full(changeset("feature", "1"), 0);
    Files.write(dir.resolve(".hg/store/00changelog.i"), cl.index());
    RepoState second = repo.snapshot();
    assertEquals(2, second.changelog().count());
    assertEquals(ByteString.latin1("feature"), second.changelog().branch(1));
  }
}
