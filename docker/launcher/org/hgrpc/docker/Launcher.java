package org.hgrpc.docker;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The container's entry point: turns the environment into {@code serve} options, then runs the
 * server ({@code org.hgrpc.server.Main}) in the same JVM. No shell is needed, so it works in an
 * image built {@code FROM scratch}.
 *
 * <p>The command is {@code serve [options from the environment] [the container's arguments]}:
 *
 * <ul>
 *   <li>{@code HGRPC_REPOSITORY} (default {@code /repos}): the repository to serve ({@code -R});
 *       a relative name is taken under {@code /repos}; empty passes no {@code -R} (serve then refuses to start without {@code --demo}). Not used when
 *       the arguments hold {@code -R}/{@code --repository}, {@code --demo} or {@code --web-conf}
 *       (several repositories from an hgweb configuration file).
 *   <li>{@code HGRPC_CONFIG}: settings, {@code SECTION.NAME=VALUE} separated by newlines or
 *       {@code ;} (blank entries and entries starting with {@code #} are skipped); each becomes
 *       {@code --config SECTION.NAME=VALUE}, before the arguments' own {@code --config}s (so these
 *       win).
 *   <li>{@code -a 0.0.0.0} unless the arguments hold {@code -a}/{@code --address}: {@code serve}'s
 *       default address (none) binds the loopback interface only, which no one outside the
 *       container can reach.
 *   <li>{@code HGRPC_CERTIFICATE}, {@code HGRPC_USERS}: a file for {@code --certificate},
 *       {@code --users}, unless the arguments hold that option.
 * </ul>
 *
 * <p>A first argument {@code serve} is dropped (so both {@code docker run IMAGE --help} and
 * {@code docker run IMAGE serve --help} work).
 */
public final class Launcher {
  static final Path VOLUME = Path.of("/repos");
  static final String PREFIX = "hgrpc-docker: ";

  private Launcher() {}

  /** A problem with the container's set-up, reported without a stack trace. */
  static final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws ReflectiveOperationException {
    List<String> command;
    try {
      command = command(List.of(args), System.getenv());
    } catch (SetupException e) {
      System.err.println(PREFIX + e.getMessage());
      System.exit(255);
      return;
    }
    System.err.println(PREFIX + "serve " + String.join(" ", command.subList(1, command.size())));
    try {
      Class.forName("org.hgrpc.server.Main").getMethod("main", String[].class)
          .invoke(null, (Object) command.toArray(new String[0]));
    } catch (InvocationTargetException e) {
      // An error escaping serve (say a class missing from the runtime) would leave the server's
      // threads running, unhealthy, for ever: stop the container instead.
      e.getCause().printStackTrace();
      System.err.println(PREFIX + "abort: the server failed: " + e.getCause());
      System.exit(255);
    }
  }

  /** The server's command line for these container arguments and this environment. */
  static List<String> command(List<String> args, Map<String, String> env) throws SetupException {
    List<String> user = new ArrayList<>(args);
    if (!user.isEmpty() && user.get(0).equals("serve")) {
      user.remove(0);
    }
    boolean helpOnly = user.stream().anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V")
        || a.equals("--version"));
    List<String> cmd = new ArrayList<>();
    cmd.add("serve");
    if (!has(user, "-R", "--repository", "--demo", "--web-conf")) {
      String repo = env.getOrDefault("HGRPC_REPOSITORY", VOLUME.toString()).strip();
      if (!repo.isEmpty()) {
        Path path = VOLUME.resolve(repo);
        if (!helpOnly) {
          checkRepository(path);
        }
        cmd.add("-R");
        cmd.add(path.toString());
      }
    }
    if (!has(user, "-a", "--address")) {
      cmd.add("-a");
      cmd.add("0.0.0.0");
    }
    for (String entry : env.getOrDefault("HGRPC_CONFIG", "").split("[\n;]")) {
      String e = entry.strip();
      if (!e.isEmpty() && !e.startsWith("#")) {
        cmd.add("--config");
        cmd.add(e);
      }
    }
    fileOption(cmd, user, env, "HGRPC_CERTIFICATE", "--certificate");
    fileOption(cmd, user, env, "HGRPC_USERS", "--users");
    cmd.addAll(user);
    return cmd;
  }

  private static void fileOption(List<String> cmd, List<String> user, Map<String, String> env, String variable,
      String option) {
    String value = env.getOrDefault(variable, "").strip();
    if (!value.isEmpty() && !has(user, option)) {
      cmd.add(option);
      cmd.add(value);
    }
  }

  /** Whether the arguments hold one of these options (as {@code -R DIR}, {@code -RDIR} or {@code --repository=DIR}). */
  static boolean has(List<String> args, String... options) {
    for (String a : args) {
      for (String o : options) {
        if (a.equals(o) || a.startsWith(o + "=") || (o.length() == 2 && a.startsWith(o))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Explains, better than "repository not found!", what is wrong with the directory to serve. */
  static void checkRepository(Path path) throws SetupException {
    if (Files.isDirectory(path.resolve(".hg"))) {
      return;
    }
    String none = "run the image with --demo to serve its example repository";
    if (!Files.isDirectory(path)) {
      throw new SetupException(path + " does not exist: mount a repository there (docker run -v /path/to/repo:"
          + VOLUME + " ...) or " + none);
    }
    List<String> inside;
    try (Stream<Path> children = Files.list(path)) {
      inside = children.filter(c -> Files.isDirectory(c.resolve(".hg"))).map(c -> c.getFileName().toString())
          .sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new SetupException("cannot read " + path + " (" + e + "): the volume must be readable by uid "
          + uid() + " (see docs/deployment.md)");
    }
    if (inside.isEmpty()) {
      throw new SetupException(path + " is not a Mercurial repository (it has no .hg directory): mount a "
          + "repository at " + VOLUME + ", or name one with HGRPC_REPOSITORY, or " + none);
    }
    throw new SetupException(path + " is not a Mercurial repository but holds " + inside.size()
        + " (" + String.join(", ", inside) + "): a container serves one repository; choose it with "
        + "-e HGRPC_REPOSITORY=" + inside.get(0) + " and run one container per repository");
  }

  private static String uid() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
          .map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
