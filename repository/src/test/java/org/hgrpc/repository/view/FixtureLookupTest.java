package org.hgrpc.repository.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revision lookup, heads and branch heads on the reference fixture: seven changesets on
 * {@code default} and {@code stable}, a tag, two bookmarks, drafts and a secret tip that is
 * also the working directory's parent.
 */
class FixtureLookupTest {
  private static final String REV0 = "1067a09660070894895450";
  private static final String TAG = "c3ee602b58d46b4749ebc8e772edd9e76dcb0309";
  private static final String FEATURE = "ddf943f5d05b0fa97ff16fa5f809e64d343f21c6";
  private static final String RELEASE = "29c9ad264e2de94dd2d47f45c908b40707b95994";
  private static final String SECRET = "417c4be3180407ffc7a6111ada8bec898d86f0de";

  @TempDir
  static Path dir;
  private static RepoView served;

  @BeforeAll
  static void open() throws Exception {
    served = HgRepository.open(Fixtures.referenceFixture(dir)).snapshot().served();
  }

  private static String lookup(String key) {
    ByteString n = RevisionLookup.lookup(served, ByteString.utf8(key));
    return n == null ? null : n.hex();
  }

  private static String failure(String key) {
    return assertThrows(LookupFailure.class, () -> lookup(key)).getMessage();
  }

  @Test
  void symbols() {
    assertEquals(FEATURE, lookup("tip"));
    assertEquals("0".repeat(40), lookup("null"));
    assertEquals(SECRET, lookup("."), "the working directory parent is not filtered");
    assertEquals(REV0, lookup("0").substring(0, REV0.length()));
    assertEquals(FEATURE, lookup("-2"));
    assertEquals(FEATURE, lookup("feature"));
    assertEquals(TAG, lookup("v1.0"));
    assertEquals(RELEASE, lookup("stable"));
    assertEquals(FEATURE, lookup("default"), "the served tip of the branch");
    assertEquals(FEATURE, lookup("ddf9"));
    assertEquals(FEATURE, lookup("DDF943"));
    assertEquals(FEATURE, lookup(FEATURE));
    assertEquals("0".repeat(40), lookup("000"), "prefixes match the null node too");
    assertNull(lookup("2147483647"), "the working directory");
    assertNull(lookup("f".repeat(40)));
  }

  @Test
  void failuresWithMercurialsMessages() {
    assertEquals("unknown revision 'doesnotexist'", failure("doesnotexist"));
    assertEquals("filtered revision '6' (not in 'served' subset)", failure("6"));
    assertEquals("filtered revision '-1' (not in 'served' subset)", failure("-1"));
    assertEquals("filtered revision '417c' (not in 'served' subset)", failure("417c"));
    assertEquals("filtered revision '" + SECRET + "' (not in 'served' subset)", failure(SECRET));
    assertEquals("unknown revision '7'", failure("7"));
    assertEquals("unknown revision '01'", failure("01"));
    assertEquals("00changelog.i@: ambiguous identifier", failure(""));
  }

  @Test
  void headsAndBranchHeads() {
    assertEquals(List.of(FEATURE, RELEASE), served.heads().stream().map(ByteString::hex).toList());
    Map<ByteString, List<ByteString>> bm = served.branchMap();
    assertEquals(List.of(FEATURE), bm.get(ByteString.latin1("default")).stream().map(ByteString::hex).toList());
    assertEquals(List.of(RELEASE), bm.get(ByteString.latin1("stable")).stream().map(ByteString::hex).toList());
    RepoView all = served.state().unfiltered();
    assertEquals(SECRET, all.heads().get(0).hex());
    assertEquals(2, all.branchMap().get(ByteString.latin1("default")).size());
    assertEquals(SECRET, all.tags().get(ByteString.latin1("tip")).hex());
    assertEquals(FEATURE, served.tags().get(ByteString.latin1("tip")).hex());
  }
}
