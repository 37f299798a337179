package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the installed Mercurial for tests. Without {@code hg} the tests that compare with it
 * fail, saying how to install it: a run that passes by skipping them would claim more than it
 * checked. Setting the environment variable {@code HGRPC_SKIP_HG=1} makes them skip instead,
 * for a machine that cannot have Mercurial (the skips are then listed in the test report).
 */
public final class Hg {
  private static Boolean available;
  private static Path oracle;

  private Hg() {}

  /** Fails (or, with {@code HGRPC_SKIP_HG=1}, skips) the calling test when hg is missing. */
  public static synchronized void require() {
    if (available == null) {
      try {
        Process p = new ProcessBuilder("hg", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException | InterruptedException e) {
        available = false;
      }
    }
    if (!available) {
      String why = "Mercurial (hg) is not installed: apt-get install -y mercurial";
      if (!"1".equals(System.getenv("HGRPC_SKIP_HG"))) {
        fail(why + " (or set HGRPC_SKIP_HG=1 to skip the tests that compare with it)");
      }
      Assumptions.abort(why + " (skipped: HGRPC_SKIP_HG=1)");
    }
  }

  /** Runs {@code hg args...} in {@code dir}; returns standard output; fails the test on a non-zero exit. */
  public static String run(Path dir, String... args) {
    Result r = exec(dir, args);
    if (r.exit != 0) {
      fail("hg " + String.join(" ", args) + " exited " + r.exit + ": " + r.err + r.out);
    }
    return r.out;
  }

  /** Runs hg and returns its exit code and output, whatever the exit code. */
  public static Result exec(Path dir, String... args) {
    require();
    List<String> cmd = new ArrayList<>();
    cmd.add("hg");
    cmd.add("--config");
    cmd.add("ui.username=test <test@example.com>");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("HGRCPATH", "");
    pb.environment().put("HGPLAIN", "1");
    pb.environment().put("HGENCODING", "utf-8");
    pb.environment().put("TZ", "UTC");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[][] out = new byte[2][];
      Thread err = new Thread(() -> out[1] = readAll(p.getErrorStream()));
      err.start();
      out[0] = readAll(p.getInputStream());
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("hg " + String.join(" ", args) + " did not finish in 300 s");
      }
      err.join();
      return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8),
          new String(out[1], StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("cannot run hg: " + e, e);
    }
  }

  /** The exit code and outputs of an hg run. */
  public record Result(int exit, String out, String err) {}

  /** The path of the oracle extension (Mercurial's own answers for a view). */
  public static synchronized Path oracle() throws IOException {
    if (oracle == null) {
      Path f = Files.createTempFile("hgrpc_oracle", ".py");
      try (InputStream in = Hg.class.getResourceAsStream("hgrpc_oracle.py")) {
        Files.write(f, in.readAllBytes());
      }
      oracle = f;
    }
    return oracle;
  }

  /** Runs the oracle on {@code repo} for {@code view} and {@code symbols}; returns its lines. */
  public static List<String> oracle(Path repo, String view, String... symbols) throws IOException {
    List<String> args = new ArrayList<>(List.of("--config", "extensions.hgrpcoracle=" + oracle(),
        "--config", "experimental.evolution=all", "hgrpcoracle", "--view", view, "--"));
    args.addAll(List.of(symbols));
    return List.of(run(repo, args.toArray(String[]::new)).split("\n"));
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
