package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

class PathFilterTest {
  private static List<ByteString> l(String... patterns) {
    return java.util.Arrays.stream(patterns).map(ByteString::latin1).toList();
  }

  private static Predicate<String> filter(List<ByteString> include, List<ByteString> exclude) {
    PathFilter f = PathFilter.of(include, exclude);
    return p -> f.matches(ByteString.latin1(p));
  }

  @Test
  void pathMatchesTheFileAndEverythingUnderIt() {
    Predicate<String> f = filter(l("path:dir"), l());
    assertTrue(f.test("dir"));
    assertTrue(f.test("dir/b"));
    assertTrue(f.test("dir/sub/c"));
    assertFalse(f.test("dir2/x"));
    assertFalse(f.test("a"));
    assertTrue(filter(l("path:dir/"), l()).test("dir/sub/c"));
    assertTrue(filter(l("path:./dir/sub"), l()).test("dir/sub/c"));
  }

  @Test
  void rootfilesinMatchesOnlyFilesDirectlyInTheDirectory() {
    Predicate<String> f = filter(l("rootfilesin:dir"), l());
    assertTrue(f.test("dir/b"));
    assertFalse(f.test("dir/sub/c"));
    assertFalse(f.test("dir"));
    Predicate<String> top = filter(l("rootfilesin:."), l());
    assertTrue(top.test("a"));
    assertFalse(top.test("dir/b"));
    assertEquals(top.test("a"), filter(l("rootfilesin:"), l()).test("a"));
  }

  @Test
  void includeThenExclude() {
    Predicate<String> f = filter(l("path:dir", "rootfilesin:."), l("path:dir/sub"));
    assertTrue(f.test("a"));
    assertTrue(f.test("dir/b"));
    assertFalse(f.test("dir/sub/c"));
    assertFalse(f.test("other/x"));
    Predicate<String> excludeOnly = filter(l(), l("rootfilesin:."));
    assertFalse(excludeOnly.test("a"));
    assertTrue(excludeOnly.test("dir/b"));
    assertTrue(PathFilter.all().matches(ByteString.latin1("anything/at/all")));
    assertTrue(filter(l("path:."), l()).test("x/y"));
  }

  @Test
  void otherPatternKindsAreRefused() {
    assertFalse(PathFilter.validPattern(ByteString.latin1("glob:*")));
    assertTrue(PathFilter.validPattern(ByteString.latin1("rootfilesin:x")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathFilter.of(l("re:.*"), l()));
    assertTrue(e.getMessage().contains("re:.*"));
  }
}
