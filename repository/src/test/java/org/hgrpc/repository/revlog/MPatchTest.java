package org.hgrpc.repository.revlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.hgrpc.repository.RepositoryException;
import org.junit.jupiter.api.Test;

class MPatchTest {
  private static String apply(String base, byte[]... fragments) {
    java.io.ByteArrayOutputStream d = new java.io.ByteArrayOutputStream();
    for (byte[] f : fragments) {
      d.writeBytes(f);
    }
    return new String(MPatch.apply(base.getBytes(StandardCharsets.UTF_8), d.toByteArray(), "test"),
        StandardCharsets.UTF_8);
  }

  @Test
  void appliesFragmentsInOrder() {
    assertEquals("abXdeYZ", apply("abcdefg", RevlogBuilder.delta(2, 3, "X"), RevlogBuilder.delta(5, 7, "YZ")));
    assertEquals("start", apply("", RevlogBuilder.delta(0, 0, "start")));
    assertEquals("same", apply("same"));
  }

  @Test
  void refusesFragmentsOutOfOrderOrRange() {
    assertThrows(RepositoryException.class, () -> apply("abc", RevlogBuilder.delta(2, 5, "X")));
    assertThrows(RepositoryException.class,
        () -> apply("abcdef", RevlogBuilder.delta(3, 4, "X"), RevlogBuilder.delta(1, 2, "Y")));
    assertThrows(RepositoryException.class, () -> apply("abc", new byte[] {0, 0, 0}));
  }
}
