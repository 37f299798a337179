package org.hgrpc.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.ByteString;

/**
 * How each data command's items are read from its values ({@code wireprotocolv2.txt}): a map
 * per item, then one byte string per entry of its {@code fieldsfollowing}. Following fields
 * this client does not know are read and dropped, as Mercurial's own client does.
 */
final class DataItems {
  private DataItems() {}

  /** {@code changesetdata}: a map per changeset (and per other bookmarked node). */
  static DataStream.Items<ChangesetRevision> changesets() {
    return reader -> {
      Object v = reader.next();
      if (v == null) {
        return null;
      }
      String what = "item " + reader.countItem();
      Map<?, ?> m = reader.map(v, what);
      Node node = reader.requiredNode(m, what);
      what += " (" + node.shortHex() + ")";
      List<Node> parents = reader.parents(m, what);
      Optional<String> phase = reader.bytes(m, "phase", what).map(b -> b.toString(StandardCharsets.US_ASCII));
      List<String> bookmarks = new ArrayList<>();
      reader.byteStrings(m, "bookmarks", what).forEach(b -> bookmarks.add(b.utf8()));
      ByteString revision = null;
      for (DataReader.FollowingField f : reader.fieldsFollowing(m, what)) {
        ByteString data = reader.field(f, what);
        if (f.name().equals("revision")) {
          revision = data;
        }
      }
      return new ChangesetRevision(node, parents, phase, bookmarks, Optional.ofNullable(revision));
    };
  }

  /** {@code manifestdata} and {@code filedata}: a map per revision. */
  static DataStream.Items<RevisionData> revisions() {
    return reader -> {
      Object v = reader.next();
      return v == null ? null : revision(reader, v, Optional.empty());
    };
  }

  /**
   * {@code filesdata}: per path a map {@code {path, totalitems}}, then its revisions; each
   * revision is given its path.
   */
  static DataStream.Items<RevisionData> filesRevisions() {
    return new FilesRevisions();
  }

  /** {@link #filesRevisions()}: remembers the path of the revisions that follow. */
  private static final class FilesRevisions implements DataStream.Items<RevisionData> {
    private ByteString path;

    @Override
    public RevisionData next(DataReader reader) {
      while (true) {
        Object v = reader.next();
        if (v == null) {
          return null;
        }
        Map<?, ?> m = reader.map(v, "item " + reader.countItem());
        Optional<ByteString> p = reader.bytes(m, "path", "a path entry");
        if (p.isPresent() && !m.containsKey(Values.key("node"))) {
          reader.count(m, "totalitems", "the entry of path " + p.get().utf8());
          path = p.get();
          continue;
        }
        if (path == null) {
          throw reader.error("a file revision came before any path entry: " + Values.describe(m));
        }
        return revision(reader, m, Optional.of(path));
      }
    }
  }

  private static RevisionData revision(DataReader reader, Object v, Optional<ByteString> path) {
    String what = path.isPresent() ? "revision of " + path.get().utf8() : "item " + reader.countItem();
    Map<?, ?> m = reader.map(v, what);
    Node node = reader.requiredNode(m, what);
    what += " (" + node.shortHex() + ")";
    List<Node> parents = reader.parents(m, what);
    Optional<Node> linkNode = reader.node(m, "linknode", what);
    Optional<Node> deltaBase = reader.node(m, "deltabasenode", what);
    ByteString revision = null;
    ByteString delta = null;
    for (DataReader.FollowingField f : reader.fieldsFollowing(m, what)) {
      ByteString data = reader.field(f, what);
      if (f.name().equals("revision")) {
        revision = data;
      } else if (f.name().equals("delta")) {
        delta = data;
      }
    }
    if (revision != null && delta != null) {
      throw reader.error(what + ": both a full text and a delta follow");
    }
    if (delta != null && deltaBase.isEmpty()) {
      throw reader.error(what + ": a delta follows without a deltabasenode");
    }
    if (delta == null && deltaBase.isPresent()) {
      throw reader.error(what + ": a deltabasenode without a delta");
    }
    return new RevisionData(path, node, parents, linkNode, Optional.ofNullable(revision), Optional.ofNullable(delta),
        deltaBase);
  }

  /**
   * {@code rawstorefiledata}: per file a map {@code {location, path, size}} then its bytes,
   * handed out as the file's {@link RawStoreFile#data()} stream.
   */
  static DataStream.Items<RawStoreFile> rawStoreFiles() {
    return new RawStoreFiles();
  }

  /** {@link #rawStoreFiles()}: moving on skips what the caller did not read of the previous file. */
  private static final class RawStoreFiles implements DataStream.Items<RawStoreFile> {
    private RawStoreFile current;

    @Override
    public RawStoreFile next(DataReader reader) {
      if (current != null) {
        current.skipRest();
        current = null;
      }
      Object v = reader.next();
      if (v == null) {
        return null;
      }
      String what = "file " + reader.countItem();
      Map<?, ?> m = reader.map(v, what);
      ByteString path = reader.bytes(m, "path", what).orElseThrow(
          () -> reader.error("file entry without a path: " + Values.describe(m)));
      what = "file " + path.utf8();
      String location = reader.bytes(m, "location", what).orElseThrow(
          () -> reader.error("file entry without a location: " + Values.describe(m))).utf8();
      current = new RawStoreFile(location, path, reader.count(m, "size", what), reader);
      return current;
    }
  }
}
