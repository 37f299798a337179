package org.hgrpc.client;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** What {@code changesetdata} sends of each changeset besides its node (its {@code fields} argument). */
public enum ChangesetField {
  /** The bookmarks on the changeset, and after the changesets the other bookmarked nodes. */
  BOOKMARKS,
  /** The two parent nodes. */
  PARENTS,
  /** The phase ({@code public}, {@code draft}, ...). */
  PHASE,
  /** The raw changeset text. */
  REVISION;

  /** The name on the wire, e.g. {@code revision}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@code fields} argument of {@code fields}: a set of wire names. */
  static Set<String> wireNames(Set<ChangesetField> fields) {
    Set<String> out = new LinkedHashSet<>();
    fields.forEach(f -> out.add(f.wireName()));
    return out;
  }
}
