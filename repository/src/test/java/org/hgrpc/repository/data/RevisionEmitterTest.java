package org.hgrpc.repository.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.Fixtures;
import org.hgrpc.repository.HgRepository;
import org.hgrpc.repository.revlog.MPatch;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.Revlog;
import org.hgrpc.repository.view.RepoState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Base choice and texts of {@link RevisionEmitter} on the hg 4.8 fixture. */
class RevisionEmitterTest {
  @TempDir
  static Path dir;
  static RepoState state;

  @BeforeAll
  static void fixture() throws Exception {
    state = HgRepository.open(Fixtures.repo48Fixture(dir)).snapshot();
  }

  private static Revlog file(String path) {
    return Filelogs.open(state.paths(), ByteString.latin1(path));
  }

  private static List<EmittedRevision> emit(Revlog r, List<Integer> revs, boolean data, boolean haveParents) {
    List<EmittedRevision> out = new ArrayList<>();
    try (RevisionEmitter e = new RevisionEmitter(r, revs, data, haveParents)) {
      e.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void firstRevisionIsAFullTextAndTheNextTheStoredDelta() {
    Revlog large = file("large.txt");
    assertEquals(0, large.index().deltaParent(1), "the fixture stores large.txt's second revision as a delta");
    List<EmittedRevision> out = emit(large, List.of(1, 0), true, false);
    assertEquals(List.of(0, 1), out.stream().map(EmittedRevision::rev).toList(), "ascending, whatever the order asked");
    assertEquals(Nodes.NULL, out.get(0).baseNode());
    assertArrayEquals(large.revision(0), out.get(0).revision());
    assertNull(out.get(0).delta());
    assertEquals(large.index().node(0), out.get(1).baseNode());
    try (Revlog.Reader r = large.reader()) {
      assertArrayEquals(r.storedChunk(1), out.get(1).delta(), "the stored delta, as stored");
    }
  }

  @Test
  void aLoneRevisionIsAFullTextUnlessTheReceiverHasItsParents() {
    Revlog large = file("large.txt");
    EmittedRevision alone = emit(large, List.of(1), true, false).get(0);
    assertArrayEquals(large.revision(1), alone.revision());
    EmittedRevision withParents = emit(large, List.of(1), true, true).get(0);
    assertEquals(large.index().node(0), withParents.baseNode());
    assertArrayEquals(large.revision(1), MPatch.apply(large.revision(0), withParents.delta(), "t"));
  }

  @Test
  void withoutRevisionDataNothingIsRead() {
    EmittedRevision r = emit(file("a"), List.of(0), false, false).get(0);
    assertNull(r.revision());
    assertNull(r.delta());
    assertEquals(file("a").index().node(0), r.node());
  }

  /** Every subset pattern of every revlog of the fixture rebuilds each text from what was sent. */
  @Test
  void whatIsSentRebuildsEveryText() throws Exception {
    List<Revlog> revlogs = new ArrayList<>();
    revlogs.add(state.manifest());
    try (var files = Files.walk(state.paths().store().resolve("data"))) {
      files.filter(p -> p.toString().endsWith(".i")).forEach(p -> revlogs.add(Revlog.open(p,
          p.resolveSibling(p.getFileName().toString().replaceAll("\\.i$", ".d")))));
    }
    assertTrue(revlogs.size() > 10);
    for (Revlog r : revlogs) {
      int n = r.index().count();
      for (int step = 1; step <= 3; step++) {
        for (boolean haveParents : new boolean[] {false, true}) {
          List<Integer> revs = new ArrayList<>();
          for (int i = 0; i < n; i += step) {
            revs.add(i);
          }
          Map<ByteString, byte[]> known = new HashMap<>();
          for (EmittedRevision e : emit(r, revs, true, haveParents)) {
            byte[] text;
            if (e.revision() != null) {
              text = e.revision();
            } else {
              byte[] base = known.get(e.baseNode());
              if (base == null) {
                assertTrue(haveParents, "a base the receiver lacks: " + r.index().name() + " rev " + e.rev());
                base = r.revision(r.index().rev(e.baseNode()));
              }
              text = MPatch.apply(base, e.delta(), "t");
            }
            assertNotNull(text);
            assertArrayEquals(r.revision(e.rev()), text, r.index().name() + " rev " + e.rev());
            known.put(e.node(), text);
          }
        }
      }
    }
  }
}
