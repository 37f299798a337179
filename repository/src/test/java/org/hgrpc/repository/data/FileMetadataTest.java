package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;
import org.junit.jupiter.api.Test;

class FileMetadataTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void copyMetadataOfARename() {
    byte[] raw = bytes("\1\ncopy: dir/b\ncopyrev: 819e258d31a5e1606629f365bb902a1b21ee4216\n\1\nb content\n");
    FileMetadata m = FileMetadata.parse(raw);
    assertEquals(ByteString.latin1("dir/b"), m.copySource());
    assertEquals(ByteString.latin1("819e258d31a5e1606629f365bb902a1b21ee4216"), m.copySourceRevision());
    assertArrayEquals(bytes("b content\n"), m.text(raw));
  }

  /** A file that itself starts with the marker is stored behind an empty block. */
  @Test
  void emptyBlockEscapesContentStartingWithTheMarker() {
    byte[] raw = bytes("\1\n\1\n\1\nreal content");
    FileMetadata m = FileMetadata.parse(raw);
    assertEquals(Map.of(), m.meta());
    assertArrayEquals(bytes("\1\nreal content"), m.text(raw));
  }

  @Test
  void plainTextHasNoMetadata() {
    FileMetadata m = FileMetadata.parse(bytes("plain\n"));
    assertNull(m.copySource());
    assertEquals(0, m.textOffset());
  }

  @Test
  void malformedBlocksAreRefused() {
    assertThrows(RepositoryException.class, () -> FileMetadata.parse(bytes("\1\ncopy: a\n")));
    assertThrows(RepositoryException.class, () -> FileMetadata.parse(bytes("\1\nno separator\n\1\n")));
  }
}
