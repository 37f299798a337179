package org.hgrpc.client;

import java.util.Map;

/**
 * The first value of a data command's response: the totals announced before the items, e.g.
 * for a progress bar. {@code changesetdata}, {@code manifestdata} and {@code filedata} send
 * {@code totalitems}; {@code filesdata} {@code totalpaths} and {@code totalitems};
 * {@code rawstorefiledata} {@code filecount} and {@code totalsize}.
 *
 * @param values every integer of the header map, by key
 */
public record DataHeader(Map<String, Long> values) {

  /** Copies the map. */
  public DataHeader {
    values = Map.copyOf(values);
  }

  /** {@code totalitems}: how many revisions the server is going to send. */
  public long totalItems() {
    return get("totalitems");
  }

  /** {@code totalpaths} of {@code filesdata}: how many paths. */
  public long totalPaths() {
    return get("totalpaths");
  }

  /** {@code filecount} of {@code rawstorefiledata}: how many files. */
  public long fileCount() {
    return get("filecount");
  }

  /** {@code totalsize} of {@code rawstorefiledata}: the bytes of all files. */
  public long totalSize() {
    return get("totalsize");
  }

  /**
   * The value of {@code key}.
   *
   * @throws IllegalStateException if this command's header has no such value
   */
  public long get(String key) {
    Long v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("the header has no " + key + "; it has " + values.keySet());
    }
    return v;
  }
}
