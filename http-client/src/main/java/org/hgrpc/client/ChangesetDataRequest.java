package org.hgrpc.client;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of {@code changesetdata}: which changesets ({@code revisions}) and what of
 * each ({@code fields}; the node alone when empty).
 *
 * <pre>{@code
 * ChangesetDataRequest.of(RevisionSpecifier.dagRange(List.of(), heads))
 *     .withFields(ChangesetField.PARENTS, ChangesetField.REVISION)
 * }</pre>
 *
 * @param revisions the revision specifiers, at least one
 * @param fields the fields to send
 */
public record ChangesetDataRequest(List<RevisionSpecifier> revisions, Set<ChangesetField> fields) {

  /**
   * Copies the collections.
   *
   * @throws IllegalArgumentException if {@code revisions} is empty
   */
  public ChangesetDataRequest {
    revisions = List.copyOf(revisions);
    if (revisions.isEmpty()) {
      throw new IllegalArgumentException("changesetdata needs at least one revision specifier");
    }
    fields = Set.copyOf(fields);
  }

  /** The changesets of {@code revisions}, nodes only. */
  public static ChangesetDataRequest of(RevisionSpecifier... revisions) {
    return new ChangesetDataRequest(List.of(revisions), Set.of());
  }

  /** This request asking for {@code fields} instead. */
  public ChangesetDataRequest withFields(ChangesetField... fields) {
    return new ChangesetDataRequest(revisions, fields.length == 0 ? Set.of() : EnumSet.of(fields[0], fields));
  }

  /** The call: {@code fields} is left out when empty, as Mercurial's client does. */
  CommandCall toCall() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("revisions", revisions.stream().map(RevisionSpecifier::toArgument).toList());
    if (!fields.isEmpty()) {
      args.put("fields", ChangesetField.wireNames(fields));
    }
    return CommandCall.of("changesetdata", args);
  }
}
