package org.hgrpc.repository.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hgrpc.repository.RepositoryException;

/**
 * The requirements of a repository: the lines of {@code .hg/requires}, plus those of
 * {@code .hg/store/requires} when the repository is {@code share-safe}. Opening checks them:
 * a requirement that would make this reader misread the repository is refused with a message
 * naming it and saying why.
 */
public final class Requirements {

  /**
   * Requirements we read correctly. Some change nothing we read (persistent-nodemap adds a
   * docket beside the changelog; dirstate-v2 is handled where we read the dirstate; largefiles,
   * lfs and narrow change file contents, never the changelog, phases, bookmarks or tags).
   */
  private static final Set<String> SUPPORTED = Set.of(
      "revlogv1", "store", "fncache", "dotencode", "generaldelta", "sparserevlog",
      "share-safe", "exp-sharesafe",
      "revlog-compression-zstd", "exp-compression-zstd",
      "persistent-nodemap", "exp-persistent-nodemap",
      "dirstate-v2", "exp-rc-dirstate-v2", "dirstate-tracked-key-v1", "exp-dirstate-tracked-key-v1",
      "treemanifest", "internal-phase", "use-internal-phase", "exp-archived-phase",
      "bookmarksinstore", "largefiles", "lfs", "narrowhg-experimental");

  /** Requirements refused, with the reason. */
  private static final Map<String, String> REFUSED = Map.ofEntries(
      Map.entry("shared", "the repository is a share (hg share); serve the repository it shares"),
      Map.entry("relshared", "the repository is a share (hg share); serve the repository it shares"),
      Map.entry("exp-revlogv2.0", "revlog format v2 is not supported"),
      Map.entry("exp-revlogv2.1", "revlog format v2 is not supported"),
      Map.entry("exp-revlogv2.2", "revlog format v2 is not supported"),
      Map.entry("revlogv2", "revlog format v2 is not supported"),
      Map.entry("exp-changelog-v2", "changelog format v2 is not supported"),
      Map.entry("exp-sidedata-flag", "revisions with side data are not supported"),
      Map.entry("exp-copies-sidedata-changeset", "changesets with copies in side data are not supported"),
      Map.entry("manifestv2", "manifest format v2 is not supported"),
      Map.entry("exp-remotefilelog-repo-req-1", "remotefilelog repositories lack the file revisions tags are read from"));

  private final Set<String> all;

  private Requirements(Set<String> all) {
    this.all = Collections.unmodifiableSet(all);
  }

  /**
   * Reads and checks the requirements of the repository whose {@code .hg} directory is
   * {@code dotHg}.
   *
   * @throws RepositoryException naming every unsupported requirement
   */
  public static Requirements read(Path dotHg) {
    Set<String> all = new TreeSet<>(readFile(dotHg.resolve("requires")));
    if (all.contains("share-safe") || all.contains("exp-sharesafe")) {
      all.addAll(readFile(dotHg.resolve("store").resolve("requires")));
    }
    return of(all);
  }

  /**
   * Checks a set of requirements.
   *
   * @throws RepositoryException naming every unsupported requirement
   */
  public static Requirements of(Set<String> requirements) {
    Map<String, String> problems = new TreeMap<>();
    for (String r : requirements) {
      if (REFUSED.containsKey(r)) {
        problems.put(r, REFUSED.get(r));
      } else if (!SUPPORTED.contains(r)) {
        problems.put(r, "unknown requirement");
      }
    }
    if (!requirements.contains("revlogv1") && problems.isEmpty()) {
      problems.put("revlogv1", "missing: revlog format 0 (Mercurial before 0.9) is not supported");
    }
    if (!problems.isEmpty()) {
      StringBuilder sb = new StringBuilder("repository requires features this server does not support: ");
      String sep = "";
      for (Map.Entry<String, String> e : problems.entrySet()) {
        sb.append(sep).append(e.getKey()).append(" (").append(e.getValue()).append(')');
        sep = ", ";
      }
      throw new RepositoryException(sb.toString());
    }
    return new Requirements(new TreeSet<>(requirements));
  }

  private static Set<String> readFile(Path file) {
    try {
      Set<String> out = new TreeSet<>();
      for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          out.add(line);
        }
      }
      return out;
    } catch (NoSuchFileException e) {
      // Mercurial treats a missing requires file as "no requirements" (a very old repository).
      return Set.of();
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code name} is required. */
  public boolean has(String name) {
    return all.contains(name);
  }

  /** Every requirement, sorted. */
  public Set<String> all() {
    return all;
  }

  @Override
  public String toString() {
    return all.toString();
  }
}
