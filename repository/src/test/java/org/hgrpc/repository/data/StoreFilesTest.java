package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFilesTest {
  @TempDir
  Path store;

  @Test
  void revlogsAtTheTopInReverseNameOrder() throws Exception {
    for (String f : List.of("00changelog.i", "00changelog.d", "00manifest.i", "fncache", "phaseroots", "undo")) {
      Files.writeString(store.resolve(f), f);
    }
    Files.createDirectories(store.resolve("data"));
    Files.writeString(store.resolve("data").resolve("a.i"), "x");
    List<String> names = StoreFiles.topFiles(store).stream().map(StoreFile::name).toList();
    assertEquals(List.of("00manifest.i", "00changelog.i", "00changelog.d"), names);
    assertEquals("00manifest.i".length(), StoreFiles.topFiles(store).get(0).size());
  }

  @Test
  void piecesOfAtMost131072BytesUpToTheListedSize() throws Exception {
    byte[] content = new byte[300_000];
    new Random(1).nextBytes(content);
    Path f = store.resolve("00changelog.d");
    Files.write(f, content);
    StoreFile listed = new StoreFile("00changelog.d", f, 290_000);
    List<Integer> sizes = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Iterator<ByteString> it = listed.pieces(); it.hasNext();) {
      ByteString piece = it.next();
      sizes.add(piece.size());
      all.writeBytes(piece.toByteArray());
    }
    assertEquals(List.of(131072, 131072, 27856), sizes);
    assertArrayEquals(java.util.Arrays.copyOf(content, 290_000), all.toByteArray());
    assertFalse(new StoreFile("empty.i", f, 0).pieces().hasNext());
  }

  @Test
  void aFileShorterThanListedFails() throws Exception {
    Path f = store.resolve("00manifest.i");
    Files.write(f, new byte[10]);
    Iterator<ByteString> it = new StoreFile("00manifest.i", f, 20).pieces();
    assertEquals(10, it.next().size());
    assertThrows(RepositoryException.class, it::next);
  }
}
