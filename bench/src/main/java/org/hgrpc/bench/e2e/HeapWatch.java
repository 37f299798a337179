package org.hgrpc.bench.e2e;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the heap in use, from the collector: the heap used just before each collection
 * (the sum over heap pools, as the GC notification reports it), which is where use peaks, and
 * the use at the time of asking. Unlike summing each pool's own peak, this never counts two
 * moments at once. Also the most the heap held just after a collection: what was retained.
 */
public final class HeapWatch {
  private static final HeapWatch INSTANCE = new HeapWatch();
  private final Set<String> heapPools = new HashSet<>();
  private volatile long peak;
  private volatile long maxAfterGc;
  private long gcCountBase;
  private long gcMillisBase;

  private HeapWatch() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
          if (heapPools.contains(e.getKey())) {
            used += e.getValue().getUsed();
          }
        }
        long after = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (heapPools.contains(e.getKey())) {
            after += e.getValue().getUsed();
          }
        }
        note(used);
        noteAfter(after);
      }, null, null);
    }
    reset();
  }

  /** The watch of this JVM, started. */
  public static HeapWatch get() {
    return INSTANCE;
  }

  private synchronized void note(long used) {
    if (used > peak) {
      peak = used;
    }
  }

  private synchronized void noteAfter(long used) {
    if (used > maxAfterGc) {
      maxAfterGc = used;
    }
  }

  private static long usedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Starts a new measurement. */
  public synchronized void reset() {
    peak = usedNow();
    maxAfterGc = 0;
    gcCountBase = gcCount();
    gcMillisBase = gcMillis();
  }

  /**
   * Peak heap use, collections and their time since the last {@link #reset()}, the maximum
   * heap, and (on Linux) the process's peak resident set since it started.
   */
  public synchronized Map<String, Object> stats() {
    note(usedNow());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peakHeapBytes", peak);
    m.put("maxAfterGcBytes", maxAfterGc);
    m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    m.put("gcCount", gcCount() - gcCountBase);
    m.put("gcMillis", gcMillis() - gcMillisBase);
    long hwm = procStatusBytes("VmHWM:");
    if (hwm >= 0) {
      m.put("peakRssBytes", hwm);
    }
    return m;
  }

  /**
   * A size line of {@code /proc/self/status} ({@code VmHWM:}: the peak resident set since the
   * JVM started, heap, metaspace, code, threads and native buffers together), in bytes; -1
   * where there is no such file (not Linux).
   */
  static long procStatusBytes(String field) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // the kernel writes kB
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }
}
