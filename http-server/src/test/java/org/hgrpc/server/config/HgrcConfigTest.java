package org.hgrpc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HgrcConfigTest {

  @TempDir Path dir;

  private static HgrcConfig parse(String text) {
    return HgrcConfig.parse(text, "test.rc", null);
  }

  private static String parseError(String text) {
    return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  // ---- syntax ----

  @Test
  void emptyHasNoSections() {
    assertEquals(Set.of(), HgrcConfig.empty().sections());
    assertEquals(Optional.empty(), HgrcConfig.empty().get("web", "name"));
    assertEquals(Map.of(), HgrcConfig.empty().section("web"));
    assertEquals("{}", HgrcConfig.empty().toString());
  }

  @Test
  void sectionsAndItems() {
    HgrcConfig c = parse("[web]\nname = my repo\npush_ssl=false\n[hgrpc]\nmax-body-bytes =  10MB  \n");
    assertEquals(Optional.of("my repo"), c.get("web", "name"));
    assertEquals(Optional.of("false"), c.get("web", "push_ssl"));
    assertEquals(Optional.of("10MB"), c.get("hgrpc", "max-body-bytes"));
    assertEquals(Set.of("hgrpc", "web"), c.sections());
    assertEquals(List.of("hgrpc", "web"), List.copyOf(c.sections()));
    assertEquals(Map.of("name", "my repo", "push_ssl", "false"), c.section("web"));
  }

  @Test
  void valuesKeepInnerWhitespaceAndAreStrippedAtTheEnds() {
    HgrcConfig c = parse("[s]\nk =   a  b\tc   \t\nempty =\nblank =    \n");
    assertEquals(Optional.of("a  b\tc"), c.get("s", "k"));
    assertEquals(Optional.of(""), c.get("s", "empty"));
    assertEquals(Optional.of(""), c.get("s", "blank"));
  }

  @Test
  void keyIsEverythingBeforeTheFirstEqualsSign() {
    HgrcConfig c = parse("[s]\nkey with spaces = 1\na:b = 2\nx = y = z\nweb.api.http-v2 = on\n");
    assertEquals(Optional.of("1"), c.get("s", "key with spaces"));
    assertEquals(Optional.of("2"), c.get("s", "a:b"));
    assertEquals(Optional.of("y = z"), c.get("s", "x"));
    assertEquals(Optional.of("on"), c.get("s", "web.api.http-v2"));
  }

  @Test
  void colonIsNotASeparator() {
    assertEquals("parse error at test.rc:2: name: value", parseError("[web]\nname: value\n"));
  }

  @Test
  void keysAndSectionsAreCaseSensitive() {
    HgrcConfig c = parse("[Web]\nName = a\n[web]\nname = b\n");
    assertEquals(Optional.of("a"), c.get("Web", "Name"));
    assertEquals(Optional.of("b"), c.get("web", "name"));
    assertEquals(Optional.empty(), c.get("web", "Name"));
  }

  @Test
  void laterDefinitionsOverrideAndMoveToTheEnd() {
    HgrcConfig c = parse("[s]\na = 1\nb = 2\na = 3\n[t]\nx = 1\n[s]\nb = 4\n");
    assertEquals(Optional.of("3"), c.get("s", "a"));
    assertEquals(List.of("a", "b"), List.copyOf(c.section("s").keySet()));
    assertEquals(Map.of("a", "3", "b", "4"), c.section("s"));
    assertEquals(Optional.of("test.rc:8"), c.source("s", "b"));
  }

  @Test
  void itemsBeforeAnySectionGoToTheEmptySection() {
    HgrcConfig c = parse("k = v\n");
    assertEquals(Optional.of("v"), c.get("", "k"));
    assertEquals(Set.of(""), c.sections());
  }

  @Test
  void sectionHeaderIgnoresTrailingTextAndMayBeEmpty() {
    HgrcConfig c = parse("[web] trailing junk\nname = x\n[empty]\n");
    assertEquals(Optional.of("x"), c.get("web", "name"));
    assertEquals(Set.of("empty", "web"), c.sections());
    assertEquals(Map.of(), c.section("empty"));
    assertEquals(Optional.of("x"), parse("[a]b]\nname = x\n").get("a]b", "name"));
  }

  @Test
  void commentsAndBlankLines() {
    HgrcConfig c = parse("# comment\n; also a comment\n\n   \n\t\n[s]\n#k = 1\n;k = 2\nk = 3 # not a comment\n");
    assertEquals(Map.of("k", "3 # not a comment"), c.section("s"));
  }

  @Test
  void continuationLines() {
    HgrcConfig c = parse("[s]\nk = first\n  second  \n\tthird word\nother = x\n");
    assertEquals(Optional.of("first\nsecond\nthird word"), c.get("s", "k"));
    assertEquals(Optional.of("x"), c.get("s", "other"));
    assertEquals(Optional.of("test.rc:4"), c.source("s", "k"));
  }

  @Test
  void continuationOfAnEmptyValue() {
    assertEquals(Optional.of("\na\nb"), parse("[s]\nk =\n a\n b\n").get("s", "k"));
  }

  @Test
  void commentLinesInsideAContinuationAreSkipped() {
    HgrcConfig c = parse("[s]\nk = a\n# comment\n; comment\n b\n");
    assertEquals(Optional.of("a\nb"), c.get("s", "k"));
  }

  @Test
  void indentedCommentInsideAContinuationIsPartOfTheValueAsInMercurial() {
    assertEquals(Optional.of("a\n# b"), parse("[s]\nk = a\n  # b\n").get("s", "k"));
  }

  @Test
  void blankLineEndsAContinuation() {
    assertEquals("parse error at test.rc:4:  b", parseError("[s]\nk = a\n\n b\n"));
  }

  @Test
  void indentedLineWithoutAPrecedingItemIsAnError() {
    assertEquals("parse error at test.rc:2:   k = v", parseError("[s]\n  k = v\n"));
    assertEquals("parse error at test.rc:3:   more", parseError("[s]\n%unset k\n  more\n"));
  }

  @Test
  void malformedLinesNameSourceAndLine() {
    assertEquals("parse error at test.rc:3: just words", parseError("[s]\nk = v\njust words   \n"));
    assertEquals("parse error at test.rc:1: = value", parseError("= value\n"));
    assertEquals("parse error at test.rc:1: [unclosed", parseError("[unclosed\n"));
    assertEquals("parse error at test.rc:2: %include", parseError("[s]\n%include\n"));
    assertEquals("parse error at test.rc:2: %unset", parseError("[s]\n%unset   \n"));
  }

  @Test
  void lineEndingsCrLfAndCr() {
    HgrcConfig c = parse("[s]\r\na = 1\r\nb = 2\rc = 3\r\n  more\r\n");
    assertEquals(Map.of("a", "1", "b", "2", "c", "3\nmore"), c.section("s"));
  }

  @Test
  void byteOrderMarkOnTheFirstLineIsSkipped() {
    assertEquals(Optional.of("v"), parse("\ufeff[s]\nk = v\n").get("s", "k"));
    assertEquals(Optional.of("v"), parse("[s]\n\ufeffk = v\n").get("s", "\ufeffk"));
  }

  @Test
  void noTrailingNewline() {
    assertEquals(Optional.of("v"), parse("[s]\nk = v").get("s", "k"));
  }

  @Test
  void unsetRemovesAKeyOfTheCurrentSection() {
    HgrcConfig c = parse("[s]\na = 1\nb = 2\n[t]\na = 3\n[s]\n%unset a\n%unset missing\n");
    assertEquals(Map.of("b", "2"), c.section("s"));
    assertEquals(Optional.of("3"), c.get("t", "a"));
  }

  @Test
  void unsetThenSetAgain() {
    assertEquals(Optional.of("2"), parse("[s]\na = 1\n%unset a\na = 2\n").get("s", "a"));
  }

  @Test
  void unsetIgnoresTrailingText() {
    assertEquals(Map.of(), parse("[s]\na = 1\n%unset a trailing\n").section("s"));
  }

  @Test
  void sourceOfValues() {
    HgrcConfig c = parse("[s]\na = 1\n");
    assertEquals(Optional.of("test.rc:2"), c.source("s", "a"));
    assertEquals(Optional.empty(), c.source("s", "b"));
    assertEquals(Optional.of("--config"), c.withOverride("s.a=2").source("s", "a"));
    assertEquals(Optional.empty(), c.withValue("s", "a", "2").source("s", "a"));
  }

  // ---- files and includes ----

  @Test
  void loadReadsAFile() throws IOException {
    Path f = write("hgrc", "[web]\nname = x\n");
    HgrcConfig c = HgrcConfig.load(f);
    assertEquals(Optional.of("x"), c.get("web", "name"));
    assertEquals(Optional.of(f + ":2"), c.source("web", "name"));
  }

  @Test
  void loadMissingFile() {
    Path f = dir.resolve("nope");
    assertEquals("cannot read " + f + " (No such file or directory)",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(f)).getMessage());
  }

  @Test
  void loadDirectory() {
    assertEquals("cannot read " + dir + " (Is a directory)",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(dir)).getMessage());
  }

  @Test
  void loadInvalidUtf8() throws IOException {
    Path f = dir.resolve("latin1");
    Files.write(f, new byte[] {'[', 's', ']', '\n', 'k', '=', (byte) 0xe9, '\n'});
    assertEquals("cannot read " + f + " (not valid UTF-8)",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(f)).getMessage());
  }

  @Test
  void loadMalformedFileNamesFileAndLine() throws IOException {
    Path f = write("hgrc", "[web]\nname = x\nthis is wrong\n");
    assertEquals("parse error at " + f + ":3: this is wrong",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(f)).getMessage());
  }

  @Test
  void includeIsRelativeToTheIncludingFile() throws IOException {
    write("conf/common.rc", "[web]\nallow-push = alice\ndeny_push = mallory\n");
    Path main = write("conf/hgrc", "[web]\nname = main\n%include common.rc\ndeny_push = \n");
    HgrcConfig c = HgrcConfig.load(main);
    assertEquals(Map.of("name", "main", "allow-push", "alice", "deny_push", ""), c.section("web"));
    assertEquals(Optional.of(dir.resolve("conf/common.rc") + ":2"), c.source("web", "allow-push"));
  }

  @Test
  void nestedIncludesResolveAgainstTheirOwnDirectory() throws IOException {
    write("a/b/leaf.rc", "[s]\nleaf = 1\n");
    write("a/mid.rc", "%include b/leaf.rc\n[s]\nmid = 1\n");
    Path top = write("top.rc", "%include a/mid.rc\n[s]\ntop = 1\n");
    assertEquals(Map.of("leaf", "1", "mid", "1", "top", "1"), HgrcConfig.load(top).section("s"));
  }

  @Test
  void includedFileStartsInTheEmptySectionAndLeavesOursAlone() throws IOException {
    write("inc.rc", "k = included\n[other]\nx = 1\n");
    Path main = write("main.rc", "[web]\n%include inc.rc\nname = after\n");
    HgrcConfig c = HgrcConfig.load(main);
    assertEquals(Optional.of("included"), c.get("", "k"));
    assertEquals(Optional.of("after"), c.get("web", "name"));
    assertEquals(Optional.empty(), c.get("other", "name"));
  }

  @Test
  void laterDefinitionsOverrideIncludedOnesAndViceVersa() throws IOException {
    write("inc.rc", "[s]\na = included\nb = included\n");
    Path main = write("main.rc", "[s]\na = main\n%include inc.rc\nb = main\n");
    assertEquals(Map.of("a", "included", "b", "main"), HgrcConfig.load(main).section("s"));
  }

  @Test
  void unsetInAnIncludedFileRemovesOurValue() throws IOException {
    write("inc.rc", "[s]\n%unset a\n");
    Path main = write("main.rc", "[s]\na = 1\nb = 2\n%include inc.rc\n");
    assertEquals(Map.of("b", "2"), HgrcConfig.load(main).section("s"));
  }

  @Test
  void includeWithAbsolutePathAndTrailingSpace() throws IOException {
    Path inc = write("elsewhere/inc.rc", "[s]\nk = v\n");
    Path main = write("main.rc", "%include " + inc + "   \n");
    assertEquals(Optional.of("v"), HgrcConfig.load(main).get("s", "k"));
  }

  @Test
  void includeWithSpacesInThePath() throws IOException {
    write("my dir/inc.rc", "[s]\nk = v\n");
    Path main = write("main.rc", "%include my dir/inc.rc\n");
    assertEquals(Optional.of("v"), HgrcConfig.load(main).get("s", "k"));
  }

  @Test
  void includeFromParsedTextUsesTheBaseDirectory() throws IOException {
    write("inc.rc", "[s]\nk = v\n");
    assertEquals(Optional.of("v"), HgrcConfig.parse("%include inc.rc\n", "<text>", dir).get("s", "k"));
  }

  @Test
  void includeExpandsTildeAndVariables() throws IOException {
    write("home/inc.rc", "[s]\nk = home\n");
    write("vars/inc.rc", "[s]\nv = vars\n");
    Function<String, String> env = Map.of("HOME", dir.resolve("home").toString(), "CONFDIR",
        dir.resolve("vars").toString())::get;
    String text = "%include ~/inc.rc\n%include $CONFDIR/inc.rc\n%include ${CONFDIR}/inc.rc\n";
    HgrcConfig c = HgrcConfig.parse(text, "<text>", dir, env);
    assertEquals(Map.of("k", "home", "v", "vars"), c.section("s"));
  }

  @Test
  void unknownVariablesAreLeftAsTheyAre() throws IOException {
    write("$NOPE/inc.rc", "[s]\nk = literal\n");
    HgrcConfig c = HgrcConfig.parse("%include $NOPE/inc.rc\n", "<text>", dir, name -> null);
    assertEquals(Optional.of("literal"), c.get("s", "k"));
  }

  @Test
  void expandPath() {
    HgrcParser p = new HgrcParser(new HgrcConfigBuilder(), Map.of("HOME", "/home/u/", "A", "x")::get);
    assertEquals("/home/u", p.expandPath("~"));
    assertEquals("/home/u/f", p.expandPath("~/f"));
    assertEquals("~other/f", p.expandPath("~other/f"));
    assertEquals("a/~/f", p.expandPath("a/~/f"));
    assertEquals("x/x/$B/${}/$", p.expandPath("$A/${A}/$B/${}/$"));
    HgrcParser root = new HgrcParser(new HgrcConfigBuilder(), Map.of("HOME", "/")::get);
    assertEquals("/", root.expandPath("~"));
    assertEquals("/f", root.expandPath("~/f"));
  }

  @Test
  void missingIncludeIsAnErrorNamingFileAndLine() throws IOException {
    Path main = write("main.rc", "[s]\nk = v\n%include missing.rc\n");
    assertEquals("parse error at " + main + ":3: cannot include " + dir.resolve("missing.rc")
        + " (No such file or directory)",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(main)).getMessage());
  }

  @Test
  void missingIncludeFromParsedText() {
    assertEquals("parse error at <text>:1: cannot include " + dir.resolve("missing.rc")
        + " (No such file or directory)",
        assertThrows(ConfigException.class,
            () -> HgrcConfig.parse("%include missing.rc", "<text>", dir)).getMessage());
  }

  @Test
  void includeOfAnInvalidPath() {
    assertEquals("parse error at <text>:2: cannot include a\0b (invalid path: Nul character not allowed)",
        assertThrows(ConfigException.class, () -> HgrcConfig.parse("[s]\n%include a\0b\n", "<text>", dir))
            .getMessage());
  }

  @Test
  void includingADirectoryIsAnError() throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    Path main = write("main.rc", "%include sub\n");
    assertEquals("parse error at " + main + ":1: cannot include " + dir.resolve("sub") + " (Is a directory)",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(main)).getMessage());
  }

  @Test
  void errorInsideAnIncludedFileNamesThatFile() throws IOException {
    Path inc = write("inc.rc", "[s]\n\nbroken\n");
    Path main = write("main.rc", "%include inc.rc\n");
    assertEquals("parse error at " + inc + ":3: broken",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(main)).getMessage());
  }

  @Test
  void selfIncludeIsACycle() throws IOException {
    Path main = write("main.rc", "[s]\n%include main.rc\n");
    assertEquals("parse error at " + main + ":2: cannot include " + main + " (include cycle: " + main
        + " -> " + main + ")",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(main)).getMessage());
  }

  @Test
  void indirectIncludeCycle() throws IOException {
    Path a = write("a.rc", "%include b.rc\n");
    Path b = write("b.rc", "[s]\nk = v\n%include ./a.rc\n");
    assertEquals("parse error at " + b + ":3: cannot include " + a + " (include cycle: " + a + " -> " + b
        + " -> " + a + ")",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(a)).getMessage());
  }

  @Test
  void cycleThroughParsedText() throws IOException {
    Path a = write("a.rc", "%include b.rc\n");
    Path b = write("b.rc", "%include a.rc\n");
    assertEquals("parse error at " + b + ":1: cannot include " + a + " (include cycle: " + a + " -> " + b
        + " -> " + a + ")",
        assertThrows(ConfigException.class, () -> HgrcConfig.parse("%include a.rc\n", "<text>", dir))
            .getMessage());
  }

  @Test
  void cycleThroughASymbolicLink() throws IOException {
    Path a = write("a.rc", "%include link.rc\n");
    Path link = dir.resolve("link.rc");
    try {
      Files.createSymbolicLink(link, a.getFileName());
    } catch (UnsupportedOperationException | IOException e) {
      Assumptions.abort("no symbolic links here: " + e);
    }
    assertEquals("parse error at " + a + ":1: cannot include " + link + " (include cycle: " + a + " -> "
        + link + ")",
        assertThrows(ConfigException.class, () -> HgrcConfig.load(a)).getMessage());
  }

  @Test
  void includingTheSameFileTwiceIsNotACycle() throws IOException {
    write("inc.rc", "[s]\nk = v\n");
    Path main = write("main.rc", "%include inc.rc\n[s]\nk = w\n%include inc.rc\n");
    assertEquals(Optional.of("v"), HgrcConfig.load(main).get("s", "k"));
  }

  // ---- --config and layering ----

  @Test
  void withOverrideSetsAValue() {
    HgrcConfig base = parse("[web]\nname = a\n");
    HgrcConfig c = base.withOverride("web.name=b");
    assertEquals(Optional.of("b"), c.get("web", "name"));
    assertEquals(Optional.of("a"), base.get("web", "name"));
  }

  @Test
  void withOverrideSplitsAtTheFirstDotAndFirstEquals() {
    HgrcConfig c = HgrcConfig.empty()
        .withOverride("experimental.web.api.http-v2=true")
        .withOverride("  s.k =  a = b  ")
        .withOverride("s.empty=");
    assertEquals(Optional.of("true"), c.get("experimental", "web.api.http-v2"));
    assertEquals(Optional.of("a = b"), c.get("s", "k"));
    assertEquals(Optional.of(""), c.get("s", "empty"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"novalue", "nodot=1", ".key=1", "section.=1", "=", "", " .k=v", "s.  =v"})
  void malformedOverride(String option) {
    assertEquals("malformed --config option: '" + option + "' (use --config section.name=value)",
        assertThrows(ConfigException.class, () -> HgrcConfig.empty().withOverride(option)).getMessage());
  }

  @Test
  void overriddenByReplacesAndAdds() {
    HgrcConfig first = parse("[s]\na = 1\nb = 2\n[t]\nx = 1\n");
    HgrcConfig later = HgrcConfig.parse("[s]\nb = 3\nc = 4\n[empty]\n", "later.rc", null);
    HgrcConfig c = first.overriddenBy(later);
    assertEquals(Map.of("a", "1", "b", "3", "c", "4"), c.section("s"));
    assertEquals(List.of("a", "b", "c"), List.copyOf(c.section("s").keySet()));
    assertEquals(Set.of("empty", "s", "t"), c.sections());
    assertEquals(Optional.of("later.rc:2"), c.source("s", "b"));
    assertEquals(Map.of("a", "1", "b", "2"), first.section("s"));
  }

  @Test
  void overriddenByAppliesTheLaterUnsets() {
    HgrcConfig first = parse("[s]\na = 1\nb = 2\nc = 3\n");
    HgrcConfig later = parse("[s]\n%unset a\nb = 5\n%unset b\n%unset c\nc = 6\n");
    assertEquals(Map.of("c", "6"), first.overriddenBy(later).section("s"));
  }

  @Test
  void overriddenByIsAssociative() {
    HgrcConfig a = parse("[s]\nk = a\nj = a\n");
    HgrcConfig b = parse("[s]\n%unset k\n");
    HgrcConfig c = parse("[s]\nj = c\n");
    assertEquals(a.overriddenBy(b).overriddenBy(c).section("s"), a.overriddenBy(b.overriddenBy(c)).section("s"));
    assertEquals(Map.of("j", "c"), a.overriddenBy(b.overriddenBy(c)).section("s"));
  }

  @Test
  void overriddenByEmptyIsTheSame() {
    HgrcConfig a = parse("[s]\nk = a\n");
    assertSame(a, a.overriddenBy(HgrcConfig.empty()));
  }

  @Test
  void viewsAreUnmodifiable() {
    HgrcConfig c = parse("[s]\nk = v\n");
    assertThrows(UnsupportedOperationException.class, () -> c.section("s").put("x", "y"));
    assertThrows(UnsupportedOperationException.class, () -> c.sections().add("x"));
    assertEquals("{s={k=v}}", c.toString());
  }

  // ---- conversions ----

  @ParameterizedTest
  @ValueSource(strings = {"1", "yes", "true", "on", "always", "YES", "True", "oN", "ALWAYS"})
  void trueValues(String v) {
    assertTrue(HgrcConfig.empty().withValue("s", "k", v).getBool("s", "k", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "no", "false", "off", "never", "NO", "False", "OFF", "Never"})
  void falseValues(String v) {
    assertFalse(HgrcConfig.empty().withValue("s", "k", v).getBool("s", "k", true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "maybe", "2", "y", "t", "enabled"})
  void notBooleans(String v) {
    HgrcConfig c = HgrcConfig.empty().withValue("s", "k", v);
    assertEquals("s.k is not a boolean ('" + v + "')",
        assertThrows(ConfigException.class, () -> c.getBool("s", "k", true)).getMessage());
  }

  @Test
  void boolDefaultWhenMissing() {
    assertTrue(HgrcConfig.empty().getBool("s", "k", true));
    assertFalse(HgrcConfig.empty().getBool("s", "k", false));
  }

  @Test
  void boolAsInMercurialsTest() {
    HgrcConfig c = HgrcConfig.empty().withOverride("values.string=string value")
        .withOverride("values.bool1=true").withOverride("values.bool2=false");
    assertEquals("values.string is not a boolean ('string value')",
        assertThrows(ConfigException.class, () -> c.getBool("values", "string", false)).getMessage());
    assertTrue(c.getBool("values", "bool1", false));
    assertFalse(c.getBool("values", "bool2", false));
    assertFalse(c.getBool("values", "bool2", true));
    assertFalse(c.getBool("values", "unknown", false));
    assertTrue(c.getBool("values", "unknown", true));
  }

  @Test
  void ints() {
    HgrcConfig c = HgrcConfig.empty().withOverride("values.int1=42").withOverride("values.int2=-42")
        .withValue("values", "plus", "+7").withValue("values", "max", "2147483647");
    assertEquals(42, c.getInt("values", "int1", 0));
    assertEquals(-42, c.getInt("values", "int2", 0));
    assertEquals(7, c.getInt("values", "plus", 0));
    assertEquals(Integer.MAX_VALUE, c.getInt("values", "max", 0));
    assertEquals(5, c.getInt("values", "unknown", 5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "", "1.5", "0x10", "2147483648", "1 2", "10k"})
  void notInts(String v) {
    HgrcConfig c = HgrcConfig.empty().withValue("values", "intinvalid", v);
    assertEquals("values.intinvalid is not a valid integer ('" + v + "')",
        assertThrows(ConfigException.class, () -> c.getInt("values", "intinvalid", 0)).getMessage());
  }

  @Test
  void bytesAsInMercurialsDoctests() {
    assertEquals(30, bytes("30"));
    assertEquals(2252, bytes("2.2kb"));
    assertEquals(6291456, bytes("6M"));
    assertEquals(42, bytes("42"));
    assertEquals(43520, bytes("42.5 kb"));
  }

  @Test
  void bytesUnits() {
    assertEquals(10L << 20, bytes("10MB"));
    assertEquals(10L << 20, bytes("10mb"));
    assertEquals(10L << 20, bytes("10 m"));
    assertEquals(1L << 30, bytes("1 GB"));
    assertEquals(3L << 30, bytes("3g"));
    assertEquals(512L << 10, bytes("512k"));
    assertEquals(512L << 10, bytes("512 Kb"));
    assertEquals(5, bytes("5b"));
    assertEquals(5, bytes("5 B"));
    assertEquals(1536, bytes("1.5k"));
    assertEquals(512, bytes(".5k"));
    assertEquals(1024, bytes("1.k"));
    assertEquals(1000L << 10, bytes("1e3k"));
    assertEquals(-1024, bytes("-1k"));
    assertEquals(8589934591L << 30, bytes("8589934591g"));
    assertEquals(Long.MAX_VALUE, bytes("9223372036854775807"));
  }

  @Test
  void bytesDefaultWhenMissing() {
    assertEquals(77, HgrcConfig.empty().getBytes("s", "k", 77));
  }

  @ParameterizedTest
  @ValueSource(strings = {"somevalue", "", "1.5", "k", "mb", "1 2k", "1x", "0x10", "inf", "nanb", "1e3",
      "10tb", "1d", "9223372036854775808", "8589934592gb", "1kbb"})
  void notBytes(String v) {
    HgrcConfig c = HgrcConfig.empty().withValue("foo", "invalid", v);
    assertEquals("foo.invalid is not a byte quantity ('" + v + "')",
        assertThrows(ConfigException.class, () -> c.getBytes("foo", "invalid", 0)).getMessage());
  }

  private static long bytes(String v) {
    return HgrcConfig.empty().withValue("s", "k", v).getBytes("s", "k", -1);
  }
}
