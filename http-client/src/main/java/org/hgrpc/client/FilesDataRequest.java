package org.hgrpc.client;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments of {@code filesdata}: the file revisions of a set of changesets, for clones
 * and pulls.
 *
 * @param revisions the changesets, as revision specifiers (at least one)
 * @param haveParents whether the client has the parent changesets of those: then only the file
 *     revisions the changesets introduce are sent, and may be deltas against revisions the
 *     client has; otherwise every file revision the changesets' manifests name
 * @param fields {@link RevisionField}s: any of them
 * @param pathFilter which paths; {@link PathFilter#ALL} (not sent) for every path
 */
public record FilesDataRequest(List<RevisionSpecifier> revisions, boolean haveParents, Set<RevisionField> fields,
    PathFilter pathFilter) {

  /**
   * A {@code pathfilter}: patterns of paths to {@code include} (all when empty) and to
   * {@code exclude}, each beginning with one of the prefixes the server lists in its
   * capabilities' {@code pathfilterprefixes} ({@code path:} and {@code rootfilesin:} for
   * Mercurial 4.8); the server refuses other patterns with a command error.
   *
   * @param include patterns of paths to send
   * @param exclude patterns of paths not to send
   */
  public record PathFilter(List<String> include, List<String> exclude) {
    /** No filter: every path. */
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    /** Copies the lists. */
    public PathFilter {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
    }

    /** Whether this filter lets every path through. */
    public boolean isAll() {
      return include.isEmpty() && exclude.isEmpty();
    }

    /** The map sent: only the non-empty lists. */
    Map<String, Object> toArgument() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (!include.isEmpty()) {
        m.put("include", include);
      }
      if (!exclude.isEmpty()) {
        m.put("exclude", exclude);
      }
      return m;
    }
  }

  /**
   * Copies the collections.
   *
   * @throws IllegalArgumentException if {@code revisions} is empty
   */
  public FilesDataRequest {
    revisions = List.copyOf(revisions);
    if (revisions.isEmpty()) {
      throw new IllegalArgumentException("filesdata needs at least one revision specifier");
    }
    fields = Set.copyOf(fields);
    Objects.requireNonNull(pathFilter, "pathFilter");
  }

  /** The file revisions of {@code revisions}' changesets, nodes only, every path, without parents. */
  public static FilesDataRequest of(RevisionSpecifier... revisions) {
    return new FilesDataRequest(List.of(revisions), false, Set.of(), PathFilter.ALL);
  }

  /** This request asking for {@code fields} instead. */
  public FilesDataRequest withFields(RevisionField... fields) {
    return new FilesDataRequest(revisions, haveParents, fields.length == 0 ? Set.of() : EnumSet.of(fields[0], fields),
        pathFilter);
  }

  /** This request with {@code haveParents}. */
  public FilesDataRequest withHaveParents(boolean haveParents) {
    return new FilesDataRequest(revisions, haveParents, fields, pathFilter);
  }

  /** This request with {@code pathFilter}. */
  public FilesDataRequest withPathFilter(PathFilter pathFilter) {
    return new FilesDataRequest(revisions, haveParents, fields, pathFilter);
  }

  /** The call: empty {@code fields}, a false {@code haveparents} and no filter are left out. */
  CommandCall toCall() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("revisions", revisions.stream().map(RevisionSpecifier::toArgument).toList());
    if (haveParents) {
      args.put("haveparents", true);
    }
    if (!fields.isEmpty()) {
      args.put("fields", RevisionField.wireNames("filesdata", fields, EnumSet.allOf(RevisionField.class)));
    }
    if (!pathFilter.isAll()) {
      args.put("pathfilter", pathFilter.toArgument());
    }
    return CommandCall.of("filesdata", args);
  }
}
