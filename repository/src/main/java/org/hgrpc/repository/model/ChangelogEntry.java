package org.hgrpc.repository.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.literal.PythonLiteral;
import org.hgrpc.repository.RepositoryException;
import org.hgrpc.repository.revlog.Nodes;

/**
 * One changeset as the changelog stores it:
 *
 * <pre>
 * manifest-hex\n
 * user\n
 * time tz [extra]\n      (extra: key:value pairs, escaped, separated by \0)
 * file\n ...
 * \n
 * description
 * </pre>
 *
 * @param manifest the manifest node
 * @param user the committer
 * @param time seconds since the epoch
 * @param timezone offset from UTC in seconds (west positive, as Mercurial)
 * @param files the files the changeset touched
 * @param extra the extra fields, with {@code branch} set ({@code default} when absent)
 * @param description the commit message
 */
public record ChangelogEntry(ByteString manifest, ByteString user, double time, int timezone, List<ByteString> files,
    Map<ByteString, ByteString> extra, ByteString description) {

  private static final ByteString BRANCH = ByteString.latin1("branch");
  private static final ByteString CLOSE = ByteString.latin1("close");
  private static final ByteString DEFAULT = ByteString.latin1("default");

  /** Copies the collections. */
  public ChangelogEntry {
    files = List.copyOf(files);
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** The branch name. */
  public ByteString branch() {
    return extra.get(BRANCH);
  }

  /** Whether this changeset closes its branch (an extra {@code close} field, whatever its value). */
  public boolean closesBranch() {
    return extra.containsKey(CLOSE);
  }

  /**
   * Parses a changelog revision's text ({@code changelog.changelogrevision}).
   *
   * @param what names the revision, for error messages
   * @throws RepositoryException if the text is not a changeset
   */
  public static ChangelogEntry parse(byte[] text, String what) {
    int nl1 = indexOf(text, (byte) '\n', 0);
    int nl2 = nl1 < 0 ? -1 : indexOf(text, (byte) '\n', nl1 + 1);
    int nl3 = nl2 < 0 ? -1 : indexOf(text, (byte) '\n', nl2 + 1);
    if (nl3 < 0) {
      throw new RepositoryException("malformed changeset " + what + ": fewer than three header lines");
    }
    int doubleNl;
    if (nl3 + 1 < text.length && text[nl3 + 1] == '\n') {
      doubleNl = nl3;
    } else {
      doubleNl = indexOfDoubleNewline(text, nl3 + 1);
      if (doubleNl < 0) {
        throw new RepositoryException("malformed changeset " + what + ": no blank line before the description");
      }
    }
    byte[] manifestHex = java.util.Arrays.copyOfRange(text, 0, nl1);
    byte[] manifest = Nodes.unhex(new String(manifestHex, StandardCharsets.ISO_8859_1));
    if (manifest == null || manifest.length != Nodes.LENGTH) {
      throw new RepositoryException("malformed changeset " + what + ": bad manifest node");
    }
    ByteString user = ByteString.copyOf(text, nl1 + 1, nl2 - nl1 - 1);
    String dateExtra = new String(text, nl2 + 1, nl3 - nl2 - 1, StandardCharsets.ISO_8859_1);
    String[] fields = dateExtra.split(" ", 3);
    double time;
    int tz;
    try {
      time = Double.parseDouble(fields[0]);
      tz = fields.length > 1 ? Integer.parseInt(fields[1].trim()) : 0;
    } catch (NumberFormatException e) {
      throw new RepositoryException("malformed changeset " + what + ": bad date '" + dateExtra + "'");
    }
    Map<ByteString, ByteString> extra = new LinkedHashMap<>();
    extra.put(BRANCH, DEFAULT);
    if (fields.length == 3) {
      decodeExtra(fields[2].getBytes(StandardCharsets.ISO_8859_1), extra, what);
    }
    List<ByteString> files = new ArrayList<>();
    if (doubleNl > nl3) {
      int start = nl3 + 1;
      while (start < doubleNl) {
        int end = indexOf(text, (byte) '\n', start);
        files.add(ByteString.copyOf(text, start, end - start));
        start = end + 1;
      }
    }
    ByteString description = ByteString.copyOf(text, Math.min(text.length, doubleNl + 2),
        Math.max(0, text.length - doubleNl - 2));
    return new ChangelogEntry(ByteString.wrap(manifest), user, time, tz, files, extra, description);
  }

  /** {@code changelog.decodeextra}: {@code \0}-separated escaped {@code key:value} pairs. */
  private static void decodeExtra(byte[] raw, Map<ByteString, ByteString> extra, String what) {
    int start = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i < raw.length && raw[i] != 0) {
        continue;
      }
      if (i > start) {
        String l = new String(raw, start, i - start, StandardCharsets.ISO_8859_1);
        if (l.contains("\\0")) {
          // Mercurial's fix-up of \0 escapes without touching \\0.
          l = l.replace("\\\\", "\\\\\n").replace("\\0", "\0").replace("\n", "");
        }
        byte[] decoded;
        try {
          decoded = PythonLiteral.unescape(l).toByteArray();
        } catch (IllegalArgumentException e) {
          throw new RepositoryException("malformed extra field in changeset " + what + ": " + e.getMessage());
        }
        int colon = indexOf(decoded, (byte) ':', 0);
        if (colon < 0) {
          throw new RepositoryException("malformed extra field in changeset " + what + ": no ':'");
        }
        extra.put(ByteString.copyOf(decoded, 0, colon), ByteString.copyOf(decoded, colon + 1, decoded.length - colon - 1));
      }
      start = i + 1;
    }
  }

  private static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfDoubleNewline(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
