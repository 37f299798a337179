package org.hgrpc.bench.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.revlog.RevlogIndex;
import org.hgrpc.repository.view.RepoState;

/**
 * The real-repository requests of the end-to-end load: {@code heads}, {@code listkeys}
 * of the bookmarks, {@code known} of 100 nodes (half of them in the repository, spread over
 * its history, half made up), {@code lookup} of a bookmark (of {@code tip} when there is
 * none) and {@code branchmap}, each as an hgrpc request and as the same command of
 * Mercurial's HTTP protocol version 1 (what Debian's {@code hg serve} speaks: it no longer has
 * the experimental version 2). Derived from the repository the same way in every process.
 */
final class RepoWorkload {
  private RepoWorkload() {}

  /** One command: its hgrpc request body and arguments, and the version 1 query and arguments. */
  record Request(String command, Map<ByteString, Object> args, String v1Query, List<String> v1Args) {
    /** The hgrpc request frames. */
    byte[] hgrpcBody() {
      return Fixtures.encode(Frames.createCommandFrames(new FrameStream(1), 1, ByteString.latin1(command), args,
          null));
    }

    /**
     * A whole HTTP/1.1 GET of the version 1 command, arguments in {@code X-HgArg-N} headers,
     * asking the server to close the connection after answering.
     */
    byte[] v1Request(int port) {
      StringBuilder sb = new StringBuilder("GET /?cmd=" + command + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nAccept: application/mercurial-0.1\r\nConnection: close\r\n");
      if (!v1Args.isEmpty()) {
        String encoded = v1Args.stream().map(a -> {
          int eq = a.indexOf('=');
          return URLEncoder.encode(a.substring(0, eq), StandardCharsets.UTF_8) + "="
              + URLEncoder.encode(a.substring(eq + 1), StandardCharsets.UTF_8);
        }).collect(Collectors.joining("&"));
        // hg reads arguments from headers of at most 1024 bytes (its default httpheader limit).
        int n = 1;
        for (int i = 0; i < encoded.length(); i += 1000) {
          sb.append("X-HgArg-").append(n++).append(": ")
              .append(encoded, i, Math.min(encoded.length(), i + 1000)).append("\r\n");
        }
        sb.append("Vary: ");
        for (int i = 1; i < n; i++) {
          sb.append(i > 1 ? "," : "").append("X-HgArg-").append(i);
        }
        sb.append("\r\n");
      }
      sb.append("\r\n");
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /** The requests for the repository at {@code dir}, by command, in the order they run. */
  static Map<String, Request> of(Path dir) {
    RepoState state = HgRepository.open(dir).snapshot();
    RevlogIndex cl = state.changelog().index();
    Map<String, Request> out = new LinkedHashMap<>();
    out.put("heads", new Request("heads", Map.of(), "heads", List.of()));
    out.put("listkeys", new Request("listkeys", Map.of(b("namespace"), b("bookmarks")), "listkeys",
        List.of("namespace=bookmarks")));
    List<ByteString> nodes = new ArrayList<>();
    int count = cl.count();
    for (int i = 0; i < 50; i++) {
      nodes.add(cl.node((int) ((long) i * count / 50)));
    }
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      byte[] n = new byte[20];
      random.nextBytes(n);
      nodes.add(ByteString.wrap(n));
    }
    out.put("known", new Request("known", Map.of(b("nodes"), nodes), "known",
        List.of("nodes=" + nodes.stream().map(ByteString::hex).collect(Collectors.joining(" ")))));
    String key = state.bookmarks().asMap().keySet().stream().sorted().skip(state.bookmarks().asMap().size() / 2)
        .findFirst().map(ByteString::utf8).orElse("tip");
    out.put("lookup", new Request("lookup", Map.of(b("key"), b(key)), "lookup", List.of("key=" + key)));
    out.put("branchmap", new Request("branchmap", Map.of(), "branchmap", List.of()));
    return out;
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
