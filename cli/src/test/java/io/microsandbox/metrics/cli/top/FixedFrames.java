package io.microsandbox.metrics.cli.top;

import static io.microsandbox.metrics.cli.top.Samples.T0;
import static io.microsandbox.metrics.cli.top.Samples.counters;
import static io.microsandbox.metrics.cli.top.Samples.sample;
import static io.microsandbox.metrics.cli.top.Samples.stale;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.registry.SampleField;
import java.util.List;
import java.util.Map;

/** Frames with every kind of row, fixed, for rendering tests. */
final class FixedFrames {
  static final String REG = "/msb-met-0123456789abcdef-v3";
  static final long MIB = 1L << 20;

  private FixedFrames() {}

  /** running with allocation and rates; running without either; stalled; exited. */
  static TopFrame mixed() {
    TopRow api =
        new TopRow(
            sample(1, 11, "api", T0)
                .cpuPercent(80f)
                .value(SampleField.MEMORY_BYTES, 412 * MIB)
                .startedAtMs(T0 - (2 * 3600 + 3 * 60 + 9) * 1000L)
                .build(),
            SandboxState.RUNNING,
            new Allocation(2, 1024, 0, 0, 0, false),
            Map.of("team", "core"),
            new Rates(1.25 * MIB, 64 * 1024, 48 * 1024, 2048),
            500);
    TopRow worker =
        new TopRow(
            sample(2, 12, "worker-with-a-very-long-name", T0)
                .cpuPercent(5f)
                .value(SampleField.MEMORY_BYTES, 96 * MIB)
                .startedAtMs(T0 - 42_000)
                .build(),
            SandboxState.RUNNING,
            Allocation.UNKNOWN,
            Map.of(),
            null,
            500);
    TopRow stuck =
        new TopRow(
            sample(3, 13, "stuck", T0 - 42_000).value(SampleField.MEMORY_BYTES, 200 * MIB).build(),
            SandboxState.STALLED,
            new Allocation(1, 0, 0, 0, 0, false),
            Map.of(),
            null,
            42_000);
    TopRow batch =
        new TopRow(
            stale(
                counters(
                        sample(4, 14, "batch", T0 - 100_000)
                            .value(SampleField.MEMORY_BYTES, 64 * MIB)
                            .startedAtMs(T0 - 100_000 - 725_000),
                        89 * MIB,
                        644 * MIB,
                        48 * MIB,
                        268 * 1024)
                    .build()),
            SandboxState.EXITED,
            Allocation.UNKNOWN,
            Map.of(),
            null,
            100_000);
    HostTotals totals =
        new HostTotals(3, 1, 1, 0.85, 3, true, (412 + 96 + 200) * MIB, (1024 + 512 + 512) * MIB);
    return new TopFrame(T0 + 500, REG, List.of(api, worker, stuck, batch), totals, 0, null, false);
  }
}
