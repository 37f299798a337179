package org.hgrpc.repository.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hgrpc.repository.RepositoryException;

/** The files at the top of a store that stream clones copy ({@code store.topfiles}). */
public final class StoreFiles {
  private StoreFiles() {}

  /**
   * The revlog files ({@code .i} and {@code .d}) directly in {@code store}, with their sizes,
   * in Mercurial's order: names sorted, then reversed (manifest before changelog).
   */
  public static List<StoreFile> topFiles(Path store) {
    List<StoreFile> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(store)) {
      for (Path f : dir) {
        String name = f.getFileName().toString();
        if (!(name.endsWith(".i") || name.endsWith(".d"))) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
          out.add(new StoreFile(name, f, a.size()));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new RepositoryException("cannot list " + store + ": " + e.getMessage(), e);
    }
    out.sort((x, y) -> compareBytes(x.name(), y.name()));
    Collections.reverse(out);
    return out;
  }

  private static int compareBytes(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
