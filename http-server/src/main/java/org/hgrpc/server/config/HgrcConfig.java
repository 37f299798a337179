package org.hgrpc.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An immutable Mercurial-style configuration: sections of {@code key = value} items, read from
 * hgrc files exactly as Mercurial's {@code config.py} reads them, with Mercurial's value
 * conversions.
 *
 * <h2>File syntax</h2>
 *
 * <pre>
 * # a comment; so is a line starting with ';'
 * [web]
 * name = my repository        &lt;- key "name", value "my repository" (stripped at both ends)
 * allow-push = alice,
 *   bob                       &lt;- continuation: value "alice,\nbob"
 * %include ../common.rc       &lt;- relative to this file's directory; ~ and $VAR expanded
 * %unset name                 &lt;- removes web.name, here and from configurations this one overrides
 * </pre>
 *
 * <ul>
 *   <li>A line {@code [name]} starts a section (anything after the closing bracket is ignored,
 *       as in Mercurial); items before any section header go to the section {@code ""}.
 *   <li>{@code key = value}: only {@code =} separates (a {@code :} is part of the key); the key
 *       is everything before the first {@code =}, cannot start with whitespace and is
 *       case-sensitive; key and value are stripped of ASCII whitespace. A later definition
 *       replaces an earlier one.
 *   <li>A line starting with whitespace right after an item continues its value: its stripped
 *       text is appended after a {@code "\n"}. Comment lines inside a continued value are skipped;
 *       a blank line ends it. An indented line anywhere else is an error.
 *   <li>Lines starting with {@code #} or {@code ;} and blank lines are ignored; a UTF-8 byte order
 *       mark on the first line is skipped; lines end at {@code \n}, {@code \r\n} or {@code \r}.
 *   <li>{@code %include path} reads another file in place, starting in section {@code ""};
 *       the including file's current section is unchanged afterwards. The path has
 *       {@code $VAR}, {@code ${VAR}} and a leading {@code ~} expanded, and is relative to the
 *       directory of the including file. <b>Unlike Mercurial</b>, which silently skips an
 *       include file that does not exist, a missing include file is an error: a server should not
 *       quietly run without, say, its {@code deny_push} list. Include cycles are errors too.
 *   <li>{@code %unset key} removes {@code key} from the current section.
 *   <li>Anything else is an error: {@code parse error at FILE:LINE: LINE-TEXT}.
 * </ul>
 *
 * <p>Files are read as UTF-8.
 *
 * <h2>Values</h2>
 *
 * {@link #get} returns the raw string; {@link #getBool}, {@link #getInt}, {@link #getBytes}
 * and {@link #getList} convert like Mercurial's {@code configbool}, {@code configint},
 * {@code configbytes} and {@code configlist} (the conversions are {@link ConfigValues} and
 * {@link ConfigList}), and throw a {@link ConfigException} with Mercurial's message for a value
 * that does not convert.
 *
 * <p>The file syntax is {@link HgrcParser}'s; parsing and combining write into a mutable {@link
 * HgrcConfigBuilder}, Mercurial's {@code config} object.
 *
 * <p>Instances are immutable and thread-safe; {@link #withOverride}, {@link #withValue} and
 * {@link #overriddenBy} return new configurations.
 */
public final class HgrcConfig {
  private static final HgrcConfig EMPTY = new HgrcConfig(new LinkedHashMap<>(), new ArrayList<>());

  /** One value and where it was set ({@code FILE:LINE}, {@code --config}, or null). */
  record Entry(String value, String source) {}

  /** A section and key, for the list of {@code %unset} items. */
  record Item(String section, String key) {}

  private final Map<String, Map<String, Entry>> data;
  private final List<Item> unsets;

  /** Copies {@code data} and {@code unsets}: only {@link HgrcConfigBuilder#build} calls this. */
  HgrcConfig(Map<String, LinkedHashMap<String, Entry>> data, List<Item> unsets) {
    Map<String, Map<String, Entry>> copy = new LinkedHashMap<>();
    data.forEach((s, items) -> copy.put(s, Collections.unmodifiableMap(new LinkedHashMap<>(items))));
    this.data = Collections.unmodifiableMap(copy);
    this.unsets = List.copyOf(unsets);
  }

  /**
   * The configuration without any section.
   *
   * @return the empty configuration
   */
  public static HgrcConfig empty() {
    return EMPTY;
  }

  /**
   * Parses hgrc text.
   *
   * @param text the file's content
   * @param sourceName the name used in error messages and {@link #source}, e.g. a file name
   * @param baseDirForIncludes the directory relative {@code %include} paths are resolved against;
   *     null for the current working directory (as Mercurial does for a source without a
   *     directory)
   * @return the configuration
   * @throws ConfigException for a malformed line ({@code parse error at NAME:LINE: LINE-TEXT}), an
   *     include file that cannot be read ({@code ... cannot include PATH (REASON)}) or an include
   *     cycle
   */
  public static HgrcConfig parse(String text, String sourceName, Path baseDirForIncludes) {
    return parse(text, sourceName, baseDirForIncludes, System::getenv);
  }

  /** {@link #parse(String, String, Path)} with another environment, for tests. */
  static HgrcConfig parse(String text, String sourceName, Path baseDir, Function<String, String> env) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    HgrcConfigBuilder b = new HgrcConfigBuilder();
    new HgrcParser(b, env).parseText(text, sourceName, baseDir == null ? Path.of("") : baseDir);
    return b.build();
  }

  /**
   * Reads an hgrc file (UTF-8) and the files it includes.
   *
   * @param file the file
   * @return the configuration
   * @throws ConfigException if the file cannot be read ({@code cannot read FILE (REASON)}), or as
   *     {@link #parse(String, String, Path)}
   */
  public static HgrcConfig load(Path file) {
    return load(file, System::getenv);
  }

  /** {@link #load(Path)} with another environment, for tests. */
  static HgrcConfig load(Path file, Function<String, String> env) {
    Objects.requireNonNull(file, "file");
    HgrcConfigBuilder b = new HgrcConfigBuilder();
    new HgrcParser(b, env).parseFile(file);
    return b.build();
  }

  /**
   * This configuration with one {@code --config} option of {@code hg} applied: {@code
   * section.key=value}. The section ends at the first dot (so {@code
   * experimental.web.api.http-v2=true} sets the key {@code web.api.http-v2} of the section
   * {@code experimental}), the value at the end of the option; name and value are stripped. An
   * empty value is allowed.
   *
   * @param option the option, e.g. {@code web.allow-push=*}
   * @return the new configuration
   * @throws ConfigException {@code malformed --config option: 'OPTION' (use --config
   *     section.name=value)} if there is no {@code =}, no dot before it, or the section or key
   *     is empty
   */
  public HgrcConfig withOverride(String option) {
    Objects.requireNonNull(option, "option");
    int eq = option.indexOf('=');
    if (eq >= 0) {
      String name = ConfigValues.asciiStrip(option.substring(0, eq));
      String value = ConfigValues.asciiStrip(option.substring(eq + 1));
      int dot = name.indexOf('.');
      if (dot > 0 && dot < name.length() - 1) {
        return withValue(name.substring(0, dot), name.substring(dot + 1), value, "--config");
      }
    }
    throw new ConfigException(
        "malformed --config option: '" + option + "' (use --config section.name=value)");
  }

  /**
   * This configuration with one value set (like Mercurial's {@code ui.setconfig}), taken as is.
   *
   * @param section the section
   * @param key the key
   * @param value the value
   * @return the new configuration
   */
  public HgrcConfig withValue(String section, String key, String value) {
    return withValue(section, key, value, null);
  }

  HgrcConfig withValue(String section, String key, String value, String source) {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    HgrcConfigBuilder b = new HgrcConfigBuilder(this);
    b.set(section, key, value, source);
    return b.build();
  }

  /**
   * This configuration overridden by a later one, as Mercurial layers configuration files: the
   * keys {@code later} unset with {@code %unset} are removed, then every value of {@code later}
   * replaces or adds to ours. Sections of {@code later} exist in the result even when empty.
   *
   * @param later the configuration that wins
   * @return the combined configuration
   */
  public HgrcConfig overriddenBy(HgrcConfig later) {
    Objects.requireNonNull(later, "later");
    if (later.data.isEmpty() && later.unsets.isEmpty()) {
      return this;
    }
    HgrcConfigBuilder b = new HgrcConfigBuilder(this);
    b.update(later);
    return b.build();
  }

  /**
   * The raw value of {@code section.key}.
   *
   * @param section the section
   * @param key the key (case-sensitive)
   * @return the value, or empty if not set
   */
  public Optional<String> get(String section, String key) {
    Entry e = entry(section, key);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /**
   * Where {@code section.key} was set: {@code FILE:LINE} (the last line, for a continued value),
   * {@code --config} or an init parameter name.
   *
   * @param section the section
   * @param key the key
   * @return the source, or empty if the key is not set or was set without a source
   */
  public Optional<String> source(String section, String key) {
    Entry e = entry(section, key);
    return e == null ? Optional.empty() : Optional.ofNullable(e.source());
  }

  /**
   * {@code section.key} as a boolean, like Mercurial's {@code configbool}: {@code 1}, {@code yes},
   * {@code true}, {@code on}, {@code always} are true; {@code 0}, {@code no}, {@code false},
   * {@code off}, {@code never} are false; case-insensitive.
   *
   * @param section the section
   * @param key the key
   * @param def the value if the key is not set
   * @return the value
   * @throws ConfigException {@code section.key is not a boolean ('VALUE')} for any other value,
   *     including the empty string
   */
  public boolean getBool(String section, String key, boolean def) {
    Optional<String> v = get(section, key);
    if (v.isEmpty()) {
      return def;
    }
    Optional<Boolean> b = ConfigValues.parseBool(v.get());
    if (b.isEmpty()) {
      throw new ConfigException(section + "." + key + " is not a boolean ('" + v.get() + "')");
    }
    return b.get();
  }

  /**
   * {@code section.key} as an integer, like Mercurial's {@code configint}: optional sign and
   * decimal digits.
   *
   * @param section the section
   * @param key the key
   * @param def the value if the key is not set
   * @return the value
   * @throws ConfigException {@code section.key is not a valid integer ('VALUE')} for anything else,
   *     or a number outside the range of {@code int}
   */
  public int getInt(String section, String key, int def) {
    Optional<String> v = get(section, key);
    if (v.isEmpty()) {
      return def;
    }
    Optional<Integer> n = ConfigValues.parseInt(v.get());
    if (n.isPresent()) {
      return n.get();
    }
    throw new ConfigException(section + "." + key + " is not a valid integer ('" + v.get() + "')");
  }

  /**
   * {@code section.key} as a byte count, like Mercurial's {@code configbytes}: a decimal integer,
   * or a number (with a fraction or exponent, if wanted) followed by a unit {@code b}, {@code k}
   * or {@code kb}, {@code m} or {@code mb}, {@code g} or {@code gb} (case-insensitive, powers of
   * 1024, whitespace allowed before the unit), e.g. {@code 10MB}, {@code 1 GB}, {@code 512k},
   * {@code 2.2kb} (2252: the product is truncated).
   *
   * @param section the section
   * @param key the key
   * @param def the value if the key is not set
   * @return the value; negative if the value is
   * @throws ConfigException {@code section.key is not a byte quantity ('VALUE')} for anything
   *     else, or a count outside the range of {@code long}
   */
  public long getBytes(String section, String key, long def) {
    Optional<String> v = get(section, key);
    if (v.isEmpty()) {
      return def;
    }
    Optional<Long> n = ConfigValues.parseBytes(v.get());
    if (n.isPresent()) {
      return n.get();
    }
    throw new ConfigException(section + "." + key + " is not a byte quantity ('" + v.get() + "')");
  }

  /**
   * {@code section.key} as a list, like Mercurial's {@code configlist}: see {@link ConfigList#parseList}.
   *
   * @param section the section
   * @param key the key
   * @return the items; empty if the key is not set
   */
  public List<String> getList(String section, String key) {
    return ConfigList.parseList(get(section, key).orElse(null));
  }

  /**
   * The names of all sections, sorted, including sections that have a header but no items.
   *
   * @return an unmodifiable set
   */
  public Set<String> sections() {
    return Collections.unmodifiableSet(new TreeSet<>(data.keySet()));
  }

  /**
   * The items of a section in definition order (a redefined key moves to the end, as in
   * Mercurial).
   *
   * @param name the section
   * @return an unmodifiable map from key to value; empty if there is no such section
   */
  public Map<String, String> section(String name) {
    Map<String, Entry> items = data.get(name);
    if (items == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    items.forEach((k, e) -> out.put(k, e.value()));
    return Collections.unmodifiableMap(out);
  }

  Map<String, Map<String, Entry>> data() {
    return data;
  }

  List<Item> unsets() {
    return unsets;
  }

  private Entry entry(String section, String key) {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(key, "key");
    Map<String, Entry> items = data.get(section);
    return items == null ? null : items.get(key);
  }

  /** The sections and values, for debugging, e.g. {@code {web={name=x}}}. */
  @Override
  public String toString() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String s : sections()) {
      out.put(s, section(s));
    }
    return out.toString();
  }
}
