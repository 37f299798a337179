package org.hgrpc.repository.data;

import java.nio.charset.StandardCharsets;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.store.StorePaths;

/** Filelogs: the revlog {@code data/PATH} of each file, under the store's name encoding. */
public final class Filelogs {
  private Filelogs() {}

  /**
   * The filelog of the file {@code path} (bytes, as in manifests); empty when the repository
   * never had that file.
   */
  public static Revlog open(StorePaths paths, ByteString path) {
    String name = "data/" + path.toString(StandardCharsets.ISO_8859_1);
    return Revlog.open(paths.revlogIndex(name), paths.revlogData(name));
  }
}
