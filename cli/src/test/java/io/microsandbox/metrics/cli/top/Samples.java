package io.microsandbox.metrics.cli.top;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.util.List;
import java.util.Map;

/** Builds registry samples for the view's tests. */
final class Samples {
  static final long T0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z

  private Samples() {}

  /** A running sandbox's sample with the four counters, CPU % and memory. */
  static SandboxSnapshot.Builder sample(int id, int run, String name, long sampledAtMs) {
    return SandboxSnapshot.builder()
        .slot(id)
        .sandboxId(id)
        .runId(run)
        .pid(1000 + id)
        .name(name)
        .startedAtMs(T0 - 60_000)
        .sampledAtMs(sampledAtMs)
        .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
        .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20);
  }

  static SandboxSnapshot.Builder counters(
      SandboxSnapshot.Builder b, long diskRead, long diskWrite, long netRx, long netTx) {
    return b.raw(SampleField.DISK_READ_BYTES, diskRead)
        .raw(SampleField.DISK_WRITE_BYTES, diskWrite)
        .raw(SampleField.NET_RX_BYTES, netRx)
        .raw(SampleField.NET_TX_BYTES, netTx);
  }

  static SandboxSnapshot stale(SandboxSnapshot s) {
    return s.toBuilder().state(SlotState.STALE).build();
  }

  /** What the catalog says: labels, vCPUs, memory in MiB and sample interval (0: unknown). */
  static SandboxMetadata meta(
      Map<String, String> labels, int cpus, long memoryMib, long intervalMs) {
    return new SandboxMetadata(labels, new Allocation(cpus, memoryMib, 0, 0, intervalMs, false));
  }

  /** An allocation without labels. */
  static SandboxMetadata alloc(int cpus, long memoryMib, long intervalMs) {
    return meta(Map.of(), cpus, memoryMib, intervalMs);
  }

  static RegistryScan scan(SandboxSnapshot... snapshots) {
    return RegistryScan.of(16, List.of(snapshots), 0);
  }
}
