package io.microsandbox.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RunningCollector#latest()} and {@link RunningCollector#telemetry()} with real threads. */
@Timeout(30)
class LatestCollectionTest {
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedSource() {
    release.countDown();
  }

  @Test
  void emptyBeforeTheFirstCollectionThenTheLatestWithoutAnyExporter() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    SnapshotSource source =
        () -> {
          if (reads.incrementAndGet() == 1) {
            firstRead.countDown();
            release.await(); // the first read waits, so latest() is seen empty
          }
          return List.of(Samples.sample(reads.get(), System.currentTimeMillis()));
        };
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(10))
            .maxSampleAge(Duration.ZERO)
            .source(source)
            .build()
            .start()) {
      assertThat(firstRead.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(running.latest()).isEmpty();
      assertThat(running.telemetry()).as("no exporter, no pipeline").isEmpty();
      release.countDown();

      assertThat(OurThreads.await(() -> running.status().collections() >= 3, 10_000)).isTrue();
      SnapshotCollection latest = running.latest().orElseThrow();
      assertThat(latest.snapshots()).hasSize(1);
      assertThat(latest.snapshots().get(0).sandboxId()).isGreaterThanOrEqualTo(3);
      assertThat(latest.collectedAtMs()).isPositive();
    }
  }

  @Test
  void aReadThatHangsLeavesTheLatestReadableAndUnchanged() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch stuck = new CountDownLatch(1);
    SnapshotSource source =
        () -> {
          int n = reads.incrementAndGet();
          if (n == 3) {
            stuck.countDown();
            release.await(); // the collect loop is stuck in the registry
          }
          long now = System.currentTimeMillis();
          return List.of(Samples.sample(1, now), Samples.sample(2, now));
        };
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(10))
            .maxSampleAge(Duration.ZERO)
            .source(source)
            .register(new RecordingExporter("rec"))
            .build()
            .start()) {
      assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
      Optional<SnapshotCollection> first = running.latest();
      assertThat(first).isPresent();
      assertThat(first.get().snapshots())
          .extracting(SandboxSnapshot::name)
          .containsExactly("sandbox-1", "sandbox-2");
      // same instance while no new collection completed: callers may compare by identity
      AtomicReference<SnapshotCollection> seen = new AtomicReference<>();
      Thread reader = new Thread(() -> seen.set(running.latest().orElseThrow()));
      reader.start();
      reader.join(10_000);
      assertThat(seen.get()).isSameAs(first.get());
      assertThat(running.latest().orElseThrow()).isSameAs(first.get());
      release.countDown(); // let the loop go, so close() can stop it
    }
  }

  @Test
  void telemetryHoldsEachExportersPipelineByName() throws Exception {
    SnapshotSource source = () -> List.of(Samples.sample(1, System.currentTimeMillis()));
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(10))
            .flushInterval(Duration.ofHours(1))
            .maxSampleAge(Duration.ZERO)
            .source(source)
            .register(new RecordingExporter("a"))
            .register(new RecordingExporter("b").thenReturn(ExportResult.retryable("backend down")))
            .build()
            .start()) {
      assertThat(OurThreads.await(() -> running.status().collections() >= 2, 10_000)).isTrue();
      running.flush().join();
      Map<String, CollectorTelemetry> t = running.telemetry();
      assertThat(t).containsOnlyKeys("a", "b");
      assertThat(t.keySet()).containsExactly("a", "b");
      assertThat(t.get("a").exportsSuccess()).isEqualTo(1);
      assertThat(t.get("a").pointsExported()).isPositive();
      assertThat(t.get("b").exportsFailure()).isEqualTo(1);
      assertThat(t.get("b").bufferDepth()).as("kept for the retry").isPositive();
      assertThat(t.get("a").lastScanDurationNanos()).isPositive();
    }
  }
}
