package org.hgrpc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigList#parseList} and {@link HgrcConfig#getList}: Mercurial's {@code configlist},
 * checked against the cases of Mercurial's {@code tests/test-ui-config.py} (set with {@code --config}, as that test does) and
 * the doctests of {@code parselist}.
 */
class ConfigListTest {

  static Stream<Arguments> mercurialCases() {
    return Stream.of(
        // test-ui-config.py: option as given to dispatch._parseconfig, expected configlist
        Arguments.of("lists.list1=foo", List.of("foo")),
        Arguments.of("lists.list2=foo bar baz", List.of("foo", "bar", "baz")),
        Arguments.of("lists.list3=alice, bob", List.of("alice", "bob")),
        Arguments.of("lists.list4=foo bar baz alice, bob", List.of("foo", "bar", "baz", "alice", "bob")),
        Arguments.of("lists.list5=abc d\"ef\"g \"hij def\"", List.of("abc", "d\"ef\"g", "hij def")),
        Arguments.of("lists.list6=\"hello world\", \"how are you?\"", List.of("hello world", "how are you?")),
        Arguments.of("lists.list7=Do\"Not\"Separate", List.of("Do\"Not\"Separate")),
        Arguments.of("lists.list8=\"Do\"Separate", List.of("Do", "Separate")),
        Arguments.of("lists.list9=\"Do\\\"NotSeparate\"", List.of("Do\"NotSeparate")),
        Arguments.of("lists.list10=string \"with extraneous\" quotation mark\"",
            List.of("string", "with extraneous", "quotation", "mark\"")),
        Arguments.of("lists.list11=x, y", List.of("x", "y")),
        Arguments.of("lists.list12=\"x\", \"y\"", List.of("x", "y")),
        Arguments.of("lists.list13=\"\"\" key = \"x\", \"y\" \"\"\"",
            List.of("", " key = ", "x\"", "y", "", "\"")),
        Arguments.of("lists.list14=,,,,     ", List.of()),
        Arguments.of("lists.list15=\" just with starting quotation",
            List.of("\"", "just", "with", "starting", "quotation")),
        Arguments.of("lists.list16=\"longer quotation\" with \"no ending quotation",
            List.of("longer quotation", "with", "\"no", "ending", "quotation")),
        Arguments.of("lists.list17=this is \\\" \"not a quotation mark\"",
            List.of("this", "is", "\"", "not a quotation mark")),
        Arguments.of("lists.list18=\n \n\nding\ndong", List.of("ding", "dong")),
        // the doctests of parselist / ui.configlist
        Arguments.of("foo.list1=this,is \"a small\" ,test", List.of("this", "is", "a small", "test")),
        Arguments.of("foo.list2=this, is \"a small\" , test ", List.of("this", "is", "a small", "test")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mercurialCases")
  void configlistAsMercurial(String option, List<String> expected) {
    HgrcConfig c = HgrcConfig.empty().withOverride(option);
    String name = option.substring(0, option.indexOf('='));
    String section = name.substring(0, name.indexOf('.'));
    String key = name.substring(name.indexOf('.') + 1);
    assertEquals(expected, c.getList(section, key));
  }

  @Test
  void unknownKeyIsAnEmptyList() {
    assertEquals(List.of(), HgrcConfig.empty().getList("lists", "unknown"));
  }

  @Test
  void parseListOfNullAndEmpty() {
    assertEquals(List.of(), ConfigList.parseList(null));
    assertEquals(List.of(), ConfigList.parseList(""));
    assertEquals(List.of(), ConfigList.parseList(" , \n"));
  }

  @Test
  void valuesFromAFileKeepTheirNewlinesAsSeparators() {
    HgrcConfig c = HgrcConfig.parse("[web]\nallow-push = alice,\n  bob\n  \"carol d\"\n", "t.rc", null);
    assertEquals(List.of("alice", "bob", "carol d"), c.getList("web", "allow-push"));
  }

  /** Corner cases, with the results of Mercurial's own {@code parselist} on the same input. */
  static Stream<Arguments> cornerCases() {
    return Stream.of(
        Arguments.of("\"\" a", List.of("", "a")),
        Arguments.of("\"\"", List.of("", "")),
        Arguments.of("\"\"\"", List.of("", "\"")),
        Arguments.of("a\\\"b", List.of("a\"b")),
        Arguments.of("a\\\\\"b", List.of("a\\\"b")),
        Arguments.of("\"", List.of("\"")),
        Arguments.of("\"a b\"\" c", List.of("a b", "\"", "c")),
        Arguments.of("\ta\u000bb\f", List.of("", "a", "b")),
        Arguments.of("\"a\"\nb", List.of("a", "", "b")),
        Arguments.of("\"a\"\tb", List.of("a", "", "b")),
        Arguments.of("x \"y\" \"", List.of("x", "y\"")),
        Arguments.of("\"a\",", List.of("a")),
        Arguments.of("a ,\"b c\" d", List.of("a", "b c", "d")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cornerCases")
  void cornerCasesAsMercurial(String value, List<String> expected) {
    assertEquals(expected, ConfigList.parseList(value));
  }

  @Test
  void resultIsUnmodifiable() {
    List<String> l = ConfigList.parseList("a b");
    assertThrows(UnsupportedOperationException.class, () -> l.add("c"));
  }
}
