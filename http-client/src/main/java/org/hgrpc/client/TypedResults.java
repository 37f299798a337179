package org.hgrpc.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;

/**
 * The conversions behind {@link RepositoryCommands}: from the value a Mercurial
 * command answers with (as {@code wireprotocolv2.txt} defines it) to plain Java types, with a
 * {@link ProtocolErrorException} naming the command when the value has another shape.
 */
final class TypedResults {
  private TypedResults() {}

  /** {@code heads}: a list of nodes. */
  static List<Node> heads(Object value) {
    return Values.nodes(value, "heads");
  }

  /**
   * {@code known}: a byte string with one byte per node asked about. Mercurial sends the ASCII
   * digits {@code '1'} and {@code '0'}; the bytes 1 and 0 are accepted too, since the
   * specification only says "a 0 or 1".
   */
  static List<Boolean> known(Object value, int nodes) {
    ByteString b = Values.bytes(value, "known");
    if (b.size() != nodes) {
      throw new ProtocolErrorException("known: asked about " + nodes + " nodes but got " + b.size() + " answers: " + b);
    }
    List<Boolean> out = new ArrayList<>(nodes);
    for (int i = 0; i < b.size(); i++) {
      int c = b.byteAt(i);
      if (c == '1' || c == 1) {
        out.add(true);
      } else if (c == '0' || c == 0) {
        out.add(false);
      } else {
        throw new ProtocolErrorException("known: answer " + i + " is neither 0 nor 1: " + b);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code listkeys}: a map of byte strings to byte strings. */
  static Map<ByteString, ByteString> listkeys(Object value) {
    Map<ByteString, ByteString> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : Values.map(value, "listkeys").entrySet()) {
      out.put(Values.bytes(e.getKey(), "listkeys key"), Values.bytes(e.getValue(), "listkeys value"));
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code lookup}: one node. */
  static Node lookup(Object value) {
    return Values.node(value, "lookup");
  }

  /** {@code branchmap}: branch names to their head nodes. */
  static Map<ByteString, List<Node>> branchmap(Object value) {
    Map<ByteString, List<Node>> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : Values.map(value, "branchmap").entrySet()) {
      ByteString branch = Values.bytes(e.getKey(), "branchmap branch name");
      out.put(branch, Values.nodes(e.getValue(), "branchmap heads of " + branch.utf8()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code pushkey}: whether the key was set. */
  static boolean pushkey(Object value) {
    return Values.bool(value, "pushkey");
  }
}
