package io.microsandbox.metrics.cli.bench;

import io.microsandbox.metrics.cli.top.SortKey;
import io.microsandbox.metrics.cli.top.TopFrame;
import io.microsandbox.metrics.cli.top.TopJson;
import io.microsandbox.metrics.cli.top.TopModel;
import io.microsandbox.metrics.cli.top.TopRenderer;
import io.microsandbox.metrics.registry.RegistryScan;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.TimeSource;
import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one tick of {@code msb-metrics top} costs beyond the registry scan, for N sandboxes: the
 * model (dedup, state, rates, totals, sort by CPU), the text rendering at 200 columns, and the JSON
 * Lines of the same frame. Each {@code update} sees a new sample of every sandbox, so every run
 * computes a rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TopTickBenchmark {
  private static final long T0 = 1_700_000_000_000L;

  @Param({"100", "1000"})
  public int sandboxes;

  private final long[] now = {T0};
  private TopModel model;
  private TopRenderer renderer;
  private RegistryScan[] scans;
  private int tick;
  private TopFrame frame;

  private static final Writer NULL_WRITER =
      new Writer() {
        @Override
        public void write(char[] buf, int off, int len) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @Setup
  public void setUp() {
    model = new TopModel(new FixedTime(now), SortKey.CPU, null);
    renderer = new TopRenderer(false, ZoneOffset.UTC);
    // 64 ticks of samples, one second apart, replayed round-robin with time moving on
    scans = new RegistryScan[64];
    for (int t = 0; t < scans.length; t++) {
      List<SandboxSnapshot> list = new ArrayList<>(sandboxes);
      for (int i = 0; i < sandboxes; i++) {
        list.add(
            SandboxSnapshot.builder()
                .slot(i)
                .sandboxId(i + 1)
                .runId(i + 1)
                .pid(1000 + i)
                .name("sandbox-" + i)
                .startedAtMs(T0 - 3_600_000)
                .sampledAtMs(T0 + t * 1000L)
                .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
                .cpuPercent((i * 37 + t * 11) % 400)
                .raw(SampleField.MEMORY_BYTES, (64L + i % 512) << 20)
                .raw(SampleField.MEMORY_LIMIT_BYTES, 1L << 30)
                .raw(SampleField.DISK_READ_BYTES, (long) t * (i + 1) * 4096)
                .raw(SampleField.DISK_WRITE_BYTES, (long) t * (i + 1) * 1024)
                .raw(SampleField.NET_RX_BYTES, (long) t * (i + 1) * 512)
                .raw(SampleField.NET_TX_BYTES, (long) t * (i + 1) * 256)
                .build());
      }
      scans[t] = RegistryScan.of(sandboxes + 24, list, 0);
    }
    for (int t = 0; t < 3; t++) {
      frame = update();
    }
  }

  private TopFrame update() {
    int t = tick++ % scans.length;
    if (t == 0) {
      // a replay from the start would go back in time: a fresh model, as after a restart
      model = new TopModel(new FixedTime(now), SortKey.CPU, null);
    }
    now[0] = T0 + t * 1000L + 500;
    return model.update("/msb-met-0123456789abcdef-v3", scans[t], Map.of());
  }

  /** The model's part of a tick. */
  @Benchmark
  public TopFrame modelUpdate() {
    return update();
  }

  /** Rendering one frame to 200-column text lines. */
  @Benchmark
  public List<String> renderText() {
    return renderer.render(frame, 200, "every 1s | q to quit");
  }

  /** Writing one frame as JSON Lines (to a writer that drops the characters). */
  @Benchmark
  public TopFrame writeJson() throws IOException {
    TopJson.write(NULL_WRITER, frame);
    return frame;
  }

  /** A clock reading the shared current time. */
  private static final class FixedTime implements TimeSource {
    private final long[] now;

    FixedTime(long[] now) {
      this.now = now;
    }

    @Override
    public long nanoTime() {
      return now[0] * 1_000_000;
    }

    @Override
    public long currentTimeMillis() {
      return now[0];
    }
  }
}
