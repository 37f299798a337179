package org.hgrpc.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Mercurial's list values ({@code configlist}): the parser of {@code stringutil.parselist} and
 * its quoting rules, which hgweb's {@code allow-push}, {@code deny_read} and the like use.
 */
public final class ConfigList {
  private ConfigList() {}

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
        while (offset < n && (ConfigValues.isSpace(s.charAt(offset)) || s.charAt(offset) == ',')) {
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
          while (offset < n && (ConfigValues.isSpace(s.charAt(offset)) || s.charAt(offset) == ',')) {
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
}
