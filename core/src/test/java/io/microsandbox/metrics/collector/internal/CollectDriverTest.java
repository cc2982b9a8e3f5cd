package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.testing.ManualScheduler;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The collect loop on a hand-driven clock: staleness, failures, labels, cadence. */
class CollectDriverTest {
  private static final long SECOND = 1_000_000_000L;
  private static final LabelLimits.Config DEFAULT_LIMITS =
      new LabelLimits.Config(
          MetricsCollector.DEFAULT_MAX_LABELS,
          MetricsCollector.DEFAULT_MAX_LABEL_NAME_BYTES,
          MetricsCollector.DEFAULT_MAX_LABEL_VALUE_BYTES);

  private final ManualScheduler clock = new ManualScheduler();
  private final ManualScheduler workerThread = new ManualScheduler();
  private final RecordingExporter exporter = new RecordingExporter("rec");
  private final ExportCaller caller = new ExportCaller("rec");
  private final ExporterWorker worker =
      new ExporterWorker(
          ExporterSettings.inMemory(
              exporter, Duration.ofHours(1), 100, Duration.ofSeconds(5), Duration.ofSeconds(1)),
          new SnapshotBuffer(100),
          workerThread,
          caller,
          new CollectStats());
  private final ScriptedSource source = new ScriptedSource();

  @AfterEach
  void closeCaller() {
    caller.close();
  }

  private CollectDriver driver(Duration maxSampleAge, MetadataSource metadata) {
    return driver(maxSampleAge, metadata, new CollectStats(), DEFAULT_LIMITS);
  }

  private CollectDriver driver(
      Duration maxSampleAge,
      MetadataSource metadata,
      CollectStats stats,
      LabelLimits.Config limits) {
    return new CollectDriver(
        clock,
        source,
        metadata,
        Duration.ofSeconds(1),
        maxSampleAge,
        List.of(worker),
        stats,
        new LabelLimits(limits, stats));
  }

  /** Everything the worker buffered so far, flushed as one batch. */
  private List<SnapshotCollection> collected() {
    worker.flush();
    workerThread.runDue();
    List<ExportBatch> batches = exporter.batches();
    return batches.isEmpty() ? List.of() : batches.get(batches.size() - 1).collections();
  }

  private long now() {
    return clock.currentTimeMillis();
  }

  @Test
  void skipsSamplesOlderThanTheMaxSampleAgeMeasuredAgainstTheCollectionTime() {
    long now = now();
    SandboxSnapshot fresh = Samples.sample(1, now - 30_000);
    SandboxSnapshot frozen = Samples.sample(2, now - 30_001);
    SandboxSnapshot ahead = Samples.sample(3, now + 500);
    source.then(() -> List.of(fresh, frozen, ahead));

    driver(Duration.ofSeconds(30), null).collectOnce();

    List<SnapshotCollection> c = collected();
    assertThat(c).hasSize(1);
    assertThat(c.get(0).collectedAtMs()).isEqualTo(now);
    assertThat(c.get(0).snapshots()).containsExactly(fresh, ahead);
  }

  @Test
  void aZeroMaxSampleAgeKeepsEverySample() {
    SandboxSnapshot ancient = Samples.sample(1, 0);
    source.then(() -> List.of(ancient));

    driver(Duration.ZERO, null).collectOnce();

    assertThat(collected().get(0).snapshots()).containsExactly(ancient);
  }

  @Test
  void aReadThatThrowsSkipsTheTickAndTheNextTickWorks() {
    SandboxSnapshot s = Samples.sample(1, now());
    source.then(
        () -> {
          throw new IllegalStateException("registry corrupt");
        });
    source.then(() -> List.of(s.toBuilder().sampledAtMs(now()).build()));
    CollectDriver d = driver(Duration.ofSeconds(30), null);

    d.collectOnce();
    d.collectOnce();

    assertThat(collected()).hasSize(1);
  }

  @Test
  void aThrowingMetadataSourceCostsTheLabelsAndAllocationsNotTheMetrics() {
    SandboxSnapshot s = Samples.sample(7, now());
    source.then(() -> List.of(s));
    source.then(() -> List.of(s));
    List<Boolean> failNext = new ArrayList<>(List.of(true, false));
    Allocation twoCpus = new Allocation(2, 1024, 4, 2048, 1000, false);
    MetadataSource metadata =
        snapshots -> {
          if (failNext.remove(0)) {
            throw new IllegalStateException("catalog locked");
          }
          return Map.of(7, new SandboxMetadata(Map.of("team", "infra"), twoCpus));
        };
    CollectDriver d = driver(Duration.ZERO, metadata);

    d.collectOnce();
    d.collectOnce();

    List<SnapshotCollection> c = collected();
    assertThat(c.get(0).snapshots()).containsExactly(s);
    assertThat(c.get(0).labels(s)).isEmpty();
    assertThat(c.get(0).allocation(s)).isEqualTo(Allocation.UNKNOWN);
    assertThat(c.get(1).labels(s)).containsExactly(Map.entry("team", "infra"));
    assertThat(c.get(1).allocation(s)).isEqualTo(twoCpus);
  }

  @Test
  void ticksAtAFixedRateEvenWhenAReadIsSlow() {
    List<Long> readTimes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      source.then(
          () -> {
            readTimes.add(clock.nanoTime());
            if (readTimes.size() == 2) {
              clock.advance(SECOND * 3 / 10); // this read takes 300 ms
            }
            return List.of();
          });
    }
    CollectDriver d = driver(Duration.ZERO, null);
    d.start();
    clock.advance(3 * SECOND + SECOND / 2);
    d.stop();
    clock.advance(10 * SECOND);

    assertThat(readTimes).containsExactly(0L, SECOND, 2 * SECOND, 3 * SECOND);
    assertThat(collected())
        .extracting(SnapshotCollection::collectedAtMs)
        .containsExactly(
            ManualScheduler.EPOCH_MS,
            ManualScheduler.EPOCH_MS + 1000,
            ManualScheduler.EPOCH_MS + 2000,
            ManualScheduler.EPOCH_MS + 3000);
  }

  @Test
  void publishesScanFiguresForCollectorTelemetry() {
    CollectStats stats = new CollectStats();
    source.skipped = 3;
    source.then(
        () -> {
          clock.advance(2_000_000); // the read takes 2 ms
          return List.of();
        });
    driver(Duration.ZERO, null, stats, DEFAULT_LIMITS).collectOnce();

    assertThat(stats.lastScanDurationNanos()).isEqualTo(2_000_000);
    assertThat(stats.slotsSkipped()).isEqualTo(3);
  }

  @Test
  void aFaultOfAMappedReadIsACountedSkippedScanWhereverTheJvmReportsIt() {
    // the JVM reports a SIGBUS of a truncated mapping as InternalError: during the read, or a
    // little later on the same thread (here: while the tick asks for labels)
    String fault = "a fault occurred in a recent unsafe memory access operation in compiled code";
    SandboxSnapshot s = Samples.sample(1, now());
    source.then(
        () -> {
          throw new InternalError(fault);
        });
    source.then(() -> List.of(s.toBuilder().sampledAtMs(now()).build()));
    source.then(() -> List.of(s.toBuilder().sampledAtMs(now()).build()));
    List<Boolean> faultNext = new ArrayList<>(List.of(true, false));
    MetadataSource late =
        snapshots -> {
          if (faultNext.remove(0)) {
            throw new InternalError(fault);
          }
          return Map.of();
        };
    CollectStats stats = new CollectStats();
    CollectDriver d = driver(Duration.ZERO, late, stats, DEFAULT_LIMITS);

    d.start(); // ticks at 0 s (read faults), 1 s (labels fault), 2 s (fine)
    clock.advance(2 * SECOND + SECOND / 2);
    d.stop();

    assertThat(stats.scansSkipped()).isEqualTo(2);
    assertThat(collected()).hasSize(1);
  }

  @Test
  void labelsOverTheLimitsAreDroppedForThatSandboxOnlyOnceAndCounted() {
    SandboxSnapshot huge = Samples.sample(1, now());
    SandboxSnapshot many = Samples.sample(2, now());
    SandboxSnapshot longName = Samples.sample(3, now());
    SandboxSnapshot fine = Samples.sample(4, now());
    Map<String, String> manyLabels = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      manyLabels.put(String.format("k%02d", i), "v");
    }
    Map<Integer, Map<String, String>> labels =
        Map.of(
            1, Map.of("blob", "x".repeat(6 << 20), "team", "infra"),
            2, manyLabels,
            3, Map.of("n".repeat(1025), "v", "ok", "\u00e9".repeat(1024)),
            4, Map.of("team", "web"));
    Map<Integer, SandboxMetadata> metadata = new HashMap<>();
    labels.forEach((id, l) -> metadata.put(id, new SandboxMetadata(l, Allocation.UNKNOWN)));
    for (int tick = 0; tick < 3; tick++) {
      source.then(() -> List.of(huge, many, longName, fine));
    }
    CollectStats stats = new CollectStats();
    CollectDriver d = driver(Duration.ZERO, snapshots -> metadata, stats, DEFAULT_LIMITS);

    d.collectOnce();
    d.collectOnce();
    d.collectOnce();

    List<SnapshotCollection> c = collected();
    assertThat(c).hasSize(3);
    for (SnapshotCollection one : c) {
      assertThat(one.labels(huge)).isEqualTo(Map.of("team", "infra"));
      assertThat(one.labels(many)).hasSize(23).containsKeys("k00", "k22").doesNotContainKey("k23");
      assertThat(one.labels(longName)).isEqualTo(Map.of("ok", "\u00e9".repeat(1024)));
      assertThat(one.labels(fine)).isSameAs(labels.get(4));
    }
    // 1 + 17 + 1 labels, counted once per sandbox and label set, not once per tick
    assertThat(stats.labelsDropped()).isEqualTo(19);
  }

  @Test
  void labelKeysReservedByPrometheusAreRenamedForEveryExporter() {
    SandboxSnapshot reserved = Samples.sample(1, now());
    SandboxSnapshot fine = Samples.sample(2, now());
    Map<String, String> reservedLabels = new TreeMap<>();
    reservedLabels.put("le", "0.5");
    reservedLabels.put("quantile", "0.9");
    reservedLabels.put("job", "billing");
    reservedLabels.put("exported_job", "already");
    reservedLabels.put("instance", "i-1");
    reservedLabels.put("__name__", "spoof");
    reservedLabels.put("team", "infra");
    Map<Integer, SandboxMetadata> metadata =
        Map.of(
            1, new SandboxMetadata(reservedLabels, Allocation.UNKNOWN),
            2, new SandboxMetadata(Map.of("team", "web", "jobs", "2"), Allocation.UNKNOWN));
    source.then(() -> List.of(reserved, fine));
    CollectStats stats = new CollectStats();
    CollectDriver d = driver(Duration.ZERO, snapshots -> metadata, stats, DEFAULT_LIMITS);

    d.collectOnce();

    SnapshotCollection c = collected().get(0);
    assertThat(c.labels(reserved))
        .containsOnly(
            Map.entry("exported_le", "0.5"),
            Map.entry("exported_quantile", "0.9"),
            Map.entry("exported_job", "already"),
            Map.entry("exported_exported_job", "billing"),
            Map.entry("exported_instance", "i-1"),
            Map.entry("exported___name__", "spoof"),
            Map.entry("team", "infra"));
    assertThat(c.labels(fine))
        .as("nothing reserved: the same map")
        .isSameAs(metadata.get(2).labels());
    assertThat(stats.labelsDropped()).isZero();
  }

  @Test
  void theLabelLimitsAreConfigurable() {
    SandboxSnapshot s = Samples.sample(1, now());
    source.then(() -> List.of(s));
    CollectStats stats = new CollectStats();
    driver(
            Duration.ZERO,
            snapshots ->
                Map.of(
                    1,
                    new SandboxMetadata(
                        Map.of("a", "12345", "b", "1", "c", "2"), Allocation.UNKNOWN)),
            stats,
            new LabelLimits.Config(1, 8, 4))
        .collectOnce();

    assertThat(collected().get(0).labels(s)).isEqualTo(Map.of("b", "1"));
    assertThat(stats.labelsDropped()).isEqualTo(2);
  }

  /** Answers each read from a script; empty once the script is used up. */
  private static final class ScriptedSource implements SnapshotSource {
    private final Deque<Callable<List<SandboxSnapshot>>> script = new ArrayDeque<>();
    long skipped;

    void then(Callable<List<SandboxSnapshot>> read) {
      script.add(read);
    }

    @Override
    public List<SandboxSnapshot> read() throws Exception {
      Callable<List<SandboxSnapshot>> next = script.poll();
      return next == null ? List.of() : next.call();
    }

    @Override
    public long skippedSlots() {
      return skipped;
    }
  }
}
