package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterFlush;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.testing.LogCapture;
import io.microsandbox.metrics.collector.testing.ManualScheduler;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.collector.testing.UnwritableSpool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a worker tells: its log lines (durations as the flags take them, one line per final failure,
 * the first accepted export), its flush outcomes and its fatal stop.
 */
@Timeout(30)
class ExporterWorkerLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingExporter exporter = new RecordingExporter("rec", scheduler::nanoTime);
  private final ExportCaller caller = new ExportCaller("rec");
  private final IdentityInterner interner = new IdentityInterner();
  private long tick;

  @AfterEach
  void closeCaller() {
    caller.close();
  }

  private ExporterWorker worker(ExporterBuffer buffer, ExporterSettings settings) {
    ExporterWorker w = new ExporterWorker(settings, buffer, scheduler, caller, new CollectStats());
    w.start();
    scheduler.runDue();
    return w;
  }

  private ExporterWorker inMemory() {
    return worker(
        new SnapshotBuffer(100),
        ExporterSettings.inMemory(
            exporter, Duration.ofSeconds(1), 100, Duration.ofSeconds(5), Duration.ofSeconds(1)));
  }

  private ExporterWorker overSpool(UnwritableSpool spool) {
    ExporterSettings settings =
        ExporterSettings.inMemory(
                exporter, Duration.ofSeconds(1), 20, Duration.ofSeconds(5), Duration.ofSeconds(1))
            .withSpool(
                new SpoolSettings(
                    Path.of("spool", "rec"),
                    SpoolSettings.DEFAULT_MAX_BYTES,
                    Duration.ofHours(1),
                    SpoolSettings.DEFAULT_SYNC_INTERVAL));
    return worker(new SpooledBuffer("rec", spool, 20), settings);
  }

  private void offer(ExporterWorker w) {
    long stamp = ++tick;
    w.offer(
        CompactCollection.encode(
            stamp, List.of(Samples.sample((int) stamp, stamp)), Map.of(), interner));
  }

  @Test
  void retryWaitsAreWrittenAsTheFlagsTakeThem() {
    exporter.thenReturn(
        ExportResult.retryable("down"),
        ExportResult.retryable("down"),
        ExportResult.retryable("down"),
        ExportResult.retryable("down"),
        ExportResult.retryable("down"));
    try (LogCapture log = LogCapture.start()) {
      ExporterWorker w = inMemory();
      offer(w);
      scheduler.advance(31 * SECOND); // attempts at 1, 2, 4, 8, 16 s (waits 1s, 2s, 4s, 8s, 16s)
      List<String> retries = log.lines("will retry in");
      assertThat(retries).hasSize(5);
      assertThat(retries.get(0)).contains("will retry in 1s:");
      assertThat(retries.get(4)).contains("will retry in 16s:");
      assertThat(log.lines()).noneMatch(l -> l.contains("PT"));
    }
  }

  @Test
  void aFailedFinalExportThatLosesCollectionsIsOneErrorLineAndNeverSaysWillRetry() {
    exporter.thenReturn(ExportResult.retryable("connection refused"));
    try (LogCapture log = LogCapture.start()) {
      ExporterWorker w = inMemory();
      offer(w);
      offer(w);
      CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
      scheduler.runDue();

      assertThat(drained.join()).contains("2 buffered collections were not delivered");
      assertThat(log.lines("rec")).hasSize(1);
      assertThat(log.lines("rec").get(0))
          .contains("ERROR")
          .contains("final export failed (connection refused)")
          .doesNotContain("will retry");
    }
  }

  @Test
  void aFailedFinalExportWithEverythingKeptInTheSpoolIsACleanStopWithOneInfoLine() {
    exporter.thenReturn(
        ExportResult.retryable("down"), ExportResult.retryable("connection refused"));
    UnwritableSpool spool = new UnwritableSpool();
    spool.writable(true);
    try (LogCapture log = LogCapture.start()) {
      ExporterWorker w = overSpool(spool);
      offer(w);
      offer(w);
      scheduler.advance(SECOND); // the first attempt fails
      offer(w);
      CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
      scheduler.runDue();

      assertThat(drained.join()).as("a clean stop").isNull();
      List<String> finalLines = log.lines("final export");
      assertThat(finalLines).hasSize(1);
      assertThat(finalLines.get(0))
          .contains("INFO")
          .contains("final export failed (connection refused)")
          .contains("3 collections stay in the spool for the next start");
      assertThat(log.lines("ERROR")).isEmpty();
      assertThat(w.summary())
          .isEqualTo("rec: 0 collections (0 points) exported, 0 dropped, 3 left in the spool");
    }
  }

  @Test
  void theFirstAcceptedExportIsOneInfoLine() {
    exporter.thenReturn(ExportResult.retryable("down"), ExportResult.success(7));
    try (LogCapture log = LogCapture.start()) {
      ExporterWorker w = inMemory();
      offer(w);
      scheduler.advance(SECOND); // fails
      offer(w);
      scheduler.advance(SECOND); // accepted
      offer(w);
      scheduler.advance(SECOND); // accepted again: no second line
      assertThat(log.lines("first export accepted"))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .contains("INFO")
                      .contains("exporter rec: first export accepted (2 collections, 7 points)")
                      .contains("after 1 failed attempts"));
      assertThat(log.lines("recovered")).isEmpty();
      assertThat(w.summary()).startsWith("rec: 3 collections (");
    }
  }

  @Test
  void aFlushWithNothingBufferedHasAnOutcomeOfItsOwn() {
    ExporterWorker w = inMemory();
    CompletableFuture<ExporterFlush> empty = w.flush();
    scheduler.runDue();
    assertThat(empty.join().state()).isEqualTo(ExporterFlush.State.NOTHING_TO_EXPORT);
    assertThat(empty.join().result()).isEmpty();
    assertThat(empty.join().isSuccess()).isTrue();
    assertThat(exporter.calls()).isZero();

    offer(w);
    CompletableFuture<ExporterFlush> exported = w.flush();
    scheduler.runDue();
    assertThat(exported.join().state()).isEqualTo(ExporterFlush.State.EXPORTED);
    assertThat(exported.join().result()).isPresent();
  }

  @Test
  void aLinkageErrorStopsTheExporterForGoodWithOneErrorShownInItsStatus() {
    exporter.thenDo(
        () -> {
          throw new NoSuchMethodError("'okio.Socket okio.Okio.socket(java.net.Socket)'");
        });
    try (LogCapture log = LogCapture.start()) {
      ExporterWorker w = inMemory();
      offer(w);
      scheduler.advance(SECOND); // the call throws the linkage error
      offer(w);
      scheduler.advance(600 * SECOND); // never tried again
      CompletableFuture<ExporterFlush> flushed = w.flush();
      scheduler.runDue();

      assertThat(exporter.calls()).isEqualTo(1);
      assertThat(flushed.join().state()).isEqualTo(ExporterFlush.State.STOPPED);
      assertThat(log.lines("ERROR"))
          .singleElement()
          .satisfies(
              l -> assertThat(l).contains("exporter rec: stopped for good").contains("okio.Okio"));
      assertThat(w.status().fatalError())
          .hasValueSatisfying(e -> assertThat(e).contains("NoSuchMethodError"));
      assertThat(w.status().nextAttemptAt()).isEmpty();
      assertThat(w.status().bufferedCollections()).as("later offers are ignored").isEqualTo(1);

      CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
      scheduler.runDue();
      assertThat(drained.join()).as("not reported again").isNull();
      assertThat(exporter.calls()).isEqualTo(1);
      assertThat(log.lines("ERROR")).hasSize(1);
    }
  }
}
