package org.hgrpc.repository.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a repository keeps each file: the {@code .hg} directory, the store (which is
 * {@code .hg/store} with the {@code store} requirement, {@code .hg} itself without), and the
 * encoded names of revlogs in the store ({@code store.py}: {@code encodedstore} and
 * {@code fncachestore}, with or without {@code dotencode}).
 */
public final class StorePaths {
  /** Mercurial hashes encoded paths longer than this ({@code _maxstorepathlen}). */
  private static final int MAX_STORE_PATH_LENGTH = 120;
  /** Characters kept of each directory in a hashed name ({@code _dirprefixlen}). */
  private static final int DIR_PREFIX_LENGTH = 8;
  /** Room for directories in a hashed name ({@code _maxshortdirslen}). */
  private static final int MAX_SHORT_DIRS_LENGTH = 8 * (DIR_PREFIX_LENGTH + 1) - 4;

  private final Path root;
  private final Path dotHg;
  private final Path store;
  private final boolean encoded;
  private final boolean fncache;
  private final boolean dotencode;
  private final boolean bookmarksInStore;

  /** The paths of the repository at {@code root} (the directory holding {@code .hg}). */
  public StorePaths(Path root, Requirements requirements) {
    this.root = root;
    this.dotHg = root.resolve(".hg");
    this.encoded = requirements.has("store");
    this.store = encoded ? dotHg.resolve("store") : dotHg;
    this.fncache = encoded && requirements.has("fncache");
    this.dotencode = fncache && requirements.has("dotencode");
    this.bookmarksInStore = requirements.has("bookmarksinstore");
  }

  /** The working directory root. */
  public Path root() {
    return root;
  }

  /** The {@code .hg} directory. */
  public Path dotHg() {
    return dotHg;
  }

  /** The store directory. */
  public Path store() {
    return store;
  }

  /** The bookmarks file ({@code .hg/bookmarks}, or in the store with {@code bookmarksinstore}). */
  public Path bookmarks() {
    return bookmarksInStore ? store.resolve("bookmarks") : dotHg.resolve("bookmarks");
  }

  /** Whether bookmarks are in the store, and so written under the store lock. */
  public boolean bookmarksInStore() {
    return bookmarksInStore;
  }

  /** The phase roots file. */
  public Path phaseroots() {
    return store.resolve("phaseroots");
  }

  /** The obsolescence markers file. */
  public Path obsstore() {
    return store.resolve("obsstore");
  }

  /** The working directory lock ({@code wlock}). */
  public Path wlock() {
    return dotHg.resolve("wlock");
  }

  /** The store lock ({@code lock}). */
  public Path storeLock() {
    return store.resolve("lock");
  }

  /**
   * The index file of the revlog named {@code name} (e.g. {@code 00changelog} or
   * {@code data/.hgtags}). File names are byte strings; pass them decoded as ISO-8859-1, one
   * char per byte.
   */
  public Path revlogIndex(String name) {
    return store.resolve(encode(name + ".i"));
  }

  /** The data file of the revlog named {@code name}. */
  public Path revlogData(String name) {
    return store.resolve(encode(name + ".d"));
  }

  /**
   * A store-relative file name as it is on disk: {@code encodedir} first (so that a file
   * {@code foo.i} and a directory {@code foo.i/} do not collide), then the store's encoding;
   * with fncache, names still longer than 120 characters are hashed ({@code dh/...}).
   */
  public String encode(String name) {
    if (!encoded || !(name.startsWith("data/") || name.startsWith("meta/"))) {
      // 00changelog.i and 00manifest.i are stored under their own names.
      return name;
    }
    String dir = encodeDir(name);
    String e = encodeFilename(dir);
    if (fncache) {
      e = auxEncode(e, dotencode);
      if (e.length() > MAX_STORE_PATH_LENGTH) {
        e = hashEncode(dir, dotencode);
      }
    }
    return e;
  }

  /** {@code store._encodedir}: {@code .hg/}, {@code .i/} and {@code .d/} gain {@code .hg}. */
  static String encodeDir(String path) {
    return path.replace(".hg/", ".hg.hg/").replace(".i/", ".i.hg/").replace(".d/", ".d.hg/");
  }

  /**
   * {@code store._hashencode}: {@code dh/}, up to eight characters of each directory level
   * (as many levels as fit in 68 characters), as much of the base name as fits in 120
   * characters, the SHA-1 of the whole (dir-encoded) name, and the extension.
   */
  static String hashEncode(String path, boolean dotencode) {
    String digest = HexFormat.of().formatHex(sha1(path.getBytes(StandardCharsets.ISO_8859_1)));
    String[] parts = auxEncode(lowerEncode(path.substring(5)), dotencode).split("/", -1);
    String basename = parts[parts.length - 1];
    int dot = basename.lastIndexOf('.');
    // os.path.splitext: a leading dot does not start an extension.
    String ext = dot > 0 && !basename.substring(0, dot).chars().allMatch(c -> c == '.') ? basename.substring(dot) : "";
    StringBuilder dirs = new StringBuilder();
    int sdirslen = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      String d = parts[i].substring(0, Math.min(DIR_PREFIX_LENGTH, parts[i].length()));
      char last = d.charAt(d.length() - 1);
      if (last == '.' || last == ' ') {
        d = d.substring(0, d.length() - 1) + "_";
      }
      int t = sdirslen == 0 ? d.length() : sdirslen + 1 + d.length();
      if (sdirslen != 0 && t > MAX_SHORT_DIRS_LENGTH) {
        break;
      }
      if (dirs.length() > 0) {
        dirs.append('/');
      }
      dirs.append(d);
      sdirslen = t;
    }
    if (dirs.length() > 0) {
      dirs.append('/');
    }
    String res = "dh/" + dirs + digest + ext;
    int spaceLeft = MAX_STORE_PATH_LENGTH - res.length();
    if (spaceLeft > 0) {
      res = "dh/" + dirs + basename.substring(0, Math.min(spaceLeft, basename.length())) + digest + ext;
    }
    return res;
  }

  /** {@code store.lowerencode}: upper case to lower case, reserved bytes to {@code ~xx}. */
  static String lowerEncode(String name) {
    StringBuilder sb = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.ISO_8859_1)) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z') {
        sb.append((char) (c + 32));
      } else if (c < 32 || c >= 126 || "\\:*?\"<>|".indexOf(c) >= 0) {
        sb.append('~').append(String.format("%02x", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /**
   * {@code store._encodefname}: upper case letters become {@code _x}, {@code _} becomes
   * {@code __}, bytes outside printable ASCII and Windows-reserved characters become
   * {@code ~xx}.
   */
  static String encodeFilename(String name) {
    StringBuilder sb = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.ISO_8859_1)) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z') {
        sb.append('_').append((char) (c + 32));
      } else if (c == '_') {
        sb.append("__");
      } else if (c < 32 || c >= 126 || "\\:*?\"<>|".indexOf(c) >= 0) {
        sb.append('~').append(String.format("%02x", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /**
   * {@code store._auxencode}: encodes Windows-reserved base names ({@code aux}, {@code com1},
   * ...), a trailing period or space, and with {@code dotencode} a leading period or space of
   * each path component.
   */
  static String auxEncode(String path, boolean dotencode) {
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String n = parts[i];
      if (n.isEmpty()) {
        continue;
      }
      if (dotencode && (n.charAt(0) == '.' || n.charAt(0) == ' ')) {
        n = String.format("~%02x", (int) n.charAt(0)) + n.substring(1);
      } else {
        int l = n.indexOf('.');
        if (l == -1) {
          l = n.length();
        }
        String head = n.substring(0, Math.min(3, n.length()));
        boolean res3 = l == 3 && (head.equals("aux") || head.equals("con") || head.equals("prn") || head.equals("nul"));
        boolean res4 = l == 4 && n.charAt(3) >= '1' && n.charAt(3) <= '9' && (head.equals("com") || head.equals("lpt"));
        if (res3 || res4) {
          n = n.substring(0, 2) + String.format("~%02x", (int) n.charAt(2)) + n.substring(3);
        }
      }
      char last = n.charAt(n.length() - 1);
      if (last == '.' || last == ' ') {
        n = n.substring(0, n.length() - 1) + String.format("~%02x", (int) last);
      }
      parts[i] = n;
    }
    return String.join("/", parts);
  }
}
