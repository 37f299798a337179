package org.hgrpc.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.data.EmittedRevision;
import org.hgrpc.repository.data.FileMetadata;
import org.hgrpc.repository.data.Filelogs;
import org.hgrpc.repository.data.ManifestEntry;
import org.hgrpc.repository.data.Manifests;
import org.hgrpc.repository.data.RevisionEmitter;
import org.hgrpc.repository.revlog.MPatch;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.view.RepoState;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the data commands read, against repositories the installed Mercurial made (with and
 * without generaldelta): manifests as {@code hg manifest --debug} lists them, copies as
 * {@code hg debugrename} reports them, every filelog found under its store name (upper case,
 * reserved names, names long enough to be hashed), and emitted revisions rebuilding every text
 * as {@code hg debugdata} prints it.
 */
class HgDataTest {
  @TempDir
  Path dir;

  private static final String LONG = "deep/" + "d".repeat(70) + "/" + "Long File Name ".repeat(6) + ".txt";

  private Path build(boolean generalDelta) throws Exception {
    Path repo = dir.resolve(generalDelta ? "gd" : "nogd");
    Hg.run(dir, "init", "--config", "format.usegeneraldelta=" + generalDelta, "--config",
        "format.sparse-revlog=" + generalDelta, repo.toString());
    write(repo, "a", "a\n");
    write(repo, "Dir2/UPPER Case.txt", "upper\n");
    write(repo, "aux.txt", "reserved\n");
    write(repo, LONG, "long\n");
    write(repo, "script.sh", "#!/bin/sh\n");
    repo.resolve("script.sh").toFile().setExecutable(true);
    Files.createSymbolicLink(repo.resolve("link"), Path.of("a"));
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      big.append("line ").append(i).append('\n');
    }
    write(repo, "large.txt", big.toString());
    Hg.run(repo, "commit", "-A", "-m", "c0", "-d", "0 0");
    for (int c = 1; c <= 6; c++) {
      write(repo, "large.txt", big.toString().replace("line " + (c * 400) + "\n", "changed " + c + "\n"));
      write(repo, "a", "a\n".repeat(c + 1));
      if (c == 2) {
        Hg.run(repo, "copy", "a", "a-copy");
        Hg.run(repo, "rename", "Dir2/UPPER Case.txt", "moved.txt");
      }
      Hg.run(repo, "commit", "-m", "c" + c, "-d", c + " 0");
    }
    return repo;
  }

  private static void write(Path repo, String file, String content) throws Exception {
    Path p = repo.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void readsAsMercurialDoes(boolean generalDelta) throws Exception {
    Hg.require();
    Path repo = build(generalDelta);
    RepoState state = HgRepository.open(repo).snapshot();
    int tip = state.changelog().count() - 1;
    for (int rev = 0; rev <= tip; rev++) {
      List<String> ours = new ArrayList<>();
      Revlog manifests = state.manifest();
      int mrev = manifests.index().rev(state.changelog().entry(rev).manifest());
      for (ManifestEntry e : Manifests.parse(manifests.revision(mrev), "rev " + mrev)) {
        String flags = e.flags().utf8();
        ours.add(e.node().hex() + " " + (flags.equals("x") ? "755 *" : flags.equals("l") ? "644 @" : "644  ") + " "
            + e.path().utf8());
        Revlog filelog = Filelogs.open(state.paths(), e.path());
        assertTrue(filelog.index().rev(e.node()) != null, "filelog of " + e.path().utf8() + " has its revision");
        byte[] raw = filelog.revision(filelog.index().rev(e.node()));
        String rename = Hg.run(repo, "debugrename", "-r", String.valueOf(rev), e.path().utf8()).trim();
        FileMetadata meta = FileMetadata.parse(raw);
        String expected = meta.copySource() == null ? e.path().utf8() + " not renamed"
            : e.path().utf8() + " renamed from " + meta.copySource().utf8() + ":" + meta.copySourceRevision().utf8();
        assertEquals(rename, expected);
      }
      String theirs = Hg.run(repo, "manifest", "--debug", "-r", String.valueOf(rev));
      assertEquals(String.join("\n", ours), theirs.trim(), "manifest of changeset " + rev);
    }
    Revlog large = Filelogs.open(state.paths(), ByteString.latin1("large.txt"));
    for (Revlog r : List.of(state.manifest(), large)) {
      for (boolean haveParents : new boolean[] {false, true}) {
        List<Integer> revs = new ArrayList<>();
        for (int i = 0; i < r.index().count(); i += 2) {
          revs.add(i);
        }
        Map<ByteString, byte[]> known = new HashMap<>();
        try (RevisionEmitter emitter = new RevisionEmitter(r, revs, true, haveParents)) {
          while (emitter.hasNext()) {
            EmittedRevision e = emitter.next();
            byte[] text = e.revision() != null ? e.revision()
                : MPatch.apply(known.containsKey(e.baseNode()) ? known.get(e.baseNode())
                    : r.revision(r.index().rev(e.baseNode())), e.delta(), "t");
            String which = r == large ? "large.txt" : "-m";
            byte[] theirs = Hg.run(repo, "debugdata", which, String.valueOf(e.rev())).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(theirs, text, which + " revision " + e.rev());
            known.put(e.node(), text);
          }
        }
      }
    }
  }
}
