package io.microsandbox.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RunningCollector#status()} with real threads: progress, per-exporter state, stuck loop.
 */
@Timeout(30)
class CollectorStatusTest {
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedSource() {
    release.countDown();
  }

  @Test
  void reportsSettingsCollectionsAndEachExportersPipeline() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    SnapshotSource twoSandboxes =
        () -> {
          reads.incrementAndGet();
          long now = System.currentTimeMillis();
          return List.of(Samples.sample(1, now), Samples.sample(2, now));
        };
    RecordingExporter failing =
        new RecordingExporter("down")
            .thenReturn(
                ExportResult.retryable("connection refused"),
                ExportResult.retryable("connection refused again"));
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(20))
            .flushInterval(Duration.ofHours(1))
            .maxSampleAge(Duration.ZERO)
            .source(twoSandboxes)
            .register(new RecordingExporter("up"))
            .register(failing, ExporterConfig.builder().maxBuffered(7).build())
            .build()
            .start()) {
      assertThat(OurThreads.await(() -> running.status().collections() >= 3, 5_000)).isTrue();
      running.flush().join();
      long after = running.status().collections();
      assertThat(OurThreads.await(() -> running.status().collections() > after, 5_000)).isTrue();
      running.flush().join();
      Instant before = Instant.now();

      CollectorStatus s = running.status();
      assertThat(s.collectInterval()).isEqualTo(Duration.ofMillis(20));
      assertThat(s.maxSampleAge()).isEqualTo(Duration.ZERO);
      assertThat(s.labels()).isFalse();
      assertThat(s.registry()).as("a plugged source is no registry").isEmpty();
      assertThat(s.sandboxes()).isEqualTo(2);
      assertThat(s.lastCollectionAt()).isPresent();
      assertThat(s.lastReadError()).isEmpty();
      assertThat(s.sinceLastTick()).isLessThan(Duration.ofSeconds(5));

      ExporterStatus up = s.exporters().get(0);
      assertThat(up.name()).isEqualTo("up");
      assertThat(up.exportsSuccess()).isEqualTo(2);
      assertThat(up.consecutiveFailures()).isZero();
      assertThat(up.lastSuccessAt()).isPresent();
      assertThat(up.lastError()).isEmpty();
      assertThat(up.flushInterval()).isEqualTo(Duration.ofHours(1));

      ExporterStatus down = s.exporters().get(1);
      assertThat(down.name()).isEqualTo("down");
      assertThat(down.maxBuffered()).isEqualTo(7);
      assertThat(down.exportsSuccess()).isZero();
      assertThat(down.exportsFailure()).isEqualTo(2);
      assertThat(down.consecutiveFailures()).isEqualTo(2);
      assertThat(down.lastSuccessAt()).isEmpty();
      assertThat(down.lastError()).contains("connection refused again");
      assertThat(down.lastErrorAt()).isPresent();
      assertThat(down.bufferedCollections()).isPositive();
      // the backoff's next attempt, a flush interval (1 h) or more after the failed one
      assertThat(down.nextAttemptAt().orElseThrow()).isAfter(before.plus(Duration.ofMinutes(50)));
    }
  }

  @Test
  void aStuckReadShowsAsAGrowingTimeSinceTheLastTick() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    SnapshotSource blocksOnSecondRead =
        () -> {
          if (reads.incrementAndGet() >= 2) {
            release.await();
          }
          return List.<SandboxSnapshot>of();
        };
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(10))
            .source(blocksOnSecondRead)
            .register(new RecordingExporter("rec"))
            .build()
            .start()) {
      assertThat(OurThreads.await(() -> reads.get() >= 2, 5_000)).isTrue();
      Duration first = running.status().sinceLastTick();
      assertThat(
              OurThreads.await(
                  () -> running.status().sinceLastTick().compareTo(first.plusMillis(50)) > 0,
                  5_000))
          .isTrue();
      assertThat(running.status().collections()).isEqualTo(1);
      release.countDown();
    }
  }

  @Test
  void aFailingReadIsReportedUntilAReadSucceeds() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    SnapshotSource failsFirst =
        () -> {
          if (reads.incrementAndGet() <= 2) {
            throw new IllegalStateException("registry is corrupt");
          }
          release.await();
          return List.<SandboxSnapshot>of();
        };
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(10))
            .source(failsFirst)
            .register(new RecordingExporter("rec"))
            .build()
            .start()) {
      assertThat(OurThreads.await(() -> reads.get() >= 2, 5_000)).isTrue();
      CollectorStatus s = running.status();
      assertThat(s.collections()).isZero();
      assertThat(s.lastCollectionAt()).isEmpty();
      assertThat(s.lastReadError().orElseThrow()).contains("registry is corrupt");
      release.countDown();
      assertThat(OurThreads.await(() -> running.status().collections() >= 1, 5_000)).isTrue();
      assertThat(running.status().lastReadError()).isEmpty();
    }
  }
}
