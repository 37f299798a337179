package org.hgrpc.client.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell command line the way {@code sh} does for the simple commands of the docs:
 * single quotes, double quotes (with {@code \"} and {@code \\}), backslash escapes, and an
 * unquoted {@code |} as a word of its own. Enough to run the documented commands as written.
 */
final class ShellWords {
  private ShellWords() {}

  /** The words of {@code line}; a pipe is the word {@code |}. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ' in: " + line);
        }
        word = word == null ? new StringBuilder() : word;
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        word = word == null ? new StringBuilder() : word;
        i++;
        while (i < line.length() && line.charAt(i) != '"') {
          if (line.charAt(i) == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
            i++;
          }
          word.append(line.charAt(i++));
        }
        if (i >= line.length()) {
          throw new IllegalArgumentException("unterminated \" in: " + line);
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        word = word == null ? new StringBuilder() : word;
        word.append(line.charAt(++i));
      } else if (c == ' ' || c == '\t') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '|') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        words.add("|");
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
