package io.microsandbox.metrics.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import io.microsandbox.metrics.collector.testing.ManualScheduler;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.collector.testing.UnwritableSpool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker's retry, backoff, flush and drain logic, on a hand-driven clock. */
@Timeout(30)
class ExporterWorkerTest {
  private static final Duration FLUSH = Duration.ofSeconds(10);
  private static final Duration COLLECT = Duration.ofSeconds(1);
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

  private ExporterWorker worker(int maxBuffered, Duration exportTimeout) {
    return worker(ExporterSettings.inMemory(exporter, FLUSH, maxBuffered, exportTimeout, COLLECT));
  }

  private ExporterWorker worker(ExporterSettings settings) {
    ExporterWorker w =
        new ExporterWorker(
            settings,
            new SnapshotBuffer(settings.maxBuffered()),
            scheduler,
            caller,
            new CollectStats());
    w.start();
    scheduler.runDue();
    return w;
  }

  /** The export result of a flush; success with 0 points when there was nothing to export. */
  private static CompletableFuture<ExportResult> flush(ExporterWorker w) {
    return w.flush().thenApply(f -> f.result().orElse(ExportResult.success(0)));
  }

  private ExporterWorker worker() {
    return worker(100, Duration.ofSeconds(5));
  }

  /** Offers a collection stamped 1, 2, 3 ... so batches can be compared by stamp. */
  private long offer(ExporterWorker w) {
    long stamp = ++tick;
    w.offer(
        CompactCollection.encode(
            stamp, List.of(Samples.sample((int) stamp, stamp)), Map.of(), interner));
    return stamp;
  }

  private static List<Long> stamps(ExportBatch b) {
    return b.collections().stream()
        .map(SnapshotCollection::collectedAtMs)
        .collect(Collectors.toList());
  }

  private List<List<Long>> batches() {
    return exporter.batches().stream().map(ExporterWorkerTest::stamps).collect(Collectors.toList());
  }

  @Test
  void aFailedBatchIsRetriedInOrderWithNewerCollectionsWithoutLossOrDuplicates() {
    exporter.thenReturn(ExportResult.retryable("down"), ExportResult.retryable("still down"));
    ExporterWorker w = worker();

    offer(w);
    offer(w);
    scheduler.advance(10 * SECOND); // attempt 1 fails
    offer(w);
    scheduler.advance(10 * SECOND); // 1x backoff: attempt 2 fails
    offer(w);
    scheduler.advance(20 * SECOND); // 2x backoff: attempt 3 succeeds
    offer(w);
    scheduler.advance(10 * SECOND); // healthy again: one flush interval

    assertThat(batches())
        .containsExactly(
            List.of(1L, 2L), List.of(1L, 2L, 3L), List.of(1L, 2L, 3L, 4L), List.of(5L));
  }

  @Test
  void flushOnCollectExportsEachCollectionAtOnceExceptWhileFailing() {
    exporter.thenReturn(ExportResult.retryable("down"));
    ExporterWorker w =
        worker(
            ExporterSettings.inMemory(exporter, FLUSH, 100, Duration.ofSeconds(5), COLLECT)
                .withFlushOnCollect(true));

    offer(w);
    scheduler.runDue(); // attempt at once: fails
    assertThat(exporter.calls()).isEqualTo(1);
    offer(w);
    scheduler.runDue(); // failing: the backoff decides, no attempt per collection
    assertThat(exporter.calls()).isEqualTo(1);
    scheduler.advance(10 * SECOND); // backoff attempt succeeds with both
    offer(w);
    scheduler.runDue(); // healthy again: at once
    assertThat(batches()).containsExactly(List.of(1L), List.of(1L, 2L), List.of(3L));
    assertThat(w.status().consecutiveFailures()).isZero();
    assertThat(w.status().lastError()).contains("down");
  }

  @Test
  void backoffWaits1x2x4xUpTo32xTheFlushIntervalAndResetsOnSuccess() {
    for (int i = 0; i < 8; i++) {
      exporter.thenReturn(ExportResult.retryable("down"));
    }
    ExporterWorker w = worker(1000, Duration.ofSeconds(5)); // holds 1000 s: 32x (320 s) is less
    offer(w);

    scheduler.advance(1280 * SECOND); // 8 failures, then the success at 1280 s
    offer(w);
    scheduler.advance(10 * SECOND);

    List<Long> times = exporter.callTimes();
    List<Long> gaps = new ArrayList<>();
    gaps.add(times.get(0) / SECOND);
    for (int i = 1; i < times.size(); i++) {
      gaps.add((times.get(i) - times.get(i - 1)) / SECOND);
    }
    assertThat(gaps).containsExactly(10L, 10L, 20L, 40L, 80L, 160L, 320L, 320L, 320L, 10L);
  }

  /** A worker over an {@link UnwritableSpool}: collect 200 ms, flush 1 s, 20 in memory (4 s). */
  private ExporterWorker workerOverUnwritableSpool(UnwritableSpool spool) {
    ExporterSettings settings =
        ExporterSettings.inMemory(
                exporter, Duration.ofSeconds(1), 20, Duration.ofSeconds(5), Duration.ofMillis(200))
            .withSpool(
                new SpoolSettings(
                    Path.of("spool", "rec"),
                    SpoolSettings.DEFAULT_MAX_BYTES,
                    Duration.ofHours(1),
                    SpoolSettings.DEFAULT_SYNC_INTERVAL));
    ExporterWorker w =
        new ExporterWorker(
            settings, new SpooledBuffer("rec", spool, 20), scheduler, caller, new CollectStats());
    w.start();
    scheduler.runDue();
    return w;
  }

  private void backendDownUntil(long nanos) {
    for (int i = 0; i < 200; i++) {
      exporter.thenDo(
          () ->
              scheduler.nanoTime() < nanos
                  ? ExportResult.retryable("down")
                  : ExportResult.success(1));
    }
  }

  @Test
  void whileTheSpoolIsUnusableNoWaitOutlastsWhatMemoryHolds() {
    // issue 21's case: the spool unusable, memory holds 20 x 200 ms = 4 s, the backend down 22 s;
    // a wait sized from the spool's age cap (1 h) grew to 16 s and lost what came after recovery
    backendDownUntil(22 * SECOND);
    ExporterWorker w = workerOverUnwritableSpool(new UnwritableSpool());
    for (int i = 1; i <= 200; i++) { // 40 s
      offer(w);
      scheduler.advance(SECOND / 5);
    }
    List<Long> times = exporter.callTimes();
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isLessThanOrEqualTo(4 * SECOND);
    }
    // every collection taken once the backend was back (stamps 111 on, at 22.2 s) was delivered
    Set<Long> delivered = new HashSet<>();
    exporter.batches().forEach(b -> delivered.addAll(stamps(b)));
    long lastExport = times.get(times.size() - 1) / (SECOND / 5);
    for (long stamp = 111; stamp <= lastExport; stamp++) {
      assertThat(delivered).as("collection %d", stamp).contains(stamp);
    }
    assertThat(w.status().collectionsDropped()).isPositive(); // the outage itself outlasted 4 s
  }

  @Test
  void onceTheSpoolIsUsableAgainTheWaitMayGrowToWhatTheSpoolHolds() {
    backendDownUntil(Long.MAX_VALUE);
    UnwritableSpool spool = new UnwritableSpool();
    ExporterWorker w = workerOverUnwritableSpool(spool);
    for (int i = 1; i <= 50; i++) { // 10 s with the spool unusable
      offer(w);
      scheduler.advance(SECOND / 5);
    }
    spool.writable(true);
    int callsThen = exporter.calls();
    for (int i = 1; i <= 400; i++) { // 80 s with the spool keeping everything
      offer(w);
      scheduler.advance(SECOND / 5);
    }
    List<Long> times = exporter.callTimes();
    long longest = 0;
    for (int i = callsThen; i < times.size(); i++) {
      longest = Math.max(longest, times.get(i) - times.get(i - 1));
    }
    assertThat(longest).isGreaterThanOrEqualTo(16 * SECOND);
  }

  @Test
  void aSpoolThatStopsTakingWritesMidOutageBringsTheNextAttemptWithinWhatMemoryHolds() {
    backendDownUntil(Long.MAX_VALUE);
    UnwritableSpool spool = new UnwritableSpool();
    spool.writable(true);
    ExporterWorker w = workerOverUnwritableSpool(spool);
    for (int i = 1; i <= 300; i++) { // 60 s: the wait grows to 32 s
      offer(w);
      scheduler.advance(SECOND / 5);
    }
    spool.writable(false); // the disk is full
    long fullAt = scheduler.nanoTime();
    int callsThen = exporter.calls();
    for (int i = 1; i <= 50; i++) {
      offer(w);
      scheduler.advance(SECOND / 5);
    }
    assertThat(exporter.calls()).isGreaterThan(callsThen);
    // noticed at the next offer, then at most what memory holds (4 s)
    assertThat(exporter.callTimes().get(callsThen) - fullAt).isLessThanOrEqualTo(4 * SECOND);
  }

  @Test
  void noWaitOutlastsTheBufferSoNothingTakenAfterRecoveryIsDropped() {
    // the defaults: collect 1 s, flush 10 s, 60 buffered; the backend is down for the first 180 s
    for (int i = 0; i < 40; i++) {
      exporter.thenDo(
          () ->
              scheduler.nanoTime() < 180 * SECOND
                  ? ExportResult.retryable("down")
                  : ExportResult.success(1));
    }
    ExporterWorker w = worker(60, Duration.ofSeconds(5));
    for (int second = 1; second <= 400; second++) {
      offer(w); // stamped with its second
      scheduler.advance(SECOND);
    }
    List<Long> times = exporter.callTimes();
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isLessThanOrEqualTo(60 * SECOND);
    }
    Set<Long> delivered = new HashSet<>();
    List<ExportBatch> batches = exporter.batches();
    for (int i = 0; i < batches.size(); i++) {
      if (times.get(i) >= 180 * SECOND) {
        delivered.addAll(stamps(batches.get(i)));
      }
    }
    // every collection taken once the backend was back, up to the last export, was delivered
    long lastExport = times.get(times.size() - 1) / SECOND;
    for (long stamp = 180; stamp <= lastExport; stamp++) {
      assertThat(delivered).as("collection of second %d", stamp).contains(stamp);
    }
    assertThat(lastExport).isGreaterThan(390);
  }

  @Test
  void aRetryAfterHintLongerThanTheBackoffDelaysTheNextAttempt() {
    exporter.thenReturn(ExportResult.retryable("slow down", Duration.ofSeconds(45)));
    ExporterWorker w = worker();
    offer(w);

    scheduler.advance(10 * SECOND);
    scheduler.advance(44 * SECOND);
    assertThat(exporter.calls()).isEqualTo(1);
    scheduler.advance(1 * SECOND);
    assertThat(exporter.calls()).isEqualTo(2);
  }

  @Test
  void flushBypassesTheBackoffAndCompletesWithThatAttemptsOutcome() {
    exporter.thenReturn(
        ExportResult.retryable("down"),
        ExportResult.retryable("down"),
        ExportResult.retryable("down"));
    ExporterWorker w = worker();
    offer(w);
    scheduler.advance(40 * SECOND); // failures at 10, 20, 40: next scheduled at 80
    assertThat(exporter.calls()).isEqualTo(3);

    CompletableFuture<ExportResult> flushed = flush(w);
    assertThat(flushed).isNotDone();
    scheduler.runDue();

    assertThat(flushed).isCompletedWithValueMatching(ExportResult::isSuccess);
    assertThat(exporter.calls()).isEqualTo(4);
    offer(w);
    scheduler.advance(10 * SECOND);
    assertThat(exporter.calls()).as("backoff reset by the flush's success").isEqualTo(5);
  }

  @Test
  void theFirstAttemptComesOneFlushIntervalAfterStart() {
    ExporterWorker w = worker();
    scheduler.advance(SECOND / 5); // the first collection takes 200 ms
    offer(w);

    scheduler.advance(10 * SECOND - SECOND / 5 - 1);
    assertThat(exporter.calls()).isZero();
    scheduler.advance(1);
    assertThat(exporter.callTimes()).containsExactly(10 * SECOND);
    assertThat(batches()).containsExactly(List.of(1L));
  }

  @Test
  void withFirstExportAtFirstCollectionTheFirstAttemptComesWithTheFirstCollection() {
    ExporterWorker w =
        worker(
            ExporterSettings.inMemory(exporter, FLUSH, 100, Duration.ofSeconds(5), COLLECT)
                .withFirstExportAtFirstCollection(true));
    scheduler.advance(SECOND / 5); // the first collection takes 200 ms
    assertThat(exporter.calls()).as("nothing buffered yet").isZero();
    offer(w);
    scheduler.runDue();
    assertThat(exporter.callTimes()).containsExactly(SECOND / 5);

    offer(w);
    scheduler.advance(10 * SECOND - 1);
    assertThat(exporter.calls()).isEqualTo(1);
    scheduler.advance(1);
    assertThat(exporter.callTimes()).containsExactly(SECOND / 5, SECOND / 5 + 10 * SECOND);
    assertThat(batches()).containsExactly(List.of(1L), List.of(2L));
  }

  @Test
  void aFirstCollectionSlowerThanTheFlushIntervalIsExportedAsSoonAsItIsBuffered() {
    ExporterWorker w = worker();
    scheduler.advance(12 * SECOND); // the first attempt came due with nothing buffered
    assertThat(exporter.calls()).isZero();

    offer(w); // the first collection, at 12 s
    scheduler.runDue();
    assertThat(exporter.callTimes()).containsExactly(12 * SECOND);

    offer(w);
    scheduler.advance(10 * SECOND); // then one flush interval after that attempt
    assertThat(exporter.callTimes()).containsExactly(12 * SECOND, 22 * SECOND);
    assertThat(batches()).containsExactly(List.of(1L), List.of(2L));
  }

  @Test
  void flushWithNothingBufferedSucceedsWithoutCallingTheExporter() {
    ExporterWorker w = worker();
    CompletableFuture<ExportResult> flushed = flush(w);
    scheduler.runDue();
    assertThat(flushed.join().isSuccess()).isTrue();
    assertThat(exporter.calls()).isZero();
  }

  @Test
  void aThrowingExporterIsARetryableFailureCountedInTelemetry() {
    exporter.thenDo(
        () -> {
          throw new IllegalStateException("boom");
        });
    ExporterWorker w = worker();
    offer(w);

    CompletableFuture<ExportResult> first = flush(w);
    scheduler.runDue();
    CompletableFuture<ExportResult> second = flush(w);
    scheduler.runDue();

    assertThat(first.join().kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(first.join().message()).contains("IllegalStateException").contains("boom");
    assertThat(second.join().isSuccess()).isTrue();
    ExportBatch retried = exporter.batches().get(1);
    assertThat(stamps(retried)).containsExactly(1L);
    assertThat(retried.telemetry().exportsFailure()).isEqualTo(1);
    assertThat(retried.telemetry().exportsSuccess()).isZero();
  }

  @Test
  void aRejectedBatchIsDroppedAndCounted() {
    exporter.thenReturn(ExportResult.rejected("400 bad request"));
    ExporterWorker w = worker();
    offer(w);
    scheduler.advance(10 * SECOND);
    offer(w);
    scheduler.advance(10 * SECOND);

    assertThat(batches()).containsExactly(List.of(1L), List.of(2L));
    assertThat(exporter.batches().get(1).telemetry().batchesRejected()).isEqualTo(1);
  }

  /** A closed output is a rejection in the books (dropped, counted), only quieter in the log. */
  @Test
  void aClosedOutputsBatchIsDroppedAndCountedAsRejected() {
    exporter.thenReturn(ExportResult.closed("the output is closed"));
    ExporterWorker w = worker();
    offer(w);
    scheduler.advance(10 * SECOND);
    offer(w);
    scheduler.advance(10 * SECOND);

    assertThat(batches()).containsExactly(List.of(1L), List.of(2L));
    assertThat(exporter.batches().get(1).telemetry().batchesRejected()).isEqualTo(1);
    assertThat(exporter.batches().get(1).telemetry().exportsFailure()).isEqualTo(1);
  }

  @Test
  void dropsAreCarriedByTheNextBatchAndSuccessesStampTelemetry() {
    ExporterWorker w = worker(2, Duration.ofSeconds(5));
    offer(w);
    offer(w);
    offer(w);
    scheduler.advance(10 * SECOND);
    offer(w);
    scheduler.advance(10 * SECOND);

    ExportBatch first = exporter.batches().get(0);
    ExportBatch second = exporter.batches().get(1);
    assertThat(stamps(first)).containsExactly(2L, 3L);
    assertThat(first.droppedCollections()).isEqualTo(1);
    assertThat(first.telemetry().collectionsDropped()).isEqualTo(1);
    assertThat(first.telemetry().bufferDepth()).isEqualTo(2);
    assertThat(second.droppedCollections()).isZero();
    assertThat(second.telemetry().exportsSuccess()).isEqualTo(1);
    assertThat(second.telemetry().pointsExported()).isEqualTo(2);
    assertThat(second.telemetry().lastSuccessEpochMs())
        .isEqualTo(ManualScheduler.EPOCH_MS + 10_000);
  }

  @Test
  void anExportIgnoringInterruptionTimesOutIsNeverCalledConcurrentlyAndIsRetried()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    exporter.thenDo(
        () -> {
          while (true) {
            try {
              release.await();
              break;
            } catch (InterruptedException ignored) {
              // a badly behaved exporter
            }
          }
          returned.set(true);
          return ExportResult.success(1);
        });
    ExporterWorker w = worker(100, Duration.ofMillis(100));
    offer(w);

    CompletableFuture<ExportResult> timedOut = flush(w);
    scheduler.runDue();
    CompletableFuture<ExportResult> whileStuck = flush(w);
    scheduler.runDue();

    assertThat(timedOut.join().message()).contains("timed out");
    assertThat(whileStuck.join().message()).contains("still running");
    assertThat(exporter.calls()).isEqualTo(1);

    release.countDown();
    while (caller.isExportRunning()) {
      Thread.sleep(1); // the abandoned call returns now; bounded by the test's timeout
    }
    assertThat(returned).isTrue();
    CompletableFuture<ExportResult> after = flush(w);
    scheduler.runDue();
    assertThat(after.join().isSuccess()).isTrue();
    assertThat(batches()).containsExactly(List.of(1L), List.of(1L));
  }

  @Test
  void aFatalResultStopsTheExporterForGoodAndShowsWhyInStatus() {
    exporter.thenReturn(
        ExportResult.fatal("okio 3.6.0 found, OkHttp 5.5.0 needs okio 3.16 or newer"));
    ExporterWorker w = worker();
    offer(w);
    offer(w);
    scheduler.advance(10 * SECOND); // the attempt is fatal

    offer(w); // ignored: nothing will export it
    scheduler.advance(1000 * SECOND); // no retry, however long
    CompletableFuture<ExportResult> flushed = flush(w);
    scheduler.runDue();
    CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
    scheduler.runDue();

    assertThat(exporter.calls()).isEqualTo(1);
    assertThat(flushed.join().isFatal()).isTrue();
    assertThat(w.status().lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("okio 3.6.0"));
    assertThat(w.status().nextAttemptAt()).isEmpty();
    assertThat(drained.join()).isNull(); // its one ERROR was logged when it stopped
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void aLinkageErrorThrownByAnExporterIsFatalNotRetried() {
    exporter.thenDo(
        () -> {
          throw new NoSuchMethodError("'okio.Socket okio.Okio.socket(java.net.Socket)'");
        });
    ExporterWorker w = worker();
    offer(w);
    scheduler.advance(10 * SECOND);
    offer(w);
    scheduler.advance(1000 * SECOND);

    assertThat(exporter.calls()).isEqualTo(1);
    assertThat(w.status().lastError())
        .hasValueSatisfying(
            e -> assertThat(e).contains("NoSuchMethodError").contains("okio.Okio.socket"));
  }

  @Test
  void drainExportsEverythingShutsTheExporterDownAndStopsScheduling() {
    ExporterWorker w = worker();
    offer(w);
    offer(w);

    CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
    scheduler.runDue();

    assertThat(drained.join()).isNull();
    assertThat(batches()).containsExactly(List.of(1L, 2L));
    assertThat(exporter.shutdowns()).isEqualTo(1);
    CompletableFuture<ExportResult> late = flush(w);
    scheduler.advance(1000 * SECOND);
    assertThat(late.join().message()).contains("shutting down");
    assertThat(exporter.calls()).isEqualTo(1);
  }

  @Test
  void aFlushWhoseTaskNeverRunsIsCompletedWhenTheWorkerIsAbandoned() {
    ExporterWorker w = worker();
    offer(w);
    CompletableFuture<ExportResult> neverRun = flush(w); // the scheduler is never advanced

    w.abandonPendingFlushes();

    assertThat(neverRun.join().message()).contains("shut down before this flush ran");
    assertThat(exporter.calls()).isZero();
  }

  @Test
  void collectionsAcceptedBeforeAFailureLeaveTheBufferAndOnlyTheRestAreRetried() {
    exporter.thenReturn(
        ExportResult.retryable("request 3 of 3 failed").afterAccepting(2, 28),
        ExportResult.success(14));
    ExporterWorker w = worker();
    offer(w);
    offer(w);
    offer(w);

    CompletableFuture<ExportResult> failed = flush(w);
    scheduler.runDue();
    assertThat(failed.join().acceptedCollections()).isEqualTo(2);
    assertThat(w.buffered()).isEqualTo(1);
    CompletableFuture<ExportResult> retried = flush(w);
    scheduler.runDue();

    assertThat(retried.join().isSuccess()).isTrue();
    assertThat(batches()).containsExactly(List.of(1L, 2L, 3L), List.of(3L));
    CompletableFuture<ExportResult> next = flush(w);
    scheduler.runDue();
    assertThat(next.join().exportedPoints()).isZero();
    assertThat(exporter.batches().get(1).telemetry().pointsExported()).isEqualTo(28);
  }

  @Test
  void aRejectionAfterAcceptedCollectionsDropsOnlyTheRestAndCountsTheDeliveredPoints() {
    exporter.thenReturn(
        ExportResult.rejected("request too large").afterAccepting(1, 14), ExportResult.success(0));
    ExporterWorker w = worker();
    offer(w);
    offer(w);

    CompletableFuture<ExportResult> rejected = flush(w);
    scheduler.runDue();
    offer(w);
    CompletableFuture<ExportResult> next = flush(w);
    scheduler.runDue();

    assertThat(rejected.join().kind()).isEqualTo(ExportResult.Kind.REJECTED);
    assertThat(next.join().isSuccess()).isTrue();
    assertThat(batches()).containsExactly(List.of(1L, 2L), List.of(3L));
    assertThat(exporter.batches().get(1).telemetry().pointsExported()).isEqualTo(14);
  }

  @Test
  void theFinalDrainCountsOnlyTheCollectionsThatWereNotDelivered() {
    exporter.thenReturn(ExportResult.retryable("timed out").afterAccepting(2, 28));
    ExporterWorker w = worker();
    offer(w);
    offer(w);
    offer(w);

    CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
    scheduler.runDue();

    assertThat(drained.join()).contains("; 1 buffered collections were not delivered");
  }

  @Test
  void anExportAnsweringTheTimeoutsInterruptReportsWhatItDeliveredAndThatIsNotSentAgain() {
    exporter.thenDo(
        () -> {
          try {
            new CountDownLatch(1).await(); // a slow backend: woken by the timeout's interrupt
            return ExportResult.success(42);
          } catch (InterruptedException e) {
            return ExportResult.retryable("interrupted").afterAccepting(1, 14);
          }
        });
    ExporterWorker w = worker(100, Duration.ofMillis(100));
    offer(w);
    offer(w);

    CompletableFuture<ExportResult> timedOut = flush(w);
    scheduler.runDue();
    CompletableFuture<ExportResult> rest = flush(w);
    scheduler.runDue();

    assertThat(timedOut.join().message()).contains("timed out after 100ms");
    assertThat(timedOut.join().acceptedCollections()).isEqualTo(1);
    assertThat(rest.join().isSuccess()).isTrue();
    assertThat(batches()).containsExactly(List.of(1L, 2L), List.of(2L));
  }

  @Test
  void aFailedFinalDrainReportsTheExporterAndWhatWasLost() {
    exporter.thenReturn(ExportResult.retryable("connection refused"));
    exporter.failShutdownWith(new IllegalStateException("close failed"));
    ExporterWorker w = worker();
    offer(w);
    offer(w);

    CompletableFuture<String> drained = w.drainAndShutdown(5 * SECOND);
    scheduler.runDue();

    assertThat(drained.join())
        .contains("rec")
        .contains("connection refused")
        .contains("2 buffered collections were not delivered");
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }
}
