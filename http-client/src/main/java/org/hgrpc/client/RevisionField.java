package org.hgrpc.client;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code manifestdata}, {@code filedata} and {@code filesdata} send of each revision
 * besides its node (their {@code fields} argument). Which fields each command takes is in its
 * request's documentation.
 */
public enum RevisionField {
  /** The two parent nodes. */
  PARENTS,
  /** The revision's data: a full text, or a delta against a base the response names. */
  REVISION,
  /** The changeset a file revision belongs to ({@code filedata}, {@code filesdata}). */
  LINKNODE,
  /**
   * Advertised by {@code filesdata} ({@code firstchangeset}); Mercurial 4.8 accepts it and sends
   * nothing for it.
   */
  FIRSTCHANGESET;

  /** The name on the wire, e.g. {@code linknode}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The {@code fields} argument of {@code fields} for {@code command}, which takes only
   * {@code allowed}.
   *
   * @throws IllegalArgumentException naming a field {@code command} does not take
   */
  static Set<String> wireNames(String command, Set<RevisionField> fields, Set<RevisionField> allowed) {
    Set<String> out = new LinkedHashSet<>();
    for (RevisionField f : fields) {
      if (!allowed.contains(f)) {
        throw new IllegalArgumentException(command + " does not take the field " + f.wireName() + "; it takes "
            + allowed.stream().map(RevisionField::wireName).toList());
      }
      out.add(f.wireName());
    }
    return out;
  }
}
