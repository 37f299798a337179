package org.hgrpc.repository.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.server.data.DataCommands;
import org.hgrpc.repository.view.RepoState;
import org.hgrpc.repository.view.RepoView;
import org.hgrpc.repository.view.RevisionLookup;
import org.hgrpc.repository.write.PushKeys;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;

/**
 * The repository commands of {@code wireprotov2server.py} at the reference revision, with its
 * argument examples and permissions. Each answers from a fresh snapshot of the repository,
 * taken when its response is written.
 */
public final class RepositoryCommands {
  private static final ByteString BOOKMARKS = b("bookmarks");
  private static final ByteString PHASES = b("phases");
  private static final ByteString NAMESPACES = b("namespaces");
  private static final ByteString OBSOLETE = b("obsolete");

  private final HgRepository repo;
  private final RepositoryOptions options;
  private final PushKeys pushKeys;
  /** The options as text, once: part of the keys of the answers kept with a snapshot. */
  private final String optionsKey;

  /** The commands serving {@code repo} with {@code options}. */
  public RepositoryCommands(HgRepository repo, RepositoryOptions options) {
    this.repo = repo;
    this.options = options;
    this.pushKeys = new PushKeys(repo, options.lockTimeout(), options.view());
    this.optionsKey = options.toString();
  }

  /** Every command: branchmap, heads, known, listkeys, lookup, pushkey. */
  public List<Command> all() {
    return List.of(
        Command.of("branchmap", Permission.PULL, List.of(), call -> lazy(this::branchmap)),
        Command.of("heads", Permission.PULL, List.of(ArgumentSpec.optional("publiconly", false).withDefault(false)),
            call -> lazy(() -> heads(call))),
        Command.of("known", Permission.PULL, List.of(ArgumentSpec.optional("nodes", List.of(b("deadbeef"))).withDefault(List.of())),
            call -> lazy(() -> known(call))),
        Command.of("listkeys", Permission.PULL, List.of(ArgumentSpec.required("namespace", b("ns"))),
            call -> lazy(() -> listkeys(call.arg("namespace", ByteString.class, null)))),
        Command.of("lookup", Permission.PULL, List.of(ArgumentSpec.required("key", b("foo"))),
            call -> lazy(() -> RevisionLookup.lookup(view(), call.arg("key", ByteString.class, null)))),
        Command.of("pushkey", Permission.PUSH, List.of(
            ArgumentSpec.required("key", b("key")),
            ArgumentSpec.required("namespace", b("ns")),
            ArgumentSpec.required("new", b("new")),
            ArgumentSpec.required("old", b("old"))),
            call -> lazy(() -> pushkey(call))));
  }

  /**
   * The data commands of API {@code exp-http-v2-0003} (changesetdata, manifestdata, filedata,
   * filesdata, rawstorefiledata), with the default batch sizes. Not part of {@link #all()}:
   * API {@code exp-http-v2-0001} has no such commands.
   */
  public List<Command> dataCommands() {
    return new DataCommands(repo, options, DataCommands.Settings.defaults()).commands();
  }

  private static CommandResponse lazy(java.util.function.Supplier<Object> body) {
    return CommandResponse.objects(new LazyResult(body));
  }

  private RepoView view() {
    return repo.snapshot().view(options.view());
  }

  // The answers below that depend on the snapshot alone are kept with it (RepoState.derived):
  // while no file of the repository changes, every request shares one answer, which the
  // CBOR encoder only reads.

  private Object branchmap() {
    RepoState state = repo.snapshot();
    return state.derived("branchmap " + optionsKey, () -> {
      Map<Object, Object> out = new LinkedHashMap<>();
      state.view(options.view()).branchMap().forEach((k, v) -> out.put(k, new ArrayList<Object>(v)));
      return java.util.Collections.unmodifiableMap(out);
    });
  }

  private Object heads(CommandInvocation call) {
    RepoState state = repo.snapshot();
    boolean publicOnly = truthy(call.args().get(b("publiconly")));
    String view = publicOnly ? RepoView.IMMUTABLE : options.view();
    return state.derived("heads " + view + " " + optionsKey, () -> java.util.Collections.unmodifiableList(
        new ArrayList<Object>(state.view(view).heads())));
  }

  private Object known(CommandInvocation call) {
    Object nodes = call.args().get(b("nodes"));
    RepoView v = view();
    StringBuilder sb = new StringBuilder();
    for (Object n : iterate(nodes)) {
      if (!(n instanceof ByteString)) {
        throw new IllegalArgumentException("expected string or Unicode object, " + pythonType(n) + " found");
      }
      ByteString node = (ByteString) n;
      if (node.size() != Nodes.LENGTH) {
        throw new IllegalArgumentException("20-byte hash required");
      }
      sb.append(v.hasNode(node) ? '1' : '0');
    }
    return ByteString.latin1(sb.toString());
  }

  private Object listkeys(ByteString namespace) {
    RepoState state = repo.snapshot();
    if (!namespace.equals(NAMESPACES) && !namespace.equals(BOOKMARKS) && !namespace.equals(PHASES)
        && !namespace.equals(OBSOLETE)) {
      return new LinkedHashMap<>();
    }
    // The options are part of the key: two servers may share a repository's snapshots with
    // different settings (publishing, obsolescence exchange, view).
    return state.derived("listkeys " + namespace.toString(java.nio.charset.StandardCharsets.ISO_8859_1) + " "
        + optionsKey, () -> java.util.Collections.unmodifiableMap(listkeys(state, namespace)));
  }

  private Map<Object, Object> listkeys(RepoState state, ByteString namespace) {
    Map<Object, Object> out = new LinkedHashMap<>();
    if (namespace.equals(NAMESPACES)) {
      out.put(BOOKMARKS, ByteString.EMPTY);
      out.put(NAMESPACES, ByteString.EMPTY);
      out.put(PHASES, ByteString.EMPTY);
      if (options.obsoleteExchange()) {
        out.put(OBSOLETE, ByteString.EMPTY);
      }
    } else if (namespace.equals(BOOKMARKS)) {
      RepoView v = state.view(options.view());
      state.bookmarks().asMap().forEach((name, node) -> {
        // Divergent bookmarks (name@remote) stay local; a trailing '@' does not make one.
        boolean divergent = name.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains("@")
            && name.byteAt(name.size() - 1) != '@';
        if (v.hasNode(node) && !divergent) {
          out.put(name, ByteString.latin1(node.hex()));
        }
      });
    } else if (namespace.equals(PHASES)) {
      Phases phases = state.phases();
      for (ByteString root : phases.roots(Phases.DRAFT)) {
        if (phases.phase(state.changelog().index().rev(root)) <= Phases.DRAFT) {
          out.put(ByteString.latin1(root.hex()), b("1"));
        }
      }
      if (options.publishing()) {
        out.put(b("publishing"), b("True"));
      }
    } else if (namespace.equals(OBSOLETE)) {
      out.putAll(state.obsstore().pushkeyDump());
    }
    return out;
  }

  private Object pushkey(CommandInvocation call) {
    ByteString namespace = call.arg("namespace", ByteString.class, null);
    ByteString key = call.arg("key", ByteString.class, null);
    ByteString old = call.arg("old", ByteString.class, null);
    ByteString newValue = call.arg("new", ByteString.class, null);
    if (namespace.equals(BOOKMARKS)) {
      return pushKeys.pushBookmark(key, old, newValue);
    } else if (namespace.equals(PHASES)) {
      return pushKeys.pushPhase(key, old, newValue);
    } else if (namespace.equals(OBSOLETE)) {
      throw PushKeys.unsupported("obsolete");
    }
    // 'namespaces' and unknown namespaces cannot be pushed to: Mercurial answers False.
    return false;
  }

  /**
   * Python truthiness of a decoded CBOR value, as the reference's commands test their
   * arguments ({@code if publiconly:}): None, False, zero, and empty strings, lists and maps are
   * false.
   */
  public static boolean truthy(Object o) {
    if (o == null || Boolean.FALSE.equals(o)) {
      return false;
    } else if (o instanceof Number) {
      return ((Number) o).doubleValue() != 0;
    } else if (o instanceof ByteString) {
      return !((ByteString) o).isEmpty();
    } else if (o instanceof Collection) {
      return !((Collection<?>) o).isEmpty();
    } else if (o instanceof Map) {
      return !((Map<?, ?>) o).isEmpty();
    }
    return true;
  }

  /** What {@code for n in (nodes or [])} iterates over. */
  private static Iterable<?> iterate(Object nodes) {
    if (!truthy(nodes)) {
      return List.of();
    } else if (nodes instanceof Collection) {
      return (Collection<?>) nodes;
    } else if (nodes instanceof Map) {
      return ((Map<?, ?>) nodes).keySet();
    } else if (nodes instanceof ByteString) {
      ByteString s = (ByteString) nodes;
      List<ByteString> chars = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        chars.add(s.substring(i, i + 1));
      }
      return chars;
    }
    throw new IllegalArgumentException("'" + pythonType(nodes) + "' object is not iterable");
  }

  private static String pythonType(Object o) {
    Function<Object, String> f = x -> {
      if (x == null) {
        return "NoneType";
      } else if (x instanceof Boolean) {
        return "bool";
      } else if (x instanceof Number) {
        return "int";
      } else if (x instanceof List) {
        return "list";
      } else if (x instanceof java.util.Set) {
        return "set";
      } else if (x instanceof Map) {
        return "dict";
      }
      return x.getClass().getSimpleName();
    };
    return f.apply(o);
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
