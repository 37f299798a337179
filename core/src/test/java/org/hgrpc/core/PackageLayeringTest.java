package org.hgrpc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's packages form layers without cycles: the root package (values), then {@code cbor}
 * (which owns the canonical key order), {@code literal} (Python syntax over those values),
 * {@code encoding}, {@code frame}, {@code response}, and {@code reactor} on top. A package may
 * use only the ones listed for it here. The check reads the compiled classes, where every type
 * a class uses is named in its constant pool.
 */
class PackageLayeringTest {

  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "", Set.of(),
      "cbor", Set.of(""),
      "literal", Set.of("", "cbor"),
      "encoding", Set.of(""),
      "frame", Set.of("", "cbor", "encoding", "literal"),
      "response", Set.of("", "cbor"),
      "reactor", Set.of("", "cbor", "encoding", "frame", "literal", "response"));

  private static final Pattern REFERENCE = Pattern.compile("org/hgrpc/core/((?:[a-z]+/)*)[A-Z]");

  @Test
  void packagesUseOnlyTheLayersBelowThem() throws IOException {
    Map<String, Set<String>> used = packageDependencies();
    assertEquals(ALLOWED.keySet(), used.keySet(), "core's packages changed: update this test and the README");
    List<String> violations = new ArrayList<>();
    used.forEach((from, targets) -> {
      for (String to : targets) {
        if (!ALLOWED.get(from).contains(to)) {
          violations.add(name(from) + " -> " + name(to));
        }
      }
    });
    assertTrue(violations.isEmpty(), "dependencies against the layering: " + violations);
  }

  private static String name(String pkg) {
    return pkg.isEmpty() ? "org.hgrpc.core" : "org.hgrpc.core." + pkg;
  }

  /** Package (relative to org.hgrpc.core, "" for the root) to the other core packages it uses. */
  private static Map<String, Set<String>> packageDependencies() throws IOException {
    Path root = classesRoot().resolve("org/hgrpc/core");
    Map<String, Set<String>> used = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String from = root.relativize(file.getParent()).toString().replace('\\', '/');
        Set<String> targets = used.computeIfAbsent(from, k -> new TreeSet<>());
        // Class names in the constant pool are modified UTF-8, plain ASCII for these names.
        Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        while (m.find()) {
          String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
          if (!to.equals(from)) {
            targets.add(to);
          }
        }
      }
    }
    return used;
  }

  /** The directory or jar root holding core's main classes (not the test classes). */
  private static Path classesRoot() {
    try {
      Path p = Path.of(ByteString.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(p.resolve("org/hgrpc/core"))) {
        throw new IllegalStateException("core's classes are not in a directory: " + p);
      }
      return p;
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
