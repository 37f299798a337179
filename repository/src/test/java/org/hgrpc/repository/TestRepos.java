package org.hgrpc.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Repositories built with the installed Mercurial for the comparison tests. */
public final class TestRepos {
  /** Obsolescence markers on, for every command of the build. */
  static final String[] EVOLUTION = {"--config", "experimental.evolution=all"};

  private TestRepos() {}

  /** hg with evolution enabled and the given extra configuration. */
  static String hg(Path repo, List<String> config, String... args) {
    List<String> all = new ArrayList<>(List.of(EVOLUTION));
    all.addAll(config);
    all.addAll(List.of(args));
    return Hg.run(repo, all.toArray(String[]::new));
  }

  private static final java.util.Map<List<String>, Path> RICH = new java.util.HashMap<>();

  /**
   * A fresh copy of the {@link #rich} repository in {@code format}, built once per test run
   * (building takes Mercurial some fifty commands).
   */
  public static synchronized Path richCopy(Path dir, List<String> format) throws IOException {
    Path template = RICH.get(format);
    if (template == null) {
      Path base = Files.createTempDirectory("hgrpc-rich");
      template = rich(base.resolve("rich"), format);
      RICH.put(List.copyOf(format), template);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(base)));
    }
    HgComparisonTest.copyTree(template, dir);
    return dir;
  }

  /** A new repository at {@code repo} with one changeset (file {@code a}); its node in hex. */
  static String oneCommit(Path repo) throws IOException {
    Files.createDirectories(repo);
    Hg.run(repo, "init");
    Files.writeString(repo.resolve("a"), "a\n");
    Hg.run(repo, "commit", "-A", "-m", "a");
    return Hg.run(repo, "log", "-r", "0", "-T", "{node}").trim();
  }

  static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Temporary files only.
    }
  }

  private static void write(Path repo, String file, String content) throws IOException {
    Files.writeString(repo.resolve(file), content, StandardCharsets.UTF_8);
  }

  private static String node(Path repo, List<String> config, String rev) {
    return hg(repo, config, "log", "--hidden", "-r", rev, "-T", "{node}").trim();
  }

  /**
   * A repository with branches (one closed, one whose only head is closed), a merge, global and
   * local tags, bookmarks (one divergent), public, draft and secret changesets, an amended
   * (obsolete, hidden) changeset, a pruned head, and an obsolete changeset kept visible by a
   * bookmark.
   *
   * @param format {@code --config} options for {@code hg init} (the repository format)
   */
  public static Path rich(Path dir, List<String> format) throws IOException {
    List<String> init = new ArrayList<>(format);
    init.add("init");
    init.add(dir.toString());
    Files.createDirectories(dir);
    hg(dir, List.of(), init.toArray(String[]::new));
    List<String> c = List.of();
    write(dir, "a", "a\n");
    hg(dir, c, "add", "a");
    hg(dir, c, "commit", "-m", "c0", "-d", "0 0");
    write(dir, "b", "b\n");
    hg(dir, c, "add", "b");
    hg(dir, c, "commit", "-m", "c1", "-d", "1 0");
    hg(dir, c, "tag", "-r", "0", "-d", "2 0", "v1.0");
    hg(dir, c, "branch", "stable");
    write(dir, "s", "s\n");
    hg(dir, c, "add", "s");
    hg(dir, c, "commit", "-m", "s1", "-d", "3 0");
    hg(dir, c, "tag", "-d", "4 0", "v1.1");
    hg(dir, c, "update", "default");
    write(dir, "c", "c\n");
    hg(dir, c, "add", "c");
    hg(dir, c, "commit", "-m", "c3", "-d", "5 0");
    hg(dir, c, "merge", "stable");
    hg(dir, c, "commit", "-m", "merge", "-d", "6 0");
    hg(dir, c, "phase", "--public", "-r", ".");
    hg(dir, c, "branch", "feature");
    write(dir, "f", "f\n");
    hg(dir, c, "add", "f");
    hg(dir, c, "commit", "-m", "f1", "-d", "7 0");
    hg(dir, c, "commit", "--close-branch", "-m", "close feature", "-d", "8 0");
    hg(dir, c, "update", "stable");
    write(dir, "s", "s2\n");
    hg(dir, c, "commit", "-m", "s2", "-d", "9 0");
    hg(dir, c, "update", "default");
    hg(dir, c, "branch", "-f", "old");
    write(dir, "o", "o\n");
    hg(dir, c, "add", "o");
    hg(dir, c, "commit", "-m", "old branch", "-d", "10 0");
    hg(dir, c, "commit", "--close-branch", "-m", "old branch closed", "-d", "10 0");
    hg(dir, c, "update", "default");
    hg(dir, c, "bookmark", "main");
    write(dir, "d", "d\n");
    hg(dir, c, "add", "d");
    hg(dir, c, "commit", "-m", "d1", "-d", "11 0");
    write(dir, "d", "d2\n");
    hg(dir, c, "commit", "-m", "to amend", "-d", "12 0");
    hg(dir, c, "commit", "--amend", "-m", "amended", "-d", "13 0");
    write(dir, "e", "e\n");
    hg(dir, c, "add", "e");
    hg(dir, c, "commit", "--secret", "-m", "secret", "-d", "14 0");
    hg(dir, c, "update", "main");
    write(dir, "p", "p\n");
    hg(dir, c, "add", "p");
    hg(dir, c, "commit", "-m", "to prune", "-d", "15 0");
    String pruned = node(dir, c, ".");
    hg(dir, c, "update", "main");
    hg(dir, c, "debugobsolete", "-d", "16 0", pruned);
    write(dir, "k", "k\n");
    hg(dir, c, "add", "k");
    hg(dir, c, "commit", "-m", "kept by bookmark", "-d", "17 0");
    String kept = node(dir, c, ".");
    hg(dir, c, "bookmark", "-r", kept, "keeper");
    hg(dir, c, "update", "main");
    hg(dir, c, "debugobsolete", "-d", "18 0", kept);
    hg(dir, c, "bookmark", "-r", "1", "div@remote");
    hg(dir, c, "bookmark", "-r", "2", "at@");
    hg(dir, c, "tag", "-l", "-r", "3", "localtag");
    hg(dir, c, "update", "null");
    return dir;
  }

  /**
   * A repository of {@code count} changesets made by {@code debugbuilddag} (a linear history
   * with a few branches and merges), large enough to split the changelog out of its index.
   */
  public static Path large(Path dir, int count, List<String> format) throws IOException {
    List<String> init = new ArrayList<>(format);
    init.add("init");
    init.add(dir.toString());
    Files.createDirectories(dir);
    hg(dir, List.of(), init.toArray(String[]::new));
    int chunk = count / 4;
    String dag = "+" + chunk + ":a *" + (chunk / 2) + " +" + chunk + ":b /a +" + chunk + " @other +" + chunk;
    hg(dir, List.of(), "debugbuilddag", dag);
    return dir;
  }
}
