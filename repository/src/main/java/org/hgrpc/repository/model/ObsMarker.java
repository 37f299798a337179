package org.hgrpc.repository.model;

import java.util.List;
import org.hgrpc.core.ByteString;

/**
 * One obsolescence marker: {@code predecessor} was rewritten into {@code successors} (none: it
 * was pruned).
 *
 * @param predecessor the obsoleted node
 * @param successors its successors
 * @param flags marker flags ({@code bumpedfix} is 1)
 * @param metadata key/value pairs, in stored order
 * @param date seconds since the epoch
 * @param timezone offset in seconds
 * @param parents the predecessor's parents when recorded (pruned markers), or {@code null}
 */
public record ObsMarker(ByteString predecessor, List<ByteString> successors, int flags,
    List<java.util.Map.Entry<ByteString, ByteString>> metadata, double date, int timezone, List<ByteString> parents) {

  /** Copies the lists. */
  public ObsMarker {
    successors = List.copyOf(successors);
    metadata = List.copyOf(metadata);
    parents = parents == null ? null : List.copyOf(parents);
  }
}
