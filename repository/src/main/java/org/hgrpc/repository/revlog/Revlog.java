package org.hgrpc.repository.revlog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;

/**
 * A revlog on disk: its index, and full texts rebuilt from delta chains and checked against
 * their node hash. Immutable once loaded; texts are read from the data file on demand through
 * a {@link Reader}.
 */
public final class Revlog {
  private final RevlogIndex index;
  private final Path dataFile;

  private Revlog(RevlogIndex index, Path dataFile) {
    this.index = index;
    this.dataFile = dataFile;
  }

  /**
   * Loads the index of the revlog stored in {@code indexFile} (and {@code dataFile} unless
   * inline). A missing index file is an empty revlog, as in Mercurial.
   */
  public static Revlog open(Path indexFile, Path dataFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(indexFile);
    } catch (NoSuchFileException e) {
      bytes = new byte[0];
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + indexFile + ": " + e.getMessage(), e);
    }
    return new Revlog(RevlogIndex.parse(indexFile.getFileName().toString(), bytes), dataFile);
  }

  /** Wraps an already parsed index. */
  public static Revlog of(RevlogIndex index, Path dataFile) {
    return new Revlog(index, dataFile);
  }

  /** The index. */
  public RevlogIndex index() {
    return index;
  }

  /** Opens a reader; close it when done (it holds the data file open). */
  public Reader reader() {
    return new Reader();
  }

  /** The verified full text of {@code rev}, reading with a short-lived reader. */
  public byte[] revision(int rev) {
    try (Reader r = reader()) {
      return r.revision(rev);
    }
  }

  /** Reads full texts; not thread-safe; holds the data file open until closed. */
  public final class Reader implements Closeable {
    private FileChannel channel;

    private Reader() {}

    /**
     * The full text of {@code rev}, rebuilt from its delta chain and checked against its node.
     *
     * @throws RepositoryException if the data is missing, corrupt, or does not hash to the node
     */
    public byte[] revision(int rev) {
      String what = "revision " + rev + " of " + index.name();
      int flags = index.revisionFlags(rev);
      if (flags != 0) {
        throw new RepositoryException(String.format("%s has flags 0x%04x (censored, external or side data), "
            + "which this server does not read", what, flags));
      }
      List<Integer> chain = new ArrayList<>();
      int r = rev;
      while (true) {
        chain.add(r);
        int base = index.base(r);
        if (base == r) {
          break;
        }
        // Bases never point forward (checked on load), so this walk ends.
        r = index.generalDelta() ? base : r - 1;
        if (r < 0) {
          throw new RepositoryException("corrupt delta chain for " + what);
        }
      }
      long limit = Math.min(Integer.MAX_VALUE - 16L, 4L * index.fullLength(rev) + (64L << 20));
      int last = chain.size() - 1;
      byte[] text = Chunks.decompress(chunk(chain.get(last)), limit, what);
      for (int i = last - 1; i >= 0; i--) {
        byte[] delta = Chunks.decompress(chunk(chain.get(i)), limit, what);
        text = MPatch.apply(text, delta, what);
      }
      if (text.length != index.fullLength(rev)) {
        throw new RepositoryException(what + " is " + text.length + " bytes, its index says " + index.fullLength(rev));
      }
      ByteString expected = index.node(rev);
      ByteString actual = Nodes.hash(index.nodeOrNull(index.p1(rev)), index.nodeOrNull(index.p2(rev)), text);
      if (!actual.equals(expected)) {
        throw new RepositoryException("integrity check failed on " + what + ": node " + expected.hex()
            + " but the text hashes to " + actual.hex());
      }
      return text;
    }

    /**
     * The stored chunk of {@code rev}, decompressed: a binary delta against
     * {@link RevlogIndex#deltaParent}, or the full text when that is -1. This is what Mercurial
     * sends when a delta it has on disk will do ({@code revlog.revdiff}).
     */
    public byte[] storedChunk(int rev) {
      String what = "revision " + rev + " of " + index.name();
      int flags = index.revisionFlags(rev);
      if (flags != 0) {
        throw new RepositoryException(String.format("%s has flags 0x%04x (censored, external or side data), "
            + "which this server does not read", what, flags));
      }
      long limit = Math.min(Integer.MAX_VALUE - 16L, 4L * index.fullLength(rev) + (64L << 20));
      return Chunks.decompress(chunk(rev), limit, what);
    }

    private byte[] chunk(int rev) {
      long start = index.chunkStart(rev);
      int length = index.compressedLength(rev);
      if (index.inline()) {
        byte[] all = index.bytes();
        if (start + length > all.length) {
          throw new RepositoryException(index.name() + ": chunk of revision " + rev + " runs past the end of the file");
        }
        return java.util.Arrays.copyOfRange(all, (int) start, (int) start + length);
      }
      try {
        if (channel == null) {
          channel = FileChannel.open(dataFile, StandardOpenOption.READ);
        }
        if (start + length > channel.size()) {
          throw new RepositoryException(dataFile.getFileName() + ": chunk of revision " + rev
              + " runs past the end of the file");
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = start;
        while (buf.hasRemaining()) {
          int n = channel.read(buf, pos);
          if (n < 0) {
            throw new RepositoryException(dataFile.getFileName() + ": unexpected end of file");
          }
          pos += n;
        }
        return buf.array();
      } catch (IOException e) {
        throw new RepositoryException("cannot read " + dataFile + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // Read-only channel: nothing was lost.
        }
        channel = null;
      }
    }
  }
}
