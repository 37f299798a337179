package org.hgrpc.repository.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.BitSet;
import java.util.Map;
import java.util.function.Supplier;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.model.Bookmarks;
import org.hgrpc.repository.model.Changelog;
import org.hgrpc.repository.model.Dirstate;
import org.hgrpc.repository.model.ObsStore;
import org.hgrpc.repository.model.Phases;
import org.hgrpc.repository.model.TagsFile;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.store.Requirements;
import org.hgrpc.repository.store.StorePaths;

/**
 * A snapshot of a repository: its changelog, phases, bookmarks, obsolescence markers and
 * working directory parents as read at one moment, and the views computed from them. Safe to
 * share between threads; derived data is computed once, on first use.
 */
public final class RepoState {
  private final StorePaths paths;
  private final Requirements requirements;
  private final Changelog changelog;
  private final Phases phases;
  private final Bookmarks bookmarks;
  private final ObsStore obsstore;
  private final Lazy<Dirstate> dirstate;
  private final Lazy<byte[]> localTags;
  private final Lazy<Revlog> manifest;
  private final Lazy<Revlog> tagsFilelog;
  private final Lazy<BitSet> hidden;
  private final Map<String, RepoView> views = new java.util.concurrent.ConcurrentHashMap<>();
  /** Answers derived from this snapshot alone, kept while the snapshot is reused ({@link #derived}). */
  private final Map<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();

  /** A snapshot of the given parts. */
  public RepoState(StorePaths paths, Requirements requirements, Changelog changelog, Phases phases,
      Bookmarks bookmarks, ObsStore obsstore) {
    this.paths = paths;
    this.requirements = requirements;
    this.changelog = changelog;
    this.phases = phases;
    this.bookmarks = bookmarks;
    this.obsstore = obsstore;
    this.dirstate = new Lazy<>(() -> Dirstate.read(paths.dotHg().resolve("dirstate")));
    this.localTags = new Lazy<>(() -> readOptional(paths.dotHg().resolve("localtags")));
    this.manifest = new Lazy<>(() -> Revlog.open(paths.revlogIndex("00manifest"), paths.revlogData("00manifest")));
    this.tagsFilelog = new Lazy<>(() -> Revlog.open(paths.revlogIndex("data/.hgtags"), paths.revlogData("data/.hgtags")));
    this.hidden = new Lazy<>(this::computeHidden);
  }

  /** Where the repository's files are. */
  public StorePaths paths() {
    return paths;
  }

  /** The requirements. */
  public Requirements requirements() {
    return requirements;
  }

  /** The changelog. */
  public Changelog changelog() {
    return changelog;
  }

  /** The phases. */
  public Phases phases() {
    return phases;
  }

  /** The bookmarks (all of them, whatever the view). */
  public Bookmarks bookmarks() {
    return bookmarks;
  }

  /** The obsolescence markers. */
  public ObsStore obsstore() {
    return obsstore;
  }

  /** The working directory's parents. */
  public Dirstate dirstate() {
    return dirstate.get();
  }

  /** The manifest revlog (the flat manifest; its index is read once per snapshot). */
  public Revlog manifest() {
    return manifest.get();
  }

  /** The filelog of {@code .hgtags}. */
  Revlog tagsFilelog() {
    return tagsFilelog.get();
  }

  /** The content of {@code .hg/localtags}, empty when absent. */
  byte[] localTags() {
    return localTags.get();
  }

  /** The unfiltered view. */
  public RepoView unfiltered() {
    return view(RepoView.ALL);
  }

  /** The view {@code hg serve} serves by default. */
  public RepoView served() {
    return view(RepoView.SERVED);
  }

  /**
   * The view called {@code name}: {@code served}, {@code visible} ({@code visible-hidden} is
   * the same set), {@code immutable}, {@code base}, or {@code all} for none; as
   * {@code hgweb} does for {@code web.view}, an unknown name is {@code served}.
   */
  public RepoView view(String name) {
    String canonical = RepoView.canonicalName(name);
    RepoView v = views.get(canonical);
    return v != null ? v : views.computeIfAbsent(canonical, n -> new RepoView(this, n, filteredRevs(n)));
  }

  /**
   * The value {@code compute} makes from this snapshot, computed once and kept with it: the
   * repository hands out the same snapshot while none of its files changed, so a command's
   * answer (a {@code listkeys} map, say) is then made once rather than per request. The
   * value must depend on nothing but this snapshot and {@code key}, and must not be modified
   * by whoever receives it.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(String key, Supplier<T> compute) {
    Object v = derived.get(key);
    if (v == null) {
      v = derived.computeIfAbsent(key, k -> compute.get());
    }
    return (T) v;
  }

  private BitSet filteredRevs(String name) {
    int n = changelog.count();
    switch (name) {
      case RepoView.ALL:
        return new BitSet();
      case RepoView.VISIBLE:
      case RepoView.VISIBLE_HIDDEN:
        return (BitSet) hidden.get().clone();
      case RepoView.SERVED: {
        BitSet s = (BitSet) hidden.get().clone();
        if (phases.hasSecret()) {
          for (int r = 0; r < n; r++) {
            if (phases.phase(r) >= Phases.SECRET) {
              s.set(r);
            }
          }
        }
        return s;
      }
      case RepoView.IMMUTABLE: {
        BitSet s = new BitSet();
        for (int r = 0; r < n; r++) {
          if (phases.phase(r) != Phases.PUBLIC) {
            s.set(r);
          }
        }
        return s;
      }
      case RepoView.BASE: {
        int first = n;
        for (Map.Entry<Integer, java.util.Set<ByteString>> e : phases.allRoots().entrySet()) {
          if (e.getKey() > Phases.PUBLIC) {
            for (ByteString root : e.getValue()) {
              first = Math.min(first, changelog.index().rev(root));
            }
          }
        }
        BitSet s = new BitSet();
        s.set(Math.max(0, first), n);
        return s;
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /**
   * Mercurial's {@code computehidden}: mutable obsolete changesets (and those of the archived
   * and internal phases), except the pinned ones (working directory parents, bookmarks, local
   * tags) and ancestors of mutable changesets that stay visible.
   */
  private BitSet computeHidden() {
    int n = changelog.count();
    BitSet hidden = new BitSet();
    for (int r = 0; r < n; r++) {
      int p = phases.phase(r);
      if (p >= Phases.ARCHIVED || (p > Phases.PUBLIC && obsstore.isPredecessor(changelog.index().node(r)))) {
        hidden.set(r);
      }
    }
    if (hidden.isEmpty()) {
      return hidden;
    }
    for (ByteString node : pinnedNodes()) {
      Integer r = changelog.index().rev(node);
      if (r != null && r >= 0) {
        hidden.clear(r);
      }
    }
    BitSet visibleMutable = new BitSet();
    for (int r = 0; r < n; r++) {
      if (phases.phase(r) != Phases.PUBLIC && !hidden.get(r)) {
        visibleMutable.set(r);
      }
    }
    BitSet revealed = Graph.ancestors(changelog.index(), visibleMutable);
    hidden.andNot(revealed);
    return hidden;
  }

  private java.util.List<ByteString> pinnedNodes() {
    java.util.List<ByteString> pinned = new java.util.ArrayList<>();
    Dirstate d = dirstate();
    pinned.add(d.p1());
    pinned.add(d.p2());
    pinned.addAll(bookmarks.asMap().values());
    Map<ByteString, TagsFile.Entry> local = TagsFile.parse(localTags());
    for (TagsFile.Entry e : local.values()) {
      pinned.add(e.node());
    }
    return pinned;
  }

  private static byte[] readOptional(java.nio.file.Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A value computed once, on first use, by whichever thread asks first. */
  static final class Lazy<T> implements Supplier<T> {
    private Supplier<T> supplier;
    private volatile T value;

    Lazy(Supplier<T> supplier) {
      this.supplier = supplier;
    }

    @Override
    public T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = supplier.get();
            value = v;
            supplier = null;
          }
        }
      }
      return v;
    }
  }
}
