package org.hgrpc.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hgrpc.server.config.ConfigException;
import org.hgrpc.server.config.HgrcConfig;

/**
 * An hgweb configuration file ({@code hg serve --web-conf FILE}): which repositories to serve
 * at which URL paths, and settings for all of them.
 *
 * <pre>
 * [paths]
 * one = /srv/hg/one          # /one/ serves /srv/hg/one
 * / = /srv/hg/main           # the root serves /srv/hg/main
 * team = /srv/hg/team/*      # /team/NAME/ for each repository directly in /srv/hg/team
 * all = /srv/hg/all/**       # /all/SUB/PATH/ for each repository anywhere below /srv/hg/all
 *
 * [collections]
 * /srv/hg/coll = /srv/hg/coll   # each repository below the value, at its path relative to the key
 *
 * [web]
 * allow-push = alice         # every section applies to every repository, below its own .hg/hgrc
 * </pre>
 *
 * <p>Relative repository paths are relative to the file's directory. The search of {@code *},
 * {@code **} and collections does not descend into a repository.
 *
 * @param config the whole file, applied to every repository below its own {@code .hg/hgrc}
 * @param repositories the URL path (no slashes around it) of each repository, in the file's order
 */
record WebConf(HgrcConfig config, Map<String, Path> repositories) {

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException when the file cannot be parsed, names no repository, names a
   *     directory that is not one, or maps two repositories to one path
   */
  static WebConf load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("web-conf " + file + " not found");
    }
    HgrcConfig config = HgrcConfig.load(file);
    Path base = file.toAbsolutePath().getParent();
    Map<String, Path> repos = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : config.section("paths").entrySet()) {
      String prefix = HgrpcServer.trimSlashes(e.getKey());
      String value = e.getValue().strip();
      if (value.endsWith("/**") || value.endsWith("/*")) {
        boolean deep = value.endsWith("/**");
        Path root = base.resolve(value.substring(0, value.length() - (deep ? 3 : 2))).normalize();
        for (Path repo : find(root, deep ? Integer.MAX_VALUE : 1, file, e.getKey() + " = " + value)) {
          put(repos, join(prefix, slashes(root.relativize(repo))), repo, file);
        }
      } else {
        Path repo = base.resolve(value).normalize();
        if (!Files.isDirectory(repo.resolve(".hg"))) {
          throw new ConfigException(file + ": [paths] " + e.getKey() + " = " + value + ": repository " + repo
              + " not found (.hg not found)");
        }
        put(repos, prefix, repo, file);
      }
    }
    for (Map.Entry<String, String> e : config.section("collections").entrySet()) {
      Path strip = base.resolve(e.getKey().strip()).normalize();
      Path root = base.resolve(e.getValue().strip()).normalize();
      for (Path repo : find(root, Integer.MAX_VALUE, file, e.getKey() + " = " + e.getValue())) {
        put(repos, slashes((repo.startsWith(strip) ? strip : root).relativize(repo)), repo, file);
      }
    }
    if (repos.isEmpty()) {
      throw new ConfigException("web-conf " + file + " names no repository (add a [paths] or [collections] section)");
    }
    return new WebConf(config, repos);
  }

  private static void put(Map<String, Path> repos, String path, Path repo, Path file) {
    Path old = repos.putIfAbsent(path, repo);
    if (old != null && !old.equals(repo)) {
      throw new ConfigException(file + ": two repositories at /" + path + ": " + old + " and " + repo);
    }
  }

  /** The repositories below {@code root}, at most {@code depth} directories down, without entering one. */
  private static List<Path> find(Path root, int depth, Path file, String entry) {
    if (!Files.isDirectory(root)) {
      throw new ConfigException(file + ": " + entry + ": directory " + root + " not found");
    }
    List<Path> found = new ArrayList<>();
    walk(root, depth, found);
    found.sort(Comparator.naturalOrder());
    return found;
  }

  private static void walk(Path dir, int depth, List<Path> found) {
    if (depth == 0) {
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
        if (Files.isDirectory(child.resolve(".hg"))) {
          found.add(child);
        } else if (!child.getFileName().toString().startsWith(".")) {
          walk(child, depth - 1, found);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "/" + b;
  }
}
