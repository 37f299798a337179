package org.hgrpc.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording says about our code: CPU samples by the hot frame, by the first of our
 * frames on the stack ({@code org.hgrpc.*} but not the benchmark's own), and by our methods
 * anywhere on the stack (inclusive), and allocation samples by our first frame and class.
 */
public final class JfrSummary {
  private JfrSummary() {}

  private static final int TOP = 12;

  /** The summary of the recording at {@code file}, as nested maps for JSON. */
  public static Map<String, Object> summarize(Path file) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> ours = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> alloc = new HashMap<>();
    long samples = 0;
    long allocBytes = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      RecordedStackTrace st = e.getStackTrace();
      if (st == null) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        if (!frames.isEmpty()) {
          self.merge(name(frames.get(0)), 1L, Long::sum);
        }
        String first = firstOurs(frames);
        ours.merge(first == null ? "(not under our code)" : first, 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          if (isOurs(f) && seen.add(name(f))) {
            inclusive.merge(name(f), 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        long weight = e.getLong("weight");
        allocBytes += weight;
        String first = firstOurs(frames);
        String cls = e.getClass("objectClass").getName();
        alloc.merge((first == null ? "(not under our code)" : first) + " -> " + cls, weight, Long::sum);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuSamples", samples);
    m.put("topSelfFrames", top(self, samples));
    m.put("topFirstOurFrames", top(ours, samples));
    m.put("topOurMethodsInclusive", top(inclusive, samples));
    m.put("allocationSampledBytes", allocBytes);
    m.put("topAllocationsByOurFrame", top(alloc, allocBytes));
    return m;
  }

  private static boolean isOurs(RecordedFrame f) {
    if (!f.isJavaFrame() || f.getMethod() == null) {
      return false;
    }
    String c = f.getMethod().getType().getName();
    return c.startsWith("org.hgrpc.") && !c.startsWith("org.hgrpc.bench.");
  }

  private static String firstOurs(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (isOurs(f)) {
        return name(f);
      }
    }
    return null;
  }

  private static String name(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "(unknown)";
    }
    String c = f.getMethod().getType().getName();
    int lambda = c.indexOf("$$Lambda");
    if (lambda >= 0) {
      c = c.substring(0, lambda + 8); // a lambda's hidden class: Outer$$Lambda, without its number
    }
    return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static List<Map<String, Object>> top(Map<String, Long> counts, long total) {
    List<Map.Entry<String, Long>> l = new ArrayList<>(counts.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : l.subList(0, Math.min(TOP, l.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("what", e.getKey());
      m.put("count", e.getValue());
      m.put("percent", total == 0 ? 0 : Math.round(1000.0 * e.getValue() / total) / 10.0);
      out.add(m);
    }
    return out;
  }

  /** Prints the summary of a recording: {@code JfrSummary FILE}. */
  public static void main(String[] args) throws IOException {
    System.out.println(Json.pretty(summarize(Path.of(args[0]))));
  }
}
