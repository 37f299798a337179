package org.hgrpc.client;

import java.util.Locale;

/** The sets of store files {@code rawstorefiledata} sends (its {@code files} argument). */
public enum RawStoreFileSet {
  /** The changelog's revlog files ({@code 00changelog.*}). */
  CHANGELOG,
  /** The root manifest's revlog files ({@code 00manifest.*}). */
  MANIFESTLOG;

  /** The name on the wire, e.g. {@code changelog}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
