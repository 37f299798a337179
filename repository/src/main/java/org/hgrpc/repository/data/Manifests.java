package org.hgrpc.repository.data;

import java.util.function.Consumer;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.store.Requirements;

/**
 * Flat manifests: one line per file, {@code path \0 hex-node flags \n}, sorted by path. Tree
 * manifests (one revlog per directory, requirement {@code treemanifest}) are not served.
 */
public final class Manifests {
  private Manifests() {}

  /**
   * Checks that the data commands can serve the manifest tree {@code tree} of a repository
   * with {@code requirements}: only the root ({@code tree} empty) of a flat manifest.
   *
   * @return a message saying why not, or {@code null} when they can
   */
  public static String refusal(Requirements requirements, Object tree) {
    if (requirements.has("treemanifest")) {
      return "this server does not serve tree manifests (the repository requires treemanifest)";
    }
    if (!(tree instanceof ByteString) || !((ByteString) tree).isEmpty()) {
      return "manifests are flat in this repository: tree must be the empty string (the root), not "
          + describe(tree);
    }
    return null;
  }

  private static String describe(Object tree) {
    return tree instanceof ByteString ? "'" + ((ByteString) tree).toString(java.nio.charset.StandardCharsets.ISO_8859_1)
        + "'" : String.valueOf(tree);
  }

  /**
   * Calls {@code each} with every entry of the manifest text {@code text}, in order.
   *
   * @param what names the revision, for error messages
   * @throws RepositoryException if a line is malformed
   */
  public static void forEach(byte[] text, String what, Consumer<ManifestEntry> each) {
    int pos = 0;
    while (pos < text.length) {
      int nul = indexOf(text, (byte) 0, pos);
      int nl = indexOf(text, (byte) '\n', pos);
      if (nl < 0 || nul < 0 || nul > nl) {
        throw new RepositoryException("malformed manifest " + what + ": line at byte " + pos
            + " is not 'path\\0node flags\\n'");
      }
      int hexLength = 2 * Nodes.LENGTH;
      if (nl - nul - 1 < hexLength) {
        throw new RepositoryException("malformed manifest " + what + ": node of line at byte " + pos
            + " is shorter than " + hexLength + " hex digits");
      }
      byte[] node = Nodes.unhex(new String(text, nul + 1, hexLength, java.nio.charset.StandardCharsets.ISO_8859_1));
      if (node == null) {
        throw new RepositoryException("malformed manifest " + what + ": node of line at byte " + pos + " is not hex");
      }
      each.accept(new ManifestEntry(ByteString.copyOf(text, pos, nul - pos), ByteString.wrap(node),
          ByteString.copyOf(text, nul + 1 + hexLength, nl - nul - 1 - hexLength)));
      pos = nl + 1;
    }
  }

  /** All entries of a manifest text, in order. */
  public static java.util.List<ManifestEntry> parse(byte[] text, String what) {
    java.util.List<ManifestEntry> out = new java.util.ArrayList<>();
    forEach(text, what, out::add);
    return out;
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
