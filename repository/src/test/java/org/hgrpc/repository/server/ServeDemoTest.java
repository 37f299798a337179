package org.hgrpc.repository.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --demo} unpacks the example into a temporary directory and removes it however it ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeDemoTest {
  @TempDir
  Path tmp;

  private Process serve(String... extra) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + tmp,
        "org.hgrpc.server.Main", "serve", "--demo", "-a", "127.0.0.1"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("hgrpc-demo-")).toList();
    }
  }

  @Test
  void sigtermRemovesTheDemoCopy() throws Exception {
    Process p = serve("-p", "0");
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      // The start-up lines (version, repository, APIs, push, protocols), then "listening at" last.
      String line = out.readLine();
      List<String> startup = new java.util.ArrayList<>();
      while (line != null && !line.startsWith("listening at ") && startup.size() < 20) {
        startup.add(line);
        line = out.readLine();
      }
      assertTrue(String.valueOf(line).startsWith("listening at "), "start-up lines: " + startup + ", then: " + line);
      assertTrue(startup.stream().anyMatch(l -> l.startsWith("repository: " + tmp)), "the demo copy is named: " + startup);
      assertEquals(1, leftovers().size(), "the demo is unpacked while serving");
      p.destroy();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(List.of(), leftovers());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void failedStartRemovesTheDemoCopy() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Process p = serve("-p", Integer.toString(taken.getLocalPort()));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(255, p.exitValue(), out);
      assertTrue(out.contains("Address already in use"), out);
      assertEquals(List.of(), leftovers());
    }
  }
}
