package org.hgrpc.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

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
 * {@code configbytes} and {@code configlist}, and throw a {@link ConfigException} with
 * Mercurial's message for a value that does not convert.
 *
 * <p>Instances are immutable and thread-safe; {@link #withOverride}, {@link #withValue} and
 * {@link #overriddenBy} return new configurations.
 */
public final class HgrcConfig {
  private static final HgrcConfig EMPTY = new HgrcConfig(new LinkedHashMap<>(), new ArrayList<>());

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  /** Mercurial's {@code util._sizeunits}, in Mercurial's order (which matters: "m" before "mb"). */
  private static final String[] SIZE_SUFFIXES = {"m", "k", "g", "kb", "mb", "gb", "b"};
  private static final long[] SIZE_MULTIPLIERS = {1L << 20, 1L << 10, 1L << 30, 1L << 10, 1L << 20, 1L << 30, 1};

  /** One value and where it was set ({@code FILE:LINE}, {@code --config}, or null). */
  record Entry(String value, String source) {}

  /** A section and key, for the list of {@code %unset} items. */
  record Item(String section, String key) {}

  private final Map<String, Map<String, Entry>> data;
  private final List<Item> unsets;

  private HgrcConfig(Map<String, LinkedHashMap<String, Entry>> data, List<Item> unsets) {
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
    Builder b = new Builder();
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
    Builder b = new Builder();
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
      String name = asciiStrip(option.substring(0, eq));
      String value = asciiStrip(option.substring(eq + 1));
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
    Builder b = new Builder(this);
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
    Builder b = new Builder(this);
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
    Optional<Boolean> b = parseBool(v.get());
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
    String t = asciiStrip(v.get());
    if (INTEGER.matcher(t).matches()) {
      try {
        return Integer.parseInt(t);
      } catch (NumberFormatException e) {
        // out of range: below
      }
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
    try {
      return sizeToLong(v.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(section + "." + key + " is not a byte quantity ('" + v.get() + "')");
    }
  }

  /**
   * {@code section.key} as a list, like Mercurial's {@code configlist}: see {@link #parseList}.
   *
   * @param section the section
   * @param key the key
   * @return the items; empty if the key is not set
   */
  public List<String> getList(String section, String key) {
    return parseList(get(section, key).orElse(null));
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

  /**
   * Mercurial's {@code stringutil.parsebool}.
   *
   * @param value a string
   * @return true for {@code 1 yes true on always}, false for {@code 0 no false off never}
   *     (case-insensitive), empty for anything else
   */
  public static Optional<Boolean> parseBool(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "1":
      case "yes":
      case "true":
      case "on":
      case "always":
        return Optional.of(Boolean.TRUE);
      case "0":
      case "no":
      case "false":
      case "off":
      case "never":
        return Optional.of(Boolean.FALSE);
      default:
        return Optional.empty();
    }
  }

  /**
   * Mercurial's {@code parselist} (the parser behind {@code configlist}), ported faithfully: items
   * are separated by commas and/or whitespace; an item starting with a double quote extends to
   * the next double quote and may contain separators, with {@code \"} standing for a quote;
   * a quote inside an unquoted item is kept. Examples, from Mercurial's tests:
   *
   * <pre>
   * this,is "a small" ,test         -&gt; [this, is, a small, test]
   * abc d"ef"g "hij def"            -&gt; [abc, d"ef"g, hij def]
   * "Do\"NotSeparate"               -&gt; [Do"NotSeparate]
   * " just with starting quotation  -&gt; [", just, with, starting, quotation]
   * ,,,,                            -&gt; []
   * </pre>
   *
   * @param value the raw value, or null
   * @return the items, unmodifiable; empty for null
   */
  public static List<String> parseList(String value) {
    if (value == null) {
      return List.of();
    }
    return List.copyOf(configList(lstrip(value, " ,\n")));
  }

  /** Mercurial's {@code _configlist}: the state machine of {@code _parse_plain}/{@code _parse_quote}. */
  private static List<String> configList(String s0) {
    String s = rstrip(s0, " ,");
    List<String> result = new ArrayList<>();
    if (s.isEmpty()) {
      return result;
    }
    int n = s.length();
    List<StringBuilder> parts = new ArrayList<>();
    parts.add(new StringBuilder());
    int offset = 0;
    boolean quote = false;
    boolean done = false;
    while (!done) {
      StringBuilder last = parts.get(parts.size() - 1);
      if (!quote) {
        // _parse_plain
        boolean whitespace = false;
        while (offset < n && (isSpace(s.charAt(offset)) || s.charAt(offset) == ',')) {
          whitespace = true;
          offset++;
        }
        if (offset >= n) {
          done = true;
          continue;
        }
        if (whitespace) {
          last = new StringBuilder();
          parts.add(last);
        }
        char c = s.charAt(offset);
        if (c == '"' && last.length() == 0) {
          quote = true;
        } else if (c == '"' && last.charAt(last.length() - 1) == '\\') {
          last.setCharAt(last.length() - 1, '"');
        } else {
          last.append(c);
        }
        offset++;
      } else {
        // _parse_quote
        if (offset < n && s.charAt(offset) == '"') { // ""
          parts.add(new StringBuilder());
          offset++;
          while (offset < n && (isSpace(s.charAt(offset)) || s.charAt(offset) == ',')) {
            offset++;
          }
          quote = false;
          continue;
        }
        while (offset < n && s.charAt(offset) != '"') {
          if (s.charAt(offset) == '\\' && offset + 1 < n && s.charAt(offset + 1) == '"') {
            offset++;
            last.append('"');
          } else {
            last.append(s.charAt(offset));
          }
          offset++;
        }
        if (offset >= n) {
          // no closing quote: the opening quote is an ordinary character after all
          List<String> realParts = configList(last.toString());
          if (realParts.isEmpty()) {
            last.setLength(0);
            last.append('"');
          } else {
            realParts.set(0, '"' + realParts.get(0));
            parts.remove(parts.size() - 1);
            for (String p : realParts) {
              parts.add(new StringBuilder(p));
            }
          }
          done = true;
          continue;
        }
        offset++;
        while (offset < n && (s.charAt(offset) == ' ' || s.charAt(offset) == ',')) {
          offset++;
        }
        if (offset < n) {
          if (offset + 1 == n && s.charAt(offset) == '"') {
            last.append('"');
            offset++;
          } else {
            parts.add(new StringBuilder());
          }
        } else {
          done = true;
          continue;
        }
        quote = false;
      }
    }
    for (StringBuilder p : parts) {
      result.add(p.toString());
    }
    return result;
  }

  /** Mercurial's {@code util.sizetoint}; NumberFormatException for what it rejects. */
  static long sizeToLong(String s) {
    String t = asciiStrip(s).toLowerCase(Locale.ROOT);
    for (int i = 0; i < SIZE_SUFFIXES.length; i++) {
      if (t.endsWith(SIZE_SUFFIXES[i])) {
        String number = asciiStrip(t.substring(0, t.length() - SIZE_SUFFIXES[i].length()));
        if (!FLOAT.matcher(number).matches()) {
          throw new NumberFormatException(s);
        }
        double product = Double.parseDouble(number) * SIZE_MULTIPLIERS[i];
        if (!(Math.abs(product) < 0x1p63)) {
          throw new NumberFormatException(s);
        }
        return (long) product;
      }
    }
    if (!INTEGER.matcher(t).matches()) {
      throw new NumberFormatException(s);
    }
    return Long.parseLong(t);
  }

  /** Whitespace as Python's {@code bytes.isspace} sees it. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  /** Python's {@code bytes.strip()}. */
  static String asciiStrip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code bytes.rstrip()}. */
  static String asciiRstrip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String lstrip(String s, String chars) {
    int start = 0;
    while (start < s.length() && chars.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    return s.substring(start);
  }

  private static String rstrip(String s, String chars) {
    int end = s.length();
    while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end);
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

  /** The mutable form used while parsing and combining; Mercurial's {@code config} object. */
  static final class Builder {
    private final Map<String, LinkedHashMap<String, Entry>> data = new LinkedHashMap<>();
    private final List<Item> unsets = new ArrayList<>();

    Builder() {}

    Builder(HgrcConfig base) {
      base.data.forEach((s, items) -> data.put(s, new LinkedHashMap<>(items)));
      unsets.addAll(base.unsets);
    }

    void ensureSection(String section) {
      data.computeIfAbsent(section, s -> new LinkedHashMap<>());
    }

    /** Sets a value; a redefined key moves to the end, as with Mercurial's {@code sortdict}. */
    void set(String section, String key, String value, String source) {
      LinkedHashMap<String, Entry> items = data.computeIfAbsent(section, s -> new LinkedHashMap<>());
      items.remove(key);
      items.put(key, new Entry(value, source));
    }

    String value(String section, String key) {
      Map<String, Entry> items = data.get(section);
      Entry e = items == null ? null : items.get(key);
      return e == null ? null : e.value();
    }

    void unset(String section, String key) {
      Map<String, Entry> items = data.get(section);
      if (items != null) {
        items.remove(key);
      }
      unsets.add(new Item(section, key));
    }

    /** Mercurial's {@code config.update}; the unsets of {@code src} are kept for later layers. */
    void update(HgrcConfig src) {
      for (Item u : src.unsets) {
        unset(u.section(), u.key());
      }
      src.data.forEach((s, items) -> {
        ensureSection(s);
        items.forEach((k, e) -> set(s, k, e.value(), e.source()));
      });
    }

    HgrcConfig build() {
      return new HgrcConfig(data, unsets);
    }
  }
}
