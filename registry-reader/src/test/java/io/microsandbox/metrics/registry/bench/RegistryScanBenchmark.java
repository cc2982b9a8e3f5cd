package io.microsandbox.metrics.registry.bench;

import io.microsandbox.metrics.registry.RegistryReader;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TestClocks;
import io.microsandbox.metrics.registry.writer.RegistryWriter;
import io.microsandbox.metrics.registry.writer.SlotHandle;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full scan ({@code RegistryReader.scan(false)}) of a 1024-slot registry holding {@code active}
 * sandboxes with fresh samples, as microsandbox leaves it while they run; includes the per-scan
 * check that the object was not recreated ({@code shm_open} + {@code fstat}).
 *
 * <p>{@code ownerCheck}: {@code fresh-skip} is the reader's default (no {@code kill(pid, 0)} for
 * owners of fresh samples, an "alive" verdict reused for 1 s); {@code kill-per-slot} forces a
 * {@code kill(pid, 0)} per active slot per scan, as microsandbox's own reader does. The owner pid
 * is this JVM's, so every call finds it alive.
 *
 * <p>Sample-time mode: read the {@code p0.50} rows (medians).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime) // reports percentiles: the median is robust on a shared host
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryScanBenchmark {
  private static final int CAPACITY = 1024;

  @Param({"1000", "10"})
  public int active;

  @Param({"fresh-skip", "kill-per-slot"})
  public String ownerCheck;

  private RegistryWriter writer;
  private RegistryReader reader;

  @Setup(Level.Trial)
  public void setUp() {
    writer = RegistryWriter.create("/msb-bench-" + UUID.randomUUID(), CAPACITY);
    int pid = (int) ProcessHandle.current().pid();
    long now = System.currentTimeMillis();
    for (int i = 0; i < active; i++) {
      SlotHandle slot = writer.reserve(i + 1, "sandbox-" + i, 512L << 20);
      slot.activate(1000 + i, pid, now - 60_000);
      slot.writeSample(
          SandboxSnapshot.builder()
              .sampledAtMs(now)
              .cpuPercent(12.5f + i)
              .sampleFlags(0x7f)
              .raw(io.microsandbox.metrics.registry.SampleField.MEMORY_BYTES, 300L << 20)
              .raw(io.microsandbox.metrics.registry.SampleField.NET_RX_BYTES, -1L)
              .build());
    }
    RegistryReader.Builder builder =
        RegistryReader.builder(writer.name())
            // samples stay as fresh as a live runtime keeps them (it writes about once a second)
            .timeSource(TestClocks.wallClock(() -> now + 500));
    if (ownerCheck.equals("kill-per-slot")) {
      builder.freshSampleWindow(Duration.ZERO).ownerRecheckInterval(Duration.ZERO);
    }
    reader = builder.build();
    RegistryScan first = reader.scan(false);
    if (first.snapshots().size() != active) {
      throw new IllegalStateException("expected " + active + " sandboxes, read " + first);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reader.close();
    writer.close();
    writer.unlink();
  }

  @Benchmark
  public RegistryScan fullScan() {
    return reader.scan(false);
  }
}
