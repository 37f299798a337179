package org.hgrpc.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP exchanges recorded from the reference server ({@code vectors/http-exchanges.jsonl},
 * copied from the project's shared vectors), by name: real request and response bytes for the
 * stubs. {@link #get0006} gives Mercurial 4.8's ({@code vectors/v0006/http-exchanges.jsonl},
 * core's file, put on the test class path by the pom), by group and name.
 */
final class HttpVectors {
  private HttpVectors() {}

  /** One recorded exchange. */
  record Exchange(String name, String method, String path, byte[] requestBody, int status, String contentType,
      byte[] responseBody) {}

  private static final Map<String, Exchange> BY_NAME = load("/vectors/http-exchanges.jsonl", false);
  private static final Map<String, Exchange> V0006 = load("/vectors/v0006/http-exchanges.jsonl", true);

  /** The exchange named {@code name}. */
  static Exchange get(String name) {
    Exchange e = BY_NAME.get(name);
    if (e == null) {
      throw new IllegalArgumentException("no HTTP vector named " + name);
    }
    return e;
  }

  /** The 4.8 exchange named {@code name} of {@code group} ({@code repo48}, {@code readonly48}, ...). */
  static Exchange get0006(String group, String name) {
    Exchange e = V0006.get(group + "/" + name);
    if (e == null) {
      throw new IllegalArgumentException("no 0006 HTTP vector named " + name + " in group " + group);
    }
    return e;
  }

  private static Map<String, Exchange> load(String resource, boolean byGroup) {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Exchange> m = new LinkedHashMap<>();
    try (InputStream in = HttpVectors.class.getResourceAsStream(resource);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode row = mapper.readTree(line);
        JsonNode req = row.get("request");
        JsonNode resp = row.get("response");
        if (!resp.has("status") || row.has("defect")) {
          continue; // the reference failed these, or answered what we must not copy: nothing to replay
        }
        String key = byGroup ? row.get("group").asText() + "/" + row.get("name").asText() : row.get("name").asText();
        m.put(key, new Exchange(row.get("name").asText(), req.get("method").asText(),
            req.get("path").asText(), hex(req.get("body_hex")), resp.get("status").asInt(),
            resp.get("content_type").isNull() ? null : resp.get("content_type").asText(), hex(resp.get("body_hex"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  private static byte[] hex(JsonNode n) {
    return n == null || n.isNull() ? new byte[0] : HexFormat.of().parseHex(n.asText());
  }
}
