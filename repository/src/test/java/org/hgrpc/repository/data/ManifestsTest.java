package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.store.Requirements;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final String N1 = "6a32e96dda9c784197ec9d3a77c1d3293cfd3794";
  private static final String N2 = "047b75c6d7a3ef6a2243bd0e99f94f6ea6683597";

  @Test
  void parsesPathNodeAndFlags() {
    byte[] text = ("Dir2/UPPER Case.txt\0" + N1 + "\nlink\0" + N2 + "l\nscript.sh\0" + N1 + "x\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    List<ManifestEntry> entries = Manifests.parse(text, "test");
    assertEquals(List.of(
        new ManifestEntry(ByteString.latin1("Dir2/UPPER Case.txt"), ByteString.fromHex(N1), ByteString.EMPTY),
        new ManifestEntry(ByteString.latin1("link"), ByteString.fromHex(N2), ByteString.latin1("l")),
        new ManifestEntry(ByteString.latin1("script.sh"), ByteString.fromHex(N1), ByteString.latin1("x"))), entries);
    assertEquals(List.of(), Manifests.parse(new byte[0], "empty"));
  }

  @Test
  void refusesMalformedLinesNamingThem() {
    assertThrows(RepositoryException.class, () -> Manifests.parse("a\0abc\n".getBytes(StandardCharsets.ISO_8859_1), "t"));
    assertThrows(RepositoryException.class, () -> Manifests.parse(("a" + N1 + "\n").getBytes(StandardCharsets.ISO_8859_1), "t"));
    assertThrows(RepositoryException.class, () -> Manifests.parse(("a\0" + N1).getBytes(StandardCharsets.ISO_8859_1), "t"));
    RepositoryException e = assertThrows(RepositoryException.class,
        () -> Manifests.parse(("a\0" + "zz" + N1.substring(2) + "\n").getBytes(StandardCharsets.ISO_8859_1), "rev 3"));
    assertTrue(e.getMessage().contains("rev 3") && e.getMessage().contains("not hex"), e.getMessage());
  }

  @Test
  void onlyTheRootOfFlatManifestsIsServed() {
    Requirements flat = Requirements.of(Set.of("revlogv1", "store"));
    assertNull(Manifests.refusal(flat, ByteString.EMPTY));
    assertTrue(Manifests.refusal(flat, ByteString.latin1("dir/")).contains("tree must be the empty string"));
    assertTrue(Manifests.refusal(flat, 5L).contains("not 5"));
    assertTrue(Manifests.refusal(Requirements.of(Set.of("revlogv1", "store", "treemanifest")), ByteString.EMPTY)
        .contains("treemanifest"));
  }
}
