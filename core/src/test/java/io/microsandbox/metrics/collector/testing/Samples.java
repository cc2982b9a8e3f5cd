package io.microsandbox.metrics.collector.testing;

import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;

/** Ready-made {@link SandboxSnapshot}s for collector tests. */
public final class Samples {
  private Samples() {}

  /**
   * A sandbox sample whose values are derived from {@code id} and {@code sampledAtMs}, so that
   * tests can tell samples apart; includes optional fields and a value above Long.MAX_VALUE.
   */
  public static SandboxSnapshot sample(int id, long sampledAtMs) {
    return SandboxSnapshot.builder()
        .slot(id % 16)
        .sandboxId(id)
        .runId(100 + id)
        .pid(1)
        .name("sandbox-" + id)
        .startedAtMs(sampledAtMs - 61_000)
        .sampledAtMs(sampledAtMs)
        .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
        .cpuPercent(12.5f + id)
        .raw(SampleField.VCPU_TIME_NS, 1_000_000L * id + sampledAtMs)
        .raw(SampleField.MEMORY_BYTES, 256L << 20)
        .value(SampleField.MEMORY_AVAILABLE_BYTES, 128L << 20)
        .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
        .raw(SampleField.DISK_READ_BYTES, -1L) // 2^64 - 1
        .raw(SampleField.DISK_WRITE_BYTES, sampledAtMs)
        .raw(SampleField.NET_RX_BYTES, 4096L * id)
        .raw(SampleField.NET_TX_BYTES, Long.MIN_VALUE) // 2^63
        .build();
  }
}
