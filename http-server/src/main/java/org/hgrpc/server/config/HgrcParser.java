package org.hgrpc.server.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line parser of Mercurial's {@code config.parse}, regular expression for regular
 * expression, writing into a {@link HgrcConfigBuilder}. Patterns that Mercurial applies with
 * {@code re.match} are applied with {@link Matcher#lookingAt()}; those ending in {@code $} with
 * {@link Matcher#matches()} (lines are split without their terminators).
 */
final class HgrcParser {
  private static final Pattern SECTION = Pattern.compile("\\[([^\\[]+)\\]", Pattern.DOTALL);
  private static final Pattern ITEM = Pattern.compile("([^=\\s][^=]*?)\\s*=\\s*(.*\\S|)", Pattern.DOTALL);
  private static final Pattern CONTINUATION = Pattern.compile("\\s+(\\S|\\S.*\\S)\\s*", Pattern.DOTALL);
  private static final Pattern UNSET = Pattern.compile("%unset\\s+(\\S+)");
  private static final Pattern INCLUDE = Pattern.compile("%include\\s+(\\S|\\S.*\\S)\\s*", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*\\})");

  private final HgrcConfigBuilder out;
  private final Function<String, String> env;
  /** The files being read, outermost first: real paths, for cycle detection. */
  private final Deque<Path> reading = new ArrayDeque<>();
  /** The same files as named in messages. */
  private final Deque<String> readingNames = new ArrayDeque<>();

  HgrcParser(HgrcConfigBuilder out, Function<String, String> env) {
    this.out = out;
    this.env = env;
  }

  /** Reads a top-level file. */
  void parseFile(Path file) {
    String text;
    Path real;
    try {
      real = file.toRealPath();
      text = decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + " (" + reason(e, file) + ")", e);
    }
    reading.push(real);
    readingNames.push(file.toString());
    try {
      parseText(text, file.toString(), directoryOf(file));
    } finally {
      reading.pop();
      readingNames.pop();
    }
  }

  /** Mercurial's {@code config.parse}, with {@code src} naming the text in messages. */
  void parseText(String text, String src, Path baseDir) {
    String section = "";
    String item = null;
    boolean cont = false;
    int line = 0;
    for (String l : splitLines(text)) {
      line++;
      if (line == 1 && l.startsWith("\ufeff")) {
        l = l.substring(1);
      }
      if (cont) {
        if (l.startsWith(";") || l.startsWith("#")) {
          continue;
        }
        Matcher m = CONTINUATION.matcher(l);
        if (m.matches()) {
          String v = out.value(section, item) + "\n" + m.group(1);
          out.set(section, item, v, src + ":" + line);
          continue;
        }
        item = null;
        cont = false;
      }
      Matcher m = INCLUDE.matcher(l);
      if (m.matches()) {
        include(m.group(1), src, line, baseDir);
        continue;
      }
      if (l.startsWith(";") || l.startsWith("#") || ConfigValues.asciiStrip(l).isEmpty()) {
        continue;
      }
      m = SECTION.matcher(l);
      if (m.lookingAt()) {
        section = m.group(1);
        out.ensureSection(section);
        continue;
      }
      m = ITEM.matcher(l);
      if (m.lookingAt()) {
        item = m.group(1);
        cont = true;
        out.set(section, item, m.group(2), src + ":" + line);
        continue;
      }
      m = UNSET.matcher(l);
      if (m.lookingAt()) {
        out.unset(section, m.group(1));
        continue;
      }
      throw new ConfigException("parse error at " + src + ":" + line + ": " + ConfigValues.asciiRstrip(l));
    }
  }

  private void include(String path, String src, int line, Path baseDir) {
    String expanded = expandPath(path);
    Path inc;
    try {
      inc = baseDir.resolve(expanded).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException("parse error at " + src + ":" + line + ": cannot include " + expanded
          + " (invalid path: " + e.getReason() + ")", e);
    }
    String name = inc.toString();
    String where = "parse error at " + src + ":" + line + ": cannot include " + name;
    String text;
    Path real;
    try {
      real = inc.toRealPath();
      if (reading.contains(real)) {
        List<String> chain = new ArrayList<>();
        for (Iterator<String> it = readingNames.descendingIterator(); it.hasNext(); ) {
          chain.add(it.next());
        }
        chain.add(name);
        throw new ConfigException(where + " (include cycle: " + String.join(" -> ", chain) + ")");
      }
      text = decode(Files.readAllBytes(inc));
    } catch (IOException e) {
      throw new ConfigException(where + " (" + reason(e, inc) + ")", e);
    }
    reading.push(real);
    readingNames.push(name);
    try {
      parseText(text, name, directoryOf(inc));
    } finally {
      reading.pop();
      readingNames.pop();
    }
  }

  /** Mercurial's {@code util.expandpath}: {@code expanduser(expandvars(path))}, POSIX flavour. */
  String expandPath(String path) {
    StringBuilder sb = new StringBuilder();
    Matcher m = VARIABLE.matcher(path);
    int i = 0;
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("{")) {
        name = name.substring(1, name.length() - 1);
      }
      String value = name.isEmpty() ? null : env.apply(name);
      sb.append(path, i, m.start()).append(value != null ? value : m.group());
      i = m.end();
    }
    String p = sb.append(path.substring(i)).toString();
    if (p.equals("~") || p.startsWith("~/")) {
      String home = env.apply("HOME");
      if (home == null) {
        home = System.getProperty("user.home");
      }
      while (home.endsWith("/")) {
        home = home.substring(0, home.length() - 1);
      }
      p = home + p.substring(1);
      if (p.isEmpty()) {
        p = "/";
      }
    }
    return p;
  }

  private static Path directoryOf(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  /** Lines as Python's {@code bytes.splitlines()} cuts them, without terminators. */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** A reason like the C library's {@code strerror}, as Mercurial prints it. */
  private static String reason(IOException e, Path p) {
    if (e instanceof CharacterCodingException) {
      return "not valid UTF-8";
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (Files.isDirectory(p)) {
      return "Is a directory";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
