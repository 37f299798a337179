package org.hgrpc.repository.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hgrpc.core.ByteString;

/**
 * The narrow-style file filter of the data commands: include and exclude patterns, each
 * {@code path:DIR} (the file DIR and everything under it; {@code path:.} or {@code path:}
 * everything) or {@code rootfilesin:DIR} (files directly in DIR; {@code rootfilesin:.} or
 * {@code rootfilesin:} files at the top). A file matches when it matches some include pattern
 * (or there are none) and no exclude pattern.
 */
public final class PathFilter {
  /** The pattern prefixes accepted ({@code narrowspec.VALID_PREFIXES}). */
  public static final List<String> PREFIXES = List.of("path:", "rootfilesin:");

  private static final PathFilter ALL = new PathFilter(List.of(), List.of());

  private final List<Pattern> include;
  private final List<Pattern> exclude;

  private PathFilter(List<Pattern> include, List<Pattern> exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /** The filter matching every file. */
  public static PathFilter all() {
    return ALL;
  }

  /**
   * A filter of include and exclude patterns.
   *
   * @throws IllegalArgumentException naming a pattern without a valid prefix
   */
  public static PathFilter of(List<ByteString> include, List<ByteString> exclude) {
    return new PathFilter(parse(include), parse(exclude));
  }

  /** Whether {@code pattern} starts with a prefix of {@link #PREFIXES}. */
  public static boolean validPattern(ByteString pattern) {
    String p = pattern.toString(StandardCharsets.ISO_8859_1);
    return PREFIXES.stream().anyMatch(p::startsWith);
  }

  private static List<Pattern> parse(List<ByteString> patterns) {
    List<Pattern> out = new ArrayList<>();
    for (ByteString b : patterns) {
      String p = b.toString(StandardCharsets.ISO_8859_1);
      if (p.startsWith("path:")) {
        out.add(new Pattern(false, normalize(p.substring("path:".length()))));
      } else if (p.startsWith("rootfilesin:")) {
        out.add(new Pattern(true, normalize(p.substring("rootfilesin:".length()))));
      } else {
        throw new IllegalArgumentException("pattern must begin with `path:` or `rootfilesin:`; got " + p);
      }
    }
    return List.copyOf(out);
  }

  /** {@code util.normpath} of a repository-relative directory: no {@code .}, empty or trailing parts; "" is the top. */
  private static String normalize(String dir) {
    List<String> parts = new ArrayList<>();
    for (String part : dir.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** Whether the file {@code path} passes the filter. */
  public boolean matches(ByteString path) {
    String p = path.toString(StandardCharsets.ISO_8859_1);
    if (!include.isEmpty() && include.stream().noneMatch(x -> x.matches(p))) {
      return false;
    }
    return exclude.stream().noneMatch(x -> x.matches(p));
  }

  private record Pattern(boolean filesIn, String dir) {
    boolean matches(String path) {
      if (filesIn) {
        String rest;
        if (dir.isEmpty()) {
          rest = path;
        } else if (path.startsWith(dir + "/")) {
          rest = path.substring(dir.length() + 1);
        } else {
          return false;
        }
        return !rest.isEmpty() && rest.indexOf('/') < 0;
      }
      return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
    }
  }
}
