package io.microsandbox.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.microsandbox.metrics.collector.testing.LogCapture;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The collector end to end with real threads: lifecycle, flush, shutdown, isolation, leaks. */
@Timeout(30)
class MetricsCollectorTest {
  private final CountingSource source = new CountingSource();
  private final CountDownLatch releaseHung = new CountDownLatch(1);

  @AfterEach
  void releaseHungExporters() {
    releaseHung.countDown();
  }

  private MetricsCollector.Builder fastCollector() {
    return MetricsCollector.builder()
        .collectInterval(Duration.ofMillis(10))
        .flushInterval(Duration.ofHours(1))
        .maxSampleAge(Duration.ZERO)
        .source(source);
  }

  /** An exporter whose export sleeps an hour (interruptibly). */
  private static RecordingExporter hangingForAnHour() {
    return new RecordingExporter("hung")
        .thenDo(
            () -> {
              Thread.sleep(3_600_000);
              return ExportResult.success(0);
            });
  }

  /** A collector with a 300 ms export timeout, started, with two collections read. */
  private RunningCollector startedWithA300msExportTimeout(RecordingExporter exporter)
      throws InterruptedException {
    RunningCollector running =
        fastCollector().exportTimeout(Duration.ofMillis(300)).register(exporter).build().start();
    assertThat(OurThreads.await(() -> source.reads.get() >= 2, 10_000)).isTrue();
    return running;
  }

  private static void assertNoThreadsLeft() throws InterruptedException {
    assertThat(OurThreads.await(() -> OurThreads.alive().isEmpty(), 5_000))
        .as("threads left: %s", OurThreads.alive())
        .isTrue();
  }

  @Test
  void anEmptySpoolDirectoryIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ExporterConfig.builder().spoolDir(java.nio.file.Path.of("")))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("spoolDir"))
        .hasMessageContaining("empty path");
  }

  @Test
  void buildRejectsNonPositiveSettingsNamingThem() {
    RecordingExporter e = new RecordingExporter("rec");
    assertThatThrownBy(
            () -> MetricsCollector.builder().register(e).collectInterval(Duration.ZERO).build())
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            x -> assertThat(x.setting()).isEqualTo("collectInterval"))
        .hasMessage("collect interval must be positive, got 0");
    assertThatThrownBy(
            () ->
                MetricsCollector.builder()
                    .register(e)
                    .flushInterval(Duration.ofSeconds(-1))
                    .build())
        .hasMessageContaining("flush interval must be positive");
    assertThatThrownBy(() -> MetricsCollector.builder().register(e).maxBuffered(0).build())
        .hasMessage("max buffered must be at least 1, got 0");
    assertThatThrownBy(
            () -> MetricsCollector.builder().register(e).exportTimeout(Duration.ZERO).build())
        .hasMessageContaining("export timeout must be positive");
    assertThatThrownBy(
            () ->
                MetricsCollector.builder().register(e).maxSampleAge(Duration.ofMillis(-1)).build())
        .hasMessageContaining("max sample age");
    assertThat(MetricsCollector.builder().build())
        .as("a collector without exporters is read through latest()")
        .isNotNull();
    assertThatThrownBy(() -> ExporterConfig.builder().exportTimeout(Duration.ZERO))
        .hasMessageContaining("export timeout must be positive");
    assertThat(MetricsCollector.builder().register(e).maxSampleAge(Duration.ZERO).build())
        .isNotNull();
  }

  @Test
  void buildRejectsDurationsBeyondTheLongestNamingThem() {
    RecordingExporter e = new RecordingExporter("rec");
    Duration huge = Duration.ofHours(999_999_999_999L);
    assertThatThrownBy(() -> MetricsCollector.builder().register(e).collectInterval(huge).build())
        .hasMessageStartingWith("collect interval must be at most 365 days");
    assertThatThrownBy(() -> MetricsCollector.builder().register(e).flushInterval(huge).build())
        .hasMessageStartingWith("flush interval must be at most");
    assertThatThrownBy(() -> MetricsCollector.builder().register(e).exportTimeout(huge).build())
        .hasMessageStartingWith("export timeout must be at most");
    assertThatThrownBy(() -> MetricsCollector.builder().register(e).maxSampleAge(huge).build())
        .hasMessageStartingWith("max sample age must be at most");
    assertThatThrownBy(() -> ExporterConfig.builder().flushInterval(huge))
        .hasMessageStartingWith("flush interval must be at most");
    assertThat(
            MetricsCollector.builder()
                .register(e)
                .exportTimeout(MetricsCollector.LONGEST_DURATION)
                .build())
        .isNotNull();
  }

  @Test
  void lifecycleMisuseIsAClearException() throws Exception {
    MetricsCollector collector = fastCollector().register(new RecordingExporter("rec")).build();
    RunningCollector running = collector.start();

    assertThatThrownBy(collector::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    CompletableFuture<Void> shutdown = running.shutdown();
    assertThat(running.shutdown()).isSameAs(shutdown);
    assertThatThrownBy(running::flush)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after shutdown");
    shutdown.get(10, TimeUnit.SECONDS);
    assertNoThreadsLeft();
  }

  @Test
  void flushExportsAtOnceAndCompletesWithEachExportersOutcome() throws Exception {
    RecordingExporter rec = new RecordingExporter("rec");
    try (RunningCollector running = fastCollector().register(rec).build().start()) {
      assertThat(OurThreads.await(() -> source.reads.get() >= 2, 10_000)).isTrue();

      FlushOutcome outcome = running.flush().get(10, TimeUnit.SECONDS);

      assertThat(outcome.isSuccess()).isTrue();
      assertThat(outcome.results()).containsOnlyKeys("rec");
      assertThat(outcome.results().get("rec").state()).isEqualTo(ExporterFlush.State.EXPORTED);
      assertThat(rec.calls()).isEqualTo(1);
      assertThat(rec.batches().get(0).collections()).isNotEmpty();
    }
  }

  @Test
  void shutdownEndsWithOneSummaryLine() throws Exception {
    RecordingExporter rec = new RecordingExporter("rec");
    try (LogCapture log = LogCapture.start()) {
      RunningCollector running = fastCollector().register(rec).build().start();
      assertThat(OurThreads.await(() -> source.reads.get() >= 3, 10_000)).isTrue();
      running.shutdown().get(10, TimeUnit.SECONDS);

      assertThat(log.lines("collector stopped after"))
          .singleElement()
          .asString()
          .contains("INFO")
          .containsPattern("collector stopped after [0-9]+ collections; rec: [0-9]+ collections")
          .contains(" points) exported, 0 dropped");
    }
  }

  @Test
  void aHomeThatDoesNotExistIsLoggedOnceNamingItAndItsOriginAndTheCollectorKeepsPolling(
      @TempDir Path tmp) throws Exception {
    Path missing = tmp.resolve("no-such-home");
    try (LogCapture log = LogCapture.start()) {
      RunningCollector running =
          MetricsCollector.builder()
              .collectInterval(Duration.ofMillis(10))
              .msbHome(missing)
              .attachCatalog(false)
              .register(new RecordingExporter("rec"))
              .build()
              .start();
      assertThat(OurThreads.await(() -> running.status().collections() >= 3, 10_000)).isTrue();
      running.shutdown().get(10, TimeUnit.SECONDS);

      assertThat(log.lines("does not exist"))
          .singleElement()
          .asString()
          .contains("WARN")
          .contains("microsandbox home " + missing + " (given as argument) does not exist")
          .contains("keeps polling");
    }
  }

  @Test
  void theHomesOriginIsNamed() {
    assertThat(MsbHome.locate(null, Map.of("MSB_HOME", "/srv/msb", "HOME", "/root")))
        .hasToString("/srv/msb (from MSB_HOME)");
    assertThat(MsbHome.locate(null, Map.of("HOME", "/home/a")))
        .hasToString("/home/a/.microsandbox (the default, $HOME/.microsandbox)");
    assertThat(MsbHome.locate("/opt/msb", Map.of("MSB_HOME", "/srv/msb")))
        .hasToString("/opt/msb (given as argument)");
    assertThat(MsbHome.locate(null, Map.of())).isNull();
  }

  @Test
  void emptyNamesAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> MetricsCollector.builder().msbHome(""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("msbHome"));
    assertThatThrownBy(() -> MetricsCollector.builder().registryName(""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("registryName"));
    assertThatThrownBy(() -> fastCollector().register(new RecordingExporter("")).build())
        .isInstanceOfSatisfying(
            InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("register"))
        .hasMessageContaining("has no name");
  }

  @Test
  void closeDrainsLikeShutdownAndAgainOnlyWaits() throws Exception {
    RecordingExporter rec = new RecordingExporter("rec");
    RunningCollector running = fastCollector().register(rec).build().start();
    assertThat(OurThreads.await(() -> source.reads.get() >= 3, 10_000)).isTrue();

    running.close();

    int collections = rec.batches().stream().mapToInt(b -> b.collections().size()).sum();
    assertThat(collections).isEqualTo(source.reads.get());
    assertThat(running.shutdown()).isDone();
    running.close();
    assertThat(rec.shutdowns()).isEqualTo(1);
    assertNoThreadsLeft();
  }

  @Test
  void closeIsBoundedAndDoesNotThrowWhenTheFinalExportTimesOut() throws Exception {
    RecordingExporter hung = hangingForAnHour();
    RunningCollector running = startedWithA300msExportTimeout(hung);

    long start = System.nanoTime();
    running.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(running.shutdown()).isCompletedExceptionally();
    assertNoThreadsLeft();
  }

  @Test
  void shutdownDrainsEveryCollectionToAHealthyExporterAndLeavesNoThread() throws Exception {
    RecordingExporter rec = new RecordingExporter("rec");
    RunningCollector running = fastCollector().register(rec).build().start();
    assertThat(OurThreads.await(() -> source.reads.get() >= 5, 10_000)).isTrue();

    running.shutdown().get(10, TimeUnit.SECONDS);

    int collections = rec.batches().stream().mapToInt(b -> b.collections().size()).sum();
    assertThat(collections).isEqualTo(source.reads.get());
    assertThat(rec.shutdowns()).isEqualTo(1);
    assertThat(source.closed).isTrue();
    assertNoThreadsLeft();
  }

  @Test
  void shutdownIsBoundedByTheExportTimeoutWithAHangingExporter() throws Exception {
    RecordingExporter hung = hangingForAnHour();
    RunningCollector running = startedWithA300msExportTimeout(hung);

    long start = System.nanoTime();
    assertThatThrownBy(() -> running.shutdown().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("hung")
        .hasMessageContaining("timed out");
    // bounded: the 300 ms export timeout plus the fixed shutdown grace, far from the 1 h hang
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(hung.shutdowns()).isEqualTo(1);
    assertNoThreadsLeft();
  }

  @Test
  void shutdownReturnsEvenWhenAnExporterIgnoresInterruption() throws Exception {
    RecordingExporter stubborn =
        new RecordingExporter("stubborn")
            .thenDo(
                () -> {
                  while (releaseHung.getCount() > 0) {
                    try {
                      releaseHung.await();
                    } catch (InterruptedException ignored) {
                      // ignores interruption on purpose
                    }
                  }
                  return ExportResult.success(0);
                });
    RunningCollector running =
        fastCollector().exportTimeout(Duration.ofMillis(200)).register(stubborn).build().start();
    assertThat(OurThreads.await(() -> source.reads.get() >= 2, 10_000)).isTrue();

    assertThatThrownBy(() -> running.shutdown().get(10, TimeUnit.SECONDS))
        .hasMessageContaining("stubborn");
    assertThat(OurThreads.alive()).allMatch(n -> n.startsWith("msb-metrics-export-stubborn"));

    releaseHung.countDown();
    assertNoThreadsLeft();
  }

  @Test
  void aHangingExporterDelaysNeitherCollectionNorTheOtherExporter() throws Exception {
    RecordingExporter hung =
        new RecordingExporter("hung")
            .thenDo(
                () -> {
                  releaseHung.await();
                  return ExportResult.success(0);
                });
    RecordingExporter healthy = new RecordingExporter("healthy");
    ExporterConfig fast = ExporterConfig.builder().flushInterval(Duration.ofMillis(50)).build();
    RunningCollector running =
        fastCollector()
            .exportTimeout(Duration.ofMinutes(5))
            .register(hung, fast)
            .register(healthy, fast)
            .build()
            .start();

    assertThat(OurThreads.await(() -> hung.calls() == 1 && healthy.calls() >= 3, 10_000)).isTrue();
    int readsThen = source.reads.get();
    assertThat(OurThreads.await(() -> source.reads.get() >= readsThen + 3, 10_000)).isTrue();
    assertThat(hung.calls()).isEqualTo(1);

    releaseHung.countDown();
    running.shutdown().get(10, TimeUnit.SECONDS);
    assertNoThreadsLeft();
  }

  @Test
  void twoExportersUnderOneNameAreRefusedNamingTheName() throws Exception {
    MetricsCollector.Builder twice =
        fastCollector()
            .register(new RecordingExporter("otlp"))
            .register(new RecordingExporter("otlp"));
    assertThatThrownBy(twice::build)
        .isInstanceOfSatisfying(
            InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("register"))
        .hasMessageContaining("two exporters are registered under the name 'otlp'");
    try (RunningCollector running =
        fastCollector()
            .register(new RecordingExporter("otlp"))
            .register(new RecordingExporter("stdout"))
            .build()
            .start()) {
      assertThat(running.exporterNames()).containsExactly("otlp", "stdout");
    }
  }

  /** One fresh sample per read; counts reads and whether it was closed. */
  private static final class CountingSource implements SnapshotSource {
    final AtomicInteger reads = new AtomicInteger();
    volatile boolean closed;

    @Override
    public List<SandboxSnapshot> read() {
      int n = reads.incrementAndGet();
      return List.of(Samples.sample(n, System.currentTimeMillis()));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
