package org.hgrpc.repository.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a gzipped tar archive (ustar, GNU long names, pax paths) of regular files and
 * directories. Links are skipped; entries escaping the target directory and devices are
 * refused: the archives this reads are ours, but a damaged one must not write outside the target.
 */
public final class TarArchive {
  private TarArchive() {}

  /**
   * Extracts {@code in} (gzipped tar) into {@code target}, creating it.
   *
   * @throws IOException if the archive is malformed or unsafe
   */
  public static void extractTarGz(InputStream in, Path target) throws IOException {
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
    try (InputStream gz = new GZIPInputStream(in)) {
      byte[] header = new byte[512];
      String longName = null;
      while (true) {
        if (!readFully(gz, header)) {
          throw new IOException("tar archive ends without its end marker");
        }
        if (isZero(header)) {
          return;
        }
        String name = longName != null ? longName : headerName(header);
        longName = null;
        long size = parseOctal(header, 124, 12);
        char type = (char) header[156];
        byte[] data = type == '0' || type == 0 || type == 'L' || type == 'x' ? readData(gz, size) : skip(gz, size);
        switch (type) {
          case 'L':
            longName = cString(data, 0, data.length);
            break;
          case 'x':
            longName = paxPath(data);
            break;
          case 'g':
            break;
          case '1':
          case '2':
            // Links are skipped: repositories hold them only in caches (.hg/cache/checklink).
            break;
          case '5':
            Files.createDirectories(resolve(root, name));
            break;
          case '0':
          case 0: {
            Path p = resolve(root, name);
            Files.createDirectories(p.getParent());
            Files.write(p, data);
            break;
          }
          default:
            throw new IOException("tar entry " + name + " has unsupported type '" + type + "'");
        }
      }
    }
  }

  private static Path resolve(Path root, String name) throws IOException {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || name.startsWith("/")) {
      throw new IOException("tar entry escapes the target directory: " + name);
    }
    return p;
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar");
    boolean gnu = ustar && h[262] == ' ';
    if (ustar && !gnu) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static String paxPath(byte[] data) throws IOException {
    int i = 0;
    String path = null;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("malformed pax header");
      }
      if (len <= 0 || i + len > data.length) {
        throw new IOException("malformed pax header");
      }
      String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      if (record.startsWith("path=")) {
        path = record.substring(5);
      }
      i += len;
    }
    return path;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 1024) {
      throw new IOException("tar entry too large");
    }
    byte[] data = new byte[(int) size];
    if (!readFully(in, data)) {
      throw new IOException("tar entry truncated");
    }
    skipPadding(in, size);
    return data;
  }

  private static byte[] skip(InputStream in, long size) throws IOException {
    in.skipNBytes((size + 511) / 512 * 512);
    return new byte[0];
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (512 - size % 512) % 512;
    in.skipNBytes(pad);
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = 0;
    while (n < b.length) {
      int r = in.read(b, n, b.length - n);
      if (r < 0) {
        return false;
      }
      n += r;
    }
    return true;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long parseOctal(byte[] b, int off, int len) throws IOException {
    String s = cString(b, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("malformed tar header size '" + s + "'");
    }
  }
}
