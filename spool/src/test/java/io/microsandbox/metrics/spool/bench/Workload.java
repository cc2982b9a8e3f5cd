package io.microsandbox.metrics.spool.bench;

import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.SlotState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One collection per second of N busy sandboxes, values moving as the demo's simulated sandboxes
 * move them (byte-granular memory, disk and network, a CPU load that wanders every second, all
 * optional fields present, two labels each): a pessimistic input for a delta encoding.
 */
final class Workload {
  private static final long MIB = 1L << 20;

  private final int sandboxes;
  private final Random random = new Random(42);
  private final long[][] counters;
  private final double[] cpu;
  private final double[] memory;
  private final long[] limit;
  private final Map<Integer, Map<String, String>> labels = new java.util.HashMap<>();
  private final long startMs;

  Workload(int sandboxes, long startMs) {
    this.sandboxes = sandboxes;
    this.startMs = startMs;
    this.counters = new long[sandboxes][5];
    this.cpu = new double[sandboxes];
    this.memory = new double[sandboxes];
    this.limit = new long[sandboxes];
    for (int i = 0; i < sandboxes; i++) {
      limit[i] = (512L << (i % 4)) * MIB;
      memory[i] = 0.2 + 0.5 * random.nextDouble();
      cpu[i] = 100 * random.nextDouble();
      labels.put(1000 + i, Map.of("team", "team-" + (i % 7), "tier", i % 2 == 0 ? "web" : "db"));
    }
  }

  /** The collection of second {@code tick}. */
  SnapshotCollection collection(int tick) {
    long at = startMs + 1000L * tick;
    List<SandboxSnapshot> samples = new ArrayList<>(sandboxes);
    for (int i = 0; i < sandboxes; i++) {
      double load = Math.max(0, Math.min(1, 0.4 + 0.3 * Math.sin(tick / 60.0 + i))) * 200;
      cpu[i] = 0.6 * cpu[i] + 0.4 * (load + 5 * random.nextGaussian());
      long[] c = counters[i];
      c[0] += (long) (Math.max(0, cpu[i]) / 100 * 1e9);
      c[1] += (long) (64 * 1024 * random.nextDouble()); // disk read
      c[2] += (long) (32 * 1024 * random.nextDouble()); // disk write
      c[3] += (long) (256 * 1024 * random.nextDouble()); // net rx
      c[4] += (long) (96 * 1024 * random.nextDouble()); // net tx
      memory[i] = Math.max(0.05, Math.min(0.95, memory[i] + 0.01 * random.nextGaussian()));
      long used = (long) (memory[i] * limit[i]);
      samples.add(
          SandboxSnapshot.builder()
              .slot(i)
              .state(SlotState.ACTIVE)
              .sandboxId(1000 + i)
              .runId(1)
              .pid(20_000 + i)
              .name("sandbox-" + i)
              .startedAtMs(startMs - 3_600_000L)
              .sampledAtMs(at - random.nextInt(1000))
              .sampleFlags(0x7F)
              .cpuPercent((float) Math.max(0, cpu[i]))
              .raw(SampleField.VCPU_TIME_NS, c[0])
              .raw(SampleField.MEMORY_BYTES, used)
              .raw(SampleField.MEMORY_AVAILABLE_BYTES, limit[i] - used - 4096L * random.nextInt(64))
              .raw(SampleField.MEMORY_HOST_RESIDENT_BYTES, used + 8 * MIB)
              .raw(SampleField.MEMORY_LIMIT_BYTES, limit[i])
              .raw(SampleField.DISK_READ_BYTES, c[1])
              .raw(SampleField.DISK_WRITE_BYTES, c[2])
              .raw(SampleField.NET_RX_BYTES, c[3])
              .raw(SampleField.NET_TX_BYTES, c[4])
              .raw(SampleField.UPPER_USED_BYTES, 64 * MIB + c[2] / 4)
              .raw(SampleField.UPPER_FREE_BYTES, 4096 * MIB - 64 * MIB - c[2] / 4)
              .raw(SampleField.UPPER_HOST_ALLOCATED_BYTES, 80 * MIB + c[2] / 4)
              .build());
    }
    return new SnapshotCollection(at, samples, labels);
  }
}
