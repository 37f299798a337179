package org.hgrpc.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds vector files: the copies bundled as test resources (framing 0005 under
 * {@code vectors/}, framing 0006 under {@code vectors/v0006/}) and, when the system property
 * {@code hgrpc.vectors} names a directory, every {@code *.jsonl} in it.
 */
final class VectorFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Files bundled with the tests (copied from the reference's vector set). */
  static final List<String> BUNDLED = List.of(
      "human-frames.jsonl", "cbor-encode.jsonl", "cbor-decode.jsonl", "frame-creation.jsonl",
      "frame-repr.jsonl", "server-reactor.jsonl", "server-reactor-random.jsonl", "client-reactor.jsonl",
      "http-exchanges.jsonl",
      "v0006/human-frames.jsonl", "v0006/frame-repr.jsonl", "v0006/frame-creation.jsonl",
      "v0006/server-reactor.jsonl", "v0006/server-reactor-random.jsonl", "v0006/client-reactor.jsonl",
      "v0006/http-exchanges.jsonl");

  record VectorFile(String name, List<JsonNode> rows) {}

  private VectorFiles() {}

  static List<VectorFile> all() {
    List<VectorFile> files = new ArrayList<>();
    for (String name : BUNDLED) {
      try (InputStream in = VectorFiles.class.getResourceAsStream("/vectors/" + name)) {
        if (in == null) {
          throw new IllegalStateException("missing bundled vector file " + name);
        }
        files.add(new VectorFile(name, read(in)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String extra = System.getProperty("hgrpc.vectors", "");
    if (!extra.isBlank()) {
      Path dir = Path.of(extra);
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException("hgrpc.vectors is not a directory: " + dir.toAbsolutePath());
      }
      try (Stream<Path> paths = Files.list(dir)) {
        for (Path p : paths.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(p)) {
            files.add(new VectorFile(p.toAbsolutePath().toString(), read(in)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static List<JsonNode> read(InputStream in) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (!line.isBlank()) {
        rows.add(JSON.readTree(line));
      }
    }
    return rows;
  }
}
