package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolStats;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collections and telemetry with every feature an exposition shows. */
public final class FixtureCollections {
  private FixtureCollections() {}

  /** The time of every fixture collection. */
  public static final long AT_MS = 1_760_000_000_000L;

  /**
   * Three sandboxes: one with catalog labels (colliding keys, one that needs sanitising, one named
   * like an identity label) and an allocation (CPU limit, catalog memory limit), one with optional
   * upper-filesystem fields and no labels, one plain.
   */
  public static SnapshotCollection rich() {
    SandboxSnapshot a = Samples.sample(1, AT_MS - 200);
    SandboxSnapshot b =
        SandboxSnapshot.builder()
            .slot(5)
            .sandboxId(2)
            .runId(7)
            .pid(4242)
            .name("web \"two\"\\")
            .startedAtMs(AT_MS - 3_600_000)
            .sampledAtMs(AT_MS - 100)
            .sampleFlags(SandboxSnapshot.FLAG_CPU)
            .cpuPercent(250f)
            .raw(SampleField.VCPU_TIME_NS, 3_000_000_000L)
            .raw(SampleField.MEMORY_BYTES, 1L << 30)
            .raw(SampleField.MEMORY_LIMIT_BYTES, 2L << 30)
            .value(SampleField.MEMORY_HOST_RESIDENT_BYTES, 900L << 20)
            .value(SampleField.UPPER_USED_BYTES, 5_000)
            .value(SampleField.UPPER_FREE_BYTES, 6_000)
            .value(SampleField.UPPER_HOST_ALLOCATED_BYTES, 7_000)
            .build();
    SandboxSnapshot c = Samples.sample(3, AT_MS - 300);
    return new SnapshotCollection(
        AT_MS,
        List.of(a, b, c),
        Map.of(
            1,
            Map.of(
                "team", "core",
                "app.kubernetes.io/name", "api",
                "team/x", "x1",
                "team.x", "x2",
                "sandbox_name", "spoofed")),
        Map.of(1, new Allocation(4, 2048, 8, 4096, 1000, false)));
  }

  /** {@code n} plain sandboxes with ids from {@code firstId}. */
  public static SnapshotCollection plain(int firstId, int n) {
    List<SandboxSnapshot> s = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      s.add(Samples.sample(firstId + i, AT_MS));
    }
    return SnapshotCollection.of(AT_MS, s);
  }

  /** Telemetry with every figure set, a spool included. */
  public static CollectorTelemetry telemetry() {
    return CollectorTelemetry.builder()
        .exportsSuccess(12)
        .exportsFailure(3)
        .batchesRejected(1)
        .collectionsDropped(5)
        .collectionsDroppedForAge(2)
        .lastSuccessEpochMs(AT_MS - 1_500)
        .lastExportDurationNanos(12_500_000)
        .pointsExported(4_321)
        .pointsRejected(9)
        .bufferDepth(1)
        .lastScanDurationNanos(250_000)
        .slotsSkipped(4)
        .scansSkipped(1)
        .labelsDropped(6)
        .spool(new SpoolStats(10_000, 1 << 20, 3, 2_500, 1, 2, 0, 1, 0))
        .build();
  }
}
