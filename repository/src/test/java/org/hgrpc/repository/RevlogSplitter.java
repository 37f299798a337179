package org.hgrpc.repository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns an inline revlog into an index and a data file, as Mercurial does once a revlog
 * outgrows 128 KiB (the Mercurial these tests run keeps changelogs inline). Tests check the
 * result with {@code hg verify}.
 */
final class RevlogSplitter {
  private RevlogSplitter() {}

  static void split(Path index, Path data) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(index));
    int header = in.getInt(0);
    if ((header & (1 << 16)) == 0) {
      throw new IllegalArgumentException(index + " is not inline");
    }
    ByteArrayOutputStream newIndex = new ByteArrayOutputStream();
    ByteArrayOutputStream newData = new ByteArrayOutputStream();
    int pos = 0;
    int rev = 0;
    while (pos < in.capacity()) {
      byte[] entry = new byte[64];
      in.get(pos, entry);
      ByteBuffer e = ByteBuffer.wrap(entry);
      int length = e.getInt(8);
      int flags = (int) (e.getLong(0) & 0xffff);
      long offset = newData.size();
      e.putLong(0, (offset << 16) | flags);
      if (rev == 0) {
        e.putInt(0, header & ~(1 << 16));
      }
      newIndex.writeBytes(entry);
      newData.write(in.array(), pos + 64, length);
      pos += 64 + length;
      rev++;
    }
    Files.write(data, newData.toByteArray());
    Files.write(index, newIndex.toByteArray());
  }
}
