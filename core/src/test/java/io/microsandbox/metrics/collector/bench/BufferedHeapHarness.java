package io.microsandbox.metrics.collector.bench;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.internal.CompactCollection;
import io.microsandbox.metrics.collector.internal.IdentityInterner;
import io.microsandbox.metrics.collector.internal.SnapshotBuffer;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Heap retained by one exporter's full buffer: 60 collections x 1000 sandboxes, per sandbox-sample.
 * Not JMH (JMH measures time, this measures bytes): each side is filled, the used heap after full
 * GCs is compared with the used heap before, in alternating rounds; the medians are printed. Run
 * with {@code -XX:+UseSerialGC} so that {@code System.gc()} is a full, compacting collection and
 * the used-heap figure is exact.
 *
 * <p>Sides, all fed the same freshly read samples (new name strings every tick, as the reader
 * decodes them) and the same shared labels and allocations (owned by the metadata source's cache):
 *
 * <ul>
 *   <li>compact: {@link SnapshotBuffer} of {@link CompactCollection}s, what the collector keeps;
 *   <li>naive snapshots: the {@link SandboxSnapshot} objects in one list per collection;
 *   <li>naive collections: {@link SnapshotCollection}s (snapshots plus each tick's label and
 *       allocation maps).
 * </ul>
 *
 * <p>Arguments: {@code [rounds]} (default 5).
 */
public final class BufferedHeapHarness {
  static final int SANDBOXES = 1000;
  static final int COLLECTIONS = 60;
  private static final long T0 = 1_780_109_071_000L;

  private BufferedHeapHarness() {}

  /** Runs the measurement and prints the medians. */
  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Map<Integer, SandboxMetadata> metadata = metadata();
    double[] compact = new double[rounds];
    double[] snapshots = new double[rounds];
    double[] collections = new double[rounds];
    measure(() -> fillCompact(metadata)); // warm-up: load classes, settle the heap
    measure(() -> fillSnapshots());
    for (int r = 0; r < rounds; r++) {
      compact[r] = measure(() -> fillCompact(metadata));
      snapshots[r] = measure(BufferedHeapHarness::fillSnapshots);
      collections[r] = measure(() -> fillCollections(metadata));
      System.out.printf(
          Locale.ROOT,
          "round %d: compact %.1f B, naive snapshots %.1f B, naive collections %.1f B%n",
          r + 1,
          compact[r],
          snapshots[r],
          collections[r]);
    }
    double c = median(compact);
    double s = median(snapshots);
    double n = median(collections);
    System.out.printf(
        Locale.ROOT,
        "bytes of heap per buffered sandbox-sample (%d collections x %d sandboxes, median of %d):"
            + "%n  compact buffer (SnapshotBuffer)        %.1f%n"
            + "  naive SandboxSnapshot lists            %.1f  (%.2fx compact)%n"
            + "  naive SnapshotCollection objects       %.1f  (%.2fx compact)%n",
        COLLECTIONS,
        SANDBOXES,
        rounds,
        c,
        s,
        s / c,
        n,
        n / c);
  }

  private static Object fillCompact(Map<Integer, SandboxMetadata> metadata) {
    SnapshotBuffer buffer = new SnapshotBuffer(COLLECTIONS);
    IdentityInterner interner = new IdentityInterner();
    for (int t = 0; t < COLLECTIONS; t++) {
      buffer.offer(CompactCollection.encode(T0 + t * 1000L, read(t), metadata, interner));
    }
    return buffer;
  }

  private static Object fillSnapshots() {
    ArrayDeque<List<SandboxSnapshot>> buffer = new ArrayDeque<>();
    for (int t = 0; t < COLLECTIONS; t++) {
      buffer.add(List.copyOf(read(t)));
    }
    return buffer;
  }

  private static Object fillCollections(Map<Integer, SandboxMetadata> metadata) {
    ArrayDeque<SnapshotCollection> buffer = new ArrayDeque<>();
    Map<Integer, Map<String, String>> labels = new HashMap<>();
    Map<Integer, Allocation> allocations = new HashMap<>();
    metadata.forEach(
        (id, m) -> {
          labels.put(id, m.labels());
          allocations.put(id, m.allocation());
        });
    for (int t = 0; t < COLLECTIONS; t++) {
      buffer.add(new SnapshotCollection(T0 + t * 1000L, read(t), labels, allocations));
    }
    return buffer;
  }

  /** What one registry scan returns at tick {@code t}: fresh objects, changing values. */
  private static List<SandboxSnapshot> read(int t) {
    List<SandboxSnapshot> out = new ArrayList<>(SANDBOXES);
    long now = T0 + t * 1000L;
    for (int i = 0; i < SANDBOXES; i++) {
      out.add(
          SandboxSnapshot.builder()
              .slot(i)
              .sandboxId(1000 + i)
              .runId(5000 + i)
              .pid(20_000 + i)
              .name(new String(("sandbox-" + i).toCharArray())) // decoded anew on every read
              .startedAtMs(T0 - 3_600_000L)
              .sampledAtMs(now - (i % 900))
              .sampleFlags(0x7f)
              .cpuPercent(i % 200 + t / 10f)
              .raw(SampleField.VCPU_TIME_NS, 1_000_000_000L * t + i)
              .raw(SampleField.MEMORY_BYTES, (200L << 20) + i * 4096L + t)
              .raw(SampleField.MEMORY_AVAILABLE_BYTES, (300L << 20) - i)
              .raw(SampleField.MEMORY_HOST_RESIDENT_BYTES, (250L << 20) + t)
              .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
              .raw(SampleField.DISK_READ_BYTES, 1_000_000L * t + i)
              .raw(SampleField.DISK_WRITE_BYTES, 2_000_000L * t + i)
              .raw(SampleField.NET_RX_BYTES, 3_000_000L * t + i)
              .raw(SampleField.NET_TX_BYTES, 4_000_000L * t + i)
              .raw(SampleField.UPPER_USED_BYTES, 1L << 30)
              .raw(SampleField.UPPER_FREE_BYTES, 9L << 30)
              .raw(SampleField.UPPER_HOST_ALLOCATED_BYTES, 2L << 30)
              .build());
    }
    return out;
  }

  /** Two labels and an allocation per sandbox, as the catalog's metadata source caches them. */
  private static Map<Integer, SandboxMetadata> metadata() {
    Map<Integer, SandboxMetadata> metadata = new HashMap<>();
    for (int i = 0; i < SANDBOXES; i++) {
      metadata.put(
          1000 + i,
          new SandboxMetadata(
              Map.of("team", "team-" + (i % 10), "env", "prod"),
              new Allocation(1 + i % 4, 512, 4, 2048, 1000, false)));
    }
    return metadata;
  }

  private static double measure(Supplier<Object> fill) throws InterruptedException {
    long before = usedAfterGc();
    Object retained = fill.get();
    long after = usedAfterGc();
    Reference.reachabilityFence(retained);
    return (after - before) / (double) (SANDBOXES * COLLECTIONS);
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
}
