package org.hgrpc.repository.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;

/**
 * The working directory's parents, from the head of {@code .hg/dirstate}: two 20-byte nodes
 * (format v1), or after the {@code dirstate-v2\n} marker two 32-byte fields holding them.
 *
 * @param p1 the first parent (the null node when there is no working directory state)
 * @param p2 the second parent (the null node unless merging)
 */
public record Dirstate(ByteString p1, ByteString p2) {
  private static final byte[] V2_MARKER = "dirstate-v2\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

  /** Reads the parents from {@code file}. */
  public static Dirstate read(Path file) {
    byte[] head = new byte[V2_MARKER.length + 64];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
        n += r;
      }
    } catch (NoSuchFileException e) {
      return new Dirstate(Nodes.NULL, Nodes.NULL);
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (n == 0) {
      return new Dirstate(Nodes.NULL, Nodes.NULL);
    }
    if (n >= V2_MARKER.length + 64 && Arrays.equals(head, 0, V2_MARKER.length, V2_MARKER, 0, V2_MARKER.length)) {
      return new Dirstate(ByteString.copyOf(head, V2_MARKER.length, 20), ByteString.copyOf(head, V2_MARKER.length + 32, 20));
    }
    if (n < 40) {
      throw new RepositoryException(file + ": working directory state appears damaged!");
    }
    return new Dirstate(ByteString.copyOf(head, 0, 20), ByteString.copyOf(head, 20, 20));
  }
}
