package org.hgrpc.repository.data;

import java.nio.charset.StandardCharsets;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.store.StorePaths;

/** Filelogs: the revlog {@code data/PATH} of each file, under the store's name encoding. */
public final class Filelogs {
  private Filelogs() {}

  /**
   * Whether {@code path} can name a file of a repository: relative, without empty, {@code .}
   * or {@code ..} components and without NUL or newline bytes (the checks of Mercurial's path
   * auditor that keep a store name inside the store).
   */
  public static boolean isFilePath(ByteString path) {
    String p = path.toString(StandardCharsets.ISO_8859_1);
    if (p.isEmpty() || p.indexOf('\0') >= 0 || p.indexOf('\n') >= 0 || p.indexOf('\r') >= 0) {
      return false;
    }
    for (String part : p.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The filelog of the file {@code path} (bytes, as in manifests); empty when the repository
   * never had that file.
   *
   * @throws RepositoryException if {@code path} is not {@linkplain #isFilePath a file path}
   *     (it could name a file outside the store)
   */
  public static Revlog open(StorePaths paths, ByteString path) {
    if (!isFilePath(path)) {
      throw new RepositoryException("path contains illegal component: '"
          + path.toString(StandardCharsets.ISO_8859_1) + "'");
    }
    String name = "data/" + path.toString(StandardCharsets.ISO_8859_1);
    return Revlog.open(paths.revlogIndex(name), paths.revlogData(name));
  }
}
