package org.hgrpc.repository.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.RepositoryException;

/**
 * The metadata a filelog revision may start with ({@code filelog.parsemeta}): between two
 * {@code \1\n} markers, {@code key: value} lines; Mercurial records copies and renames there
 * ({@code copy} = source path, {@code copyrev} = source file node in hex). A file whose own
 * content starts with {@code \1\n} is stored with an empty metadata block in front, so the
 * raw text always says which is which.
 *
 * @param meta the keys and values, in stored order (empty when there is no block)
 * @param textOffset where the file's content starts in the raw text
 */
public record FileMetadata(Map<ByteString, ByteString> meta, int textOffset) {
  private static final ByteString COPY = ByteString.latin1("copy");
  private static final ByteString COPYREV = ByteString.latin1("copyrev");

  /** Copies the map. */
  public FileMetadata {
    meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  /**
   * The metadata at the start of {@code raw}, a filelog revision's raw text.
   *
   * @throws RepositoryException if the block is not closed or a line has no {@code ": "}
   */
  public static FileMetadata parse(byte[] raw) {
    if (raw.length < 2 || raw[0] != 1 || raw[1] != '\n') {
      return new FileMetadata(Map.of(), 0);
    }
    int end = -1;
    for (int i = 2; i + 1 < raw.length; i++) {
      if (raw[i] == 1 && raw[i + 1] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new RepositoryException("malformed file revision: metadata block opened with \\1\\n is never closed");
    }
    Map<ByteString, ByteString> meta = new LinkedHashMap<>();
    int pos = 2;
    while (pos < end) {
      int nl = pos;
      while (nl < end && raw[nl] != '\n') {
        nl++;
      }
      int sep = -1;
      for (int i = pos; i + 1 < nl; i++) {
        if (raw[i] == ':' && raw[i + 1] == ' ') {
          sep = i;
          break;
        }
      }
      if (sep < 0) {
        throw new RepositoryException("malformed file revision: metadata line at byte " + pos + " has no ': '");
      }
      meta.put(ByteString.copyOf(raw, pos, sep - pos), ByteString.copyOf(raw, sep + 2, nl - sep - 2));
      pos = nl + 1;
    }
    return new FileMetadata(meta, end + 2);
  }

  /** The path this revision was copied or renamed from, or {@code null}. */
  public ByteString copySource() {
    return meta.get(COPY);
  }

  /** The hex node of the copy source's revision, or {@code null}. */
  public ByteString copySourceRevision() {
    return meta.get(COPYREV);
  }

  /** The file's content: {@code raw} without the metadata block. */
  public byte[] text(byte[] raw) {
    return java.util.Arrays.copyOfRange(raw, textOffset, raw.length);
  }
}
