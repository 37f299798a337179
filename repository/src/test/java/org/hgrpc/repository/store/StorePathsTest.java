package org.hgrpc.repository.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.hgrpc.repository.RepositoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorePathsTest {
  @TempDir
  Path dir;

  private StorePaths paths(String... requirements) {
    return new StorePaths(dir, Requirements.of(Set.of(requirements)));
  }

  /** Examples from the docstrings of Mercurial's store.py. */
  @Test
  void encodesAsMercurialsStore() {
    assertEquals("data/_f_o_o.txt.i", StorePaths.encodeFilename("data/FOO.txt.i"));
    assertEquals("data/~3f.i", StorePaths.encodeFilename("data/?.i"));
    assertEquals("the__sky", StorePaths.encodeFilename("the_sky"));
    assertEquals("data/au~78.bla/bla.aux/pr~6e/_p_r_n/lpt/co~6d3/nu~6c/coma/foo._n_u_l/normal.c.i",
        StorePaths.auxEncode(StorePaths.encodeFilename(
            "data/aux.bla/bla.aux/prn/PRN/lpt/com3/nul/coma/foo.NUL/normal.c.i"), false));
    assertEquals("data/~2ehgtags.i", StorePaths.auxEncode("data/.hgtags.i", true));
    assertEquals("data/.hgtags.i", StorePaths.auxEncode("data/.hgtags.i", false));
    assertEquals("data/foo.~20", StorePaths.auxEncode("data/foo. ", false));
  }

  /** Cases of Mercurial's tests/test-hybridencode.py: long names are hashed into {@code dh/}. */
  @Test
  void hashesLongNamesAsMercurialsHybridEncode() {
    StorePaths p = paths("revlogv1", "store", "fncache", "dotencode");
    assertEquals("dh/au~78/second/x.prn/fourth/fi~3afth/sixth/seventh/eighth/"
        + "nineth/tenth/loremia20419e358ddff1bf8751e38288aff1d7c32ec05.i",
        p.encode("data/AUX/SECOND/X.PRN/FOURTH/FI:FTH/SIXTH/SEVENTH/EIGHTH/NINETH/TENTH/ELEVENTH/LOREMIPSUM.TXT.i"));
    assertEquals("dh/enterpri/openesba/contrib-/corba-bc/netbeans/wsdlexte/src/"
        + "main/java/org.net7018f27961fdf338a598a40c4683429e7ffb9743.i",
        p.encode("data/enterprise/openesbaddons/contrib-imola/corba-bc/netbeansplugin/wsdlExtension/src/main/java/"
            + "META-INF/services/org.netbeans.modules.xml.wsdl.bindingsupport.spi."
            + "ExtensibilityElementTemplateProvider.i"));
    assertEquals("dh/project_/resource/anotherl/followed/andanoth/andthenanextrem"
        + "elylongfilenaf93030515d9849cfdca52937c2204d19f83913e5.txt",
        p.encode("data/Project Planning/Resources/AnotherLongDirectoryName/Followedbyanother/AndAnother/"
            + "AndThenAnExtremelyLongFileName.txt"));
    assertEquals("dh/a23456789-123456789-123456789-123456789-123456789-xxxxxxxxx-xxxxxxxxx-xxxxxxx"
        + "cbbc657029b41b94ed510d05feb6716a5c03bc6b",
        p.encode("data/A23456789-123456789-123456789-123456789-123456789-xxxxxxxxx-xxxxxxxxx-xxxxxxxxx-xxxxxxxxx-"
            + "xxxxxxxxx-123456789-12345"));
    assertEquals("data/foo.i.hg/bla.i", p.encode("data/foo.i/bla.i"));
  }

  @Test
  void storeLayouts() {
    Path store = dir.resolve(".hg").resolve("store");
    assertEquals(store.resolve("data/~2ehgtags.i"),
        paths("revlogv1", "store", "fncache", "dotencode").revlogIndex("data/.hgtags"));
    assertEquals(store.resolve("data/.hgtags.i"), paths("revlogv1", "store", "fncache").revlogIndex("data/.hgtags"));
    assertEquals(store.resolve("data/.hgtags.d"), paths("revlogv1", "store").revlogData("data/.hgtags"));
    assertEquals(dir.resolve(".hg/data/.hgtags.i"), paths("revlogv1").revlogIndex("data/.hgtags"));
    assertEquals(dir.resolve(".hg/00changelog.i"), paths("revlogv1").revlogIndex("00changelog"));
    assertEquals(store.resolve("00changelog.i"), paths("revlogv1", "store").revlogIndex("00changelog"));
    assertEquals(dir.resolve(".hg/bookmarks"), paths("revlogv1", "store").bookmarks());
    assertEquals(store.resolve("bookmarks"), paths("revlogv1", "store", "bookmarksinstore").bookmarks());
  }

  @Test
  void requirementsOfShareSafeRepositoriesComeFromTheStoreToo() throws Exception {
    Files.createDirectories(dir.resolve(".hg/store"));
    Files.writeString(dir.resolve(".hg/requires"), "share-safe\n");
    Files.writeString(dir.resolve(".hg/store/requires"), "revlogv1\nstore\nfncache\nrevlog-compression-zstd\n");
    Requirements r = Requirements.read(dir.resolve(".hg"));
    assertEquals(Set.of("share-safe", "revlogv1", "store", "fncache", "revlog-compression-zstd"), r.all());
  }

  @Test
  void refusesWhatItWouldMisreadNamingIt() {
    RepositoryException e = assertThrows(RepositoryException.class,
        () -> Requirements.of(Set.of("revlogv1", "store", "exp-revlogv2.2", "frobnicate", "shared")));
    assertTrue(e.getMessage().contains("exp-revlogv2.2 (revlog format v2 is not supported)"), e.getMessage());
    assertTrue(e.getMessage().contains("frobnicate (unknown requirement)"), e.getMessage());
    assertTrue(e.getMessage().contains("shared (the repository is a share"), e.getMessage());
    e = assertThrows(RepositoryException.class, () -> Requirements.of(Set.of("store")));
    assertTrue(e.getMessage().contains("revlogv1"), e.getMessage());
  }
}
