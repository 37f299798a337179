package org.hgrpc.repository.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.hgrpc.core.cbor.IndefiniteByteString;
import org.hgrpc.core.reactor.CommandError;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.server.RepositoryOptions;
import org.hgrpc.repository.server.data.DataCommands;
import org.hgrpc.repository.view.RepoState;

/**
 * Fuzzes the argument decoding of the 0003 data commands ({@code changesetdata},
 * {@code manifestdata}, {@code filedata}, {@code filesdata}, {@code rawstorefiledata}) against
 * the hg 4.8 fixture repository.
 *
 * <p>Property: whatever argument map a client sends, a command either yields objects that
 * encode as CBOR (streamed byte strings are drained) or fails with a {@link CommandError}, or
 * with the reference's lookup errors for a node the served repository lacks or hides
 * ({@code unknown revision '<hex>'}, {@code filtered revision '<hex>'},
 * {@code 00changelog.i@<node>: no node}, {@code ...: filtered node}, and filedata's
 * {@code revision <hex> of file '<path>' is linked to changeset <rev>, which is not served}). Mercurial 4.8 raises
 * those as {@code RepoLookupError}, which its server answers as a server error, not a command
 * error; ours are {@link RepositoryException}s with the same messages, which the exchange turns
 * into the same server error. No other exception escapes, neither when the command is called
 * nor while its lazy output is taken. (The first run of this target found the
 * {@code unknown revision} case, seed {@code found-filesdata-unknown-revision-lookup-error};
 * the first long run the hidden linked changeset, seed {@code found-filedata-linknode-of-hidden-changeset}.)
 *
 * <p>Input layout: the last bytes choose the command and the mode. Raw mode: the rest is CBOR,
 * whose first value, if a map, is the argument map (the seeds under
 * {@code DataCommandsFuzzTestInputs} are such maps). Structured mode: the argument map is
 * built from the argument names the commands know, with values that are often right (the
 * fixture's nodes and paths, the revision specifier types) and often not.
 */
@org.junit.jupiter.api.Tag("fuzz")
class DataCommandsFuzzTest {
  private static final List<String> ARGUMENT_NAMES = List.of("revisions", "fields", "nodes", "tree", "path",
      "haveparents", "pathfilter", "files", "depth", "type", "roots", "heads");
  private static final List<String> WORDS = List.of("changesetexplicit", "changesetexplicitdepth",
      "changesetdagrange", "parents", "revision", "phase", "bookmarks", "linknode", "firstchangeset",
      "include", "exclude", "path:", "rootfilesin:", "changelog", "manifestlog", "", "type", "nodes", "depth",
      "roots", "heads", "../x", "a//b");
  private static final int MAX_OBJECTS = 200;
  private static final int MAX_CHUNKS = 4;
  private static final DataCommands COMMANDS;
  private static final List<ByteString> NODES = new ArrayList<>();
  private static final List<ByteString> PATHS = new ArrayList<>();

  static {
    try {
      Path dir = Files.createTempDirectory("data-commands-fuzz");
      HgRepository repo = HgRepository.open(Fixtures.repo48Fixture(dir));
      COMMANDS = new DataCommands(repo, new RepositoryOptions("served", false, true, true, true, Duration.ofSeconds(2)),
          DataCommands.Settings.defaults());
      RepoState state = repo.snapshot();
      for (int rev = 0; rev < state.changelog().index().count(); rev++) {
        NODES.add(state.changelog().index().node(rev));
      }
      for (int rev = 0; rev < state.manifest().index().count(); rev++) {
        NODES.add(state.manifest().index().node(rev));
      }
      try (var files = Files.walk(dir.resolve("server/.hg/store/data"))) {
        files.map(p -> dir.resolve("server/.hg/store/data").relativize(p).toString())
            .filter(p -> p.endsWith(".i"))
            .forEach(p -> PATHS.add(ByteString.latin1(p.substring(0, p.length() - 2))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void anyArgumentsGiveObjectsOrACommandError(FuzzedDataProvider data) {
    int command = data.consumeInt(0, 4);
    Map<ByteString, Object> args;
    if (data.consumeBoolean()) {
      args = structuredArguments(data);
    } else {
      args = cborArguments(data.consumeRemainingAsBytes());
      if (args == null) {
        return;
      }
    }
    try {
      Iterator<Object> out = switch (command) {
        case 0 -> COMMANDS.changesetData().run(args);
        case 1 -> COMMANDS.manifestData().run(args);
        case 2 -> COMMANDS.fileData().run(args);
        case 3 -> COMMANDS.filesData().run(args);
        default -> COMMANDS.rawStoreFileData().run(args);
      };
      // Bounded, so that an input asking for the whole fixture does not slow the search down:
      // argument decoding happens before the first object, the rest is the same code per item.
      int taken = 0;
      while (out.hasNext() && taken++ < MAX_OBJECTS) {
        Object o = out.next();
        assertNotNull(o, "a null response object");
        if (o instanceof IndefiniteByteString s) {
          Iterator<ByteString> chunks = CborEncoder.indefiniteChunks(s);
          for (int i = 0; i < MAX_CHUNKS && chunks.hasNext(); i++) {
            chunks.next();
          }
        } else {
          CborEncoder.encodeToByteString(o);
        }
      }
    } catch (CommandError e) {
      // The documented answer to bad arguments.
    } catch (RepositoryException e) {
      if (!isReferenceLookupError(e.getMessage())) {
        throw e;
      }
    }
  }

  /** The messages of Mercurial's {@code RepoLookupError}s for a node, as the data commands report them. */
  private static boolean isReferenceLookupError(String message) {
    return message.startsWith("unknown revision '") || message.startsWith("filtered revision '")
        || (message.startsWith("00changelog.i@") && (message.endsWith(": no node") || message.endsWith(": filtered node")))
        // filedata's linknode of a revision linked to a hidden changeset: the reference's
        // changelog.node(linkrev) raises FilteredIndexError there, a server error too.
        || (message.startsWith("revision ") && message.endsWith(", which is not served"));
  }

  /** The first value of {@code cbor}, if it decodes to a map; its keys are the argument names. */
  @SuppressWarnings("unchecked")
  private static Map<ByteString, Object> cborArguments(byte[] cbor) {
    try {
      List<Object> values = CborDecoder.decodeAll(ByteString.wrap(cbor));
      return !values.isEmpty() && values.get(0) instanceof Map ? (Map<ByteString, Object>) values.get(0) : null;
    } catch (CborDecodeException e) {
      return null;
    }
  }

  private static Map<ByteString, Object> structuredArguments(FuzzedDataProvider data) {
    Map<ByteString, Object> args = new LinkedHashMap<>();
    int n = data.consumeInt(0, 5);
    for (int i = 0; i < n; i++) {
      args.put(b(ARGUMENT_NAMES.get(data.consumeInt(0, ARGUMENT_NAMES.size() - 1))), value(data, 0));
    }
    return args;
  }

  private static Object value(FuzzedDataProvider data, int depth) {
    switch (data.consumeInt(0, depth >= 3 ? 6 : 9)) {
      case 0:
        return NODES.get(data.consumeInt(0, NODES.size() - 1));
      case 1:
        return PATHS.isEmpty() ? b("a") : PATHS.get(data.consumeInt(0, PATHS.size() - 1));
      case 2:
        return b(WORDS.get(data.consumeInt(0, WORDS.size() - 1)));
      case 3:
        return ByteString.wrap(data.consumeBytes(data.consumeInt(0, 40)));
      case 4:
        return data.consumeLong();
      case 5:
        return data.consumeBoolean();
      case 6:
        return null;
      case 7: {
        List<Object> l = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          l.add(value(data, depth + 1));
        }
        return l;
      }
      case 8: {
        Set<Object> s = new LinkedHashSet<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          s.add(value(data, 3));
        }
        return s;
      }
      default: {
        Map<Object, Object> m = new LinkedHashMap<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          m.put(b(WORDS.get(data.consumeInt(0, WORDS.size() - 1))), value(data, depth + 1));
        }
        return m;
      }
    }
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
