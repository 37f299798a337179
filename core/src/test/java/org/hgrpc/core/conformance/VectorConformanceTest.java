package org.hgrpc.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hgrpc.core.Framing;
import org.hgrpc.core.conformance.VectorFiles.VectorFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The conformance suite: every row of every vector file produced by the reference
 * implementation, as one dynamic test per row named after it. Also runs every {@code *.jsonl}
 * in the directory named by {@code -Dhgrpc.vectors=DIR}. A row's format is recognised by its
 * fields, so files of the same formats under other names run too; rows with
 * {@code "framing": "0006"} run against the 0006 behaviour with the v0006 README's rules. HTTP exchanges belong to
 * the server module and are skipped here.
 */
class VectorConformanceTest {
  private static final AtomicInteger ROWS = new AtomicInteger();
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final java.util.Map<Framing, AtomicInteger> BY_FRAMING = new java.util.EnumMap<>(Framing.class);

  static {
    for (Framing f : Framing.values()) {
      BY_FRAMING.put(f, new AtomicInteger());
    }
  }

  /** A row's framing: its {@code framing} field ({@code "0006"}), 0005 for rows without one. */
  static Framing framingOf(JsonNode row) {
    JsonNode f = row.get("framing");
    if (f == null || f.isNull()) {
      return Framing.V0005;
    }
    switch (f.asText()) {
      case "0005":
        return Framing.V0005;
      case "0006":
        return Framing.V0006;
      default:
        throw new AssertionError("unknown framing " + f.asText());
    }
  }

  /** A row runner. */
  private interface RowRunner {
    void run(JsonNode row) throws Throwable;
  }

  @TestFactory
  Stream<DynamicNode> vectors() {
    List<DynamicNode> files = new ArrayList<>();
    for (VectorFile file : VectorFiles.all()) {
      List<DynamicNode> rows = new ArrayList<>();
      int index = 0;
      for (JsonNode row : file.rows()) {
        RowRunner runner = runnerFor(row);
        if (runner == null) {
          continue; // an HTTP exchange: run by the server module
        }
        String name = (index++) + ": " + (row.has("name") ? row.get("name").asText()
            : row.has("human") ? row.get("human").asText()
            : row.has("literal") ? row.get("literal").asText()
            : row.has("repr") ? row.get("repr").asText() : row.toString());
        if (name.length() > 160) {
          name = name.substring(0, 160) + "...";
        }
        rows.add(DynamicTest.dynamicTest(name, counted(framingOf(row), () -> runner.run(row))));
      }
      if (!rows.isEmpty()) {
        files.add(DynamicContainer.dynamicContainer(file.name(), rows));
      }
    }
    return files.stream();
  }

  /** The runner for a row's format, or null for formats outside core. */
  static RowRunner runnerFor(JsonNode row) {
    if (framingOf(row) == Framing.V0006) {
      return runner0006(row);
    }
    if (row.has("steps") && row.has("deferoutput")) {
      return ReactorVectors::server;
    } else if (row.has("steps") && row.has("hasmultiplesend")) {
      return ReactorVectors::client;
    } else if (row.has("human")) {
      return SimpleVectors::humanFrame;
    } else if (row.has("literal") && row.has("cbor_hex")) {
      return SimpleVectors::cborEncode;
    } else if (row.has("cbor_hex")) {
      return SimpleVectors::cborDecode;
    } else if (row.has("repr")) {
      return SimpleVectors::frameRepr;
    } else if (row.has("request") && row.has("response")) {
      return null;
    } else if (row.has("name") && (row.has("frames") || row.has("exception"))) {
      return FrameCreationVectors::run;
    }
    return r -> {
      throw new AssertionError("unrecognised vector row format: " + r);
    };
  }

  /** Framing 0006 rows: the same formats, plus call-based frame creation, run with the 0006 rules. */
  private static RowRunner runner0006(JsonNode row) {
    if (row.has("steps") && row.has("deferoutput")) {
      return ReactorVectors6::server;
    } else if (row.has("steps") && row.has("hasmultiplesend")) {
      return ReactorVectors6::client;
    } else if (row.has("human")) {
      return SimpleVectors::humanFrame;
    } else if (row.has("repr")) {
      return SimpleVectors::frameRepr;
    } else if (row.has("calls")) {
      return FrameCallVectors::run;
    } else if (row.has("request") && row.has("response")) {
      return null;
    }
    return r -> {
      throw new AssertionError("unrecognised framing 0006 vector row format: " + r);
    };
  }

  private static Executable counted(Framing framing, Executable body) {
    return () -> {
      ROWS.incrementAndGet();
      BY_FRAMING.get(framing).incrementAndGet();
      try {
        body.execute();
        PASSED.incrementAndGet();
      } catch (Throwable t) {
        FAILED.incrementAndGet();
        throw t;
      }
    };
  }

  @AfterAll
  static void summary() {
    System.out.println("vectors: " + ROWS.get() + " rows (0005: " + BY_FRAMING.get(Framing.V0005).get() + ", 0006: "
        + BY_FRAMING.get(Framing.V0006).get() + "), " + PASSED.get() + " passed, " + FAILED.get() + " failed");
  }
}
