package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterFlush;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.SnapshotCollection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exporter's pipeline: its {@link SnapshotBuffer}, its flush cadence, its retry backoff and its
 * collector telemetry counters.
 *
 * <pre>
 * collect thread --offer--> [ExporterBuffer] --take--> attempt --ExportCaller--> exporter
 *                            memory or spool   ^          |
 *                                              +-restore--+ (retryable failure, timeout)
 *                                              +-remove---+ (accepted, or refused for good)
 * </pre>
 *
 * <p>A failure that says the backend accepted the batch's first collections ({@link
 * ExportResult#acceptedCollections()}) removes those and restores only the rest, so a slow backend
 * that takes part of every batch before the export timeout makes progress instead of being sent the
 * same collections again, and the final drain's count of undelivered collections is exact.
 *
 * <p>A {@link ExportResult#fatal} result (the exporter cannot run in this JVM, say a library of the
 * wrong version) stops this worker for good: one ERROR, the message in {@link #status()}, no
 * further attempt (the final drain included), offers ignored; a spool keeps what it holds for the
 * next start. The other exporters are not affected.
 *
 * <p>With a spool, a success that leaves a backlog on disk schedules the next attempt at once, so
 * the backlog is delivered batch after batch (each at most the memory window).
 *
 * <p>Every attempt runs on the worker's {@link Scheduler} (one thread), so attempts never overlap;
 * after each one the next scheduled attempt is set from the {@link BackoffPolicy}. {@link #flush()}
 * runs an attempt at once, regardless of the backoff. Only {@link #offer} is called from another
 * thread, and it only touches the (synchronized) buffer and the first-collection state.
 *
 * <p>The first scheduled attempt comes one flush interval after {@link #start()} (the collector
 * takes its first collection at once), but never before the first collection is buffered: when it
 * comes due earlier (a slow first registry read, loading native libraries), it waits for that
 * collection and runs as soon as it is offered, instead of exporting nothing and waiting another
 * interval. With {@link ExporterSettings#firstExportAtFirstCollection()} it comes due at start, so
 * it runs with the first collection (the flush interval spaces exports; the first has none before
 * it), and the next ones follow one flush interval apart.
 */
public final class ExporterWorker {
  private static final Logger logger = LoggerFactory.getLogger(ExporterWorker.class);

  // States of firstCollection.
  private static final int NONE_YET = 0;
  private static final int WAITING = 1;
  private static final int OFFERED = 2;

  private final String name;
  private final MetricsExporter exporter;
  private final Scheduler scheduler;
  private final ExportCaller caller;
  private final CollectStats collectStats;
  private final ExporterBuffer buffer;
  private final BackoffPolicy backoff;
  private final long exportTimeoutNanos;
  private final Duration flushInterval;
  private final Duration exportTimeout;
  private final long memoryRetentionNanos;

  // Written only on the worker's scheduler thread; the volatile ones are also read by status().
  private Scheduler.Cancellable nextAttempt = () -> {};
  private volatile boolean stopped;
  // set once by a fatal result: the exporter cannot run in this JVM, nothing is attempted again
  private volatile @Nullable ExportResult fatal;
  // whether the latest attempt had anything to send: a backlog that cannot be read right now
  // must not turn "send the next batch at once" into a busy loop
  private boolean lastAttemptTookAny;
  private volatile long exportsSuccess;
  private volatile long exportsFailure;
  private volatile long batchesRejected;
  private volatile long lastSuccessEpochMs;
  private volatile long lastExportDurationNanos;
  private volatile long pointsExported;
  private volatile long pointsRejected;
  private volatile int consecutiveFailures;
  private volatile @Nullable String lastError;
  private volatile long lastErrorEpochMs;
  private volatile long nextAttemptEpochMs;
  private long nextAttemptDueNanos;
  private volatile long collectionsExported;
  private volatile long collectionsRejected;
  // collections the latest attempt's backend refused for good (REJECTED)
  private int lastRejectedCount;
  // the final drain's figures, for the summary at exit
  private volatile long lostAtShutdown;
  private volatile long droppedAtDrain = -1;
  private volatile long keptInSpool;

  // Set by the collect thread: whether the buffer was durable at the latest offer.
  private volatile boolean wasDurable;

  // Flushes asked for but not finished; completed at shutdown if their task never ran.
  private final Set<CompletableFuture<ExporterFlush>> pendingFlushes =
      ConcurrentHashMap.newKeySet();

  // Export every collection as soon as it is offered (ExporterSettings#flushOnCollect).
  private final boolean flushOnCollect;

  // The first attempt comes due at start (ExporterSettings#firstExportAtFirstCollection).
  private final boolean firstExportAtFirstCollection;

  // Set by the collect thread: whether the current run of drops was already logged.
  private volatile boolean dropLogged;

  // Whether a collection was offered yet (see the class comment): NONE_YET, then OFFERED; WAITING
  // when the first scheduled attempt came due before it, so that the first offer runs it.
  private final AtomicInteger firstCollection = new AtomicInteger(NONE_YET);

  /**
   * Creates a worker over its buffer; nothing runs until {@link #start()}.
   *
   * @param settings the exporter and its resolved settings
   * @param buffer its buffer ({@link SnapshotBuffer}, or {@link SpooledBuffer} when the settings
   *     have a spool), closed at the end of the final drain
   * @param scheduler the worker's own thread and clock
   * @param caller calls the exporter on threads of its own
   * @param collectStats registry figures for collector telemetry
   */
  public ExporterWorker(
      ExporterSettings settings,
      ExporterBuffer buffer,
      Scheduler scheduler,
      ExportCaller caller,
      CollectStats collectStats) {
    this.name = settings.name();
    this.exporter = settings.exporter();
    this.scheduler = scheduler;
    this.caller = caller;
    this.collectStats = collectStats;
    this.buffer = buffer;
    this.flushInterval = settings.flushInterval();
    this.exportTimeout = settings.exportTimeout();
    this.exportTimeoutNanos = exportTimeout.toNanos();
    this.flushOnCollect = settings.flushOnCollect();
    this.wasDurable = settings.spool().isPresent(); // a spool takes writes until one fails
    this.firstExportAtFirstCollection = settings.firstExportAtFirstCollection();
    // the wait is capped by what is held at that moment: with a spool taking writes its age cap
    // (the byte cap may come sooner; the backoff's own 32x cap applies too), else what memory holds
    long memoryNanos = BackoffPolicy.saturatedNanos(settings.memoryRetention());
    this.memoryRetentionNanos = memoryNanos;
    long spoolNanos =
        settings.spool().map(sp -> BackoffPolicy.saturatedNanos(sp.maxAge())).orElse(memoryNanos);
    this.backoff =
        new BackoffPolicy(flushInterval, () -> buffer.durable() ? spoolNanos : memoryNanos);
  }

  /** The exporter's collector-unique name. */
  public String name() {
    return name;
  }

  /**
   * Schedules the first attempt one flush interval from now, or for the first offer with {@link
   * ExporterSettings#firstExportAtFirstCollection()} (either way never before the first offer).
   */
  public void start() {
    if (firstExportAtFirstCollection) {
      scheduler.schedule(this::scheduledAttempt, 0); // due now: waits for the first offer
    } else {
      scheduler.schedule(() -> reschedule(0), 0);
    }
  }

  /**
   * Buffers a collection; called by the collect thread, never blocks on the exporter. With {@link
   * ExporterSettings#flushOnCollect} it also schedules an attempt on the worker's thread, unless
   * the exporter is failing (then its backoff decides).
   */
  public void offer(CompactCollection collection) {
    if (fatal != null) {
      return; // stopped for good: nothing will export it
    }
    int dropped = buffer.offer(collection);
    if (firstCollection.get() != OFFERED && firstCollection.getAndSet(OFFERED) == WAITING) {
      try {
        scheduler.schedule(this::scheduledAttempt, 0); // the first attempt, overdue
      } catch (RejectedExecutionException e) {
        // shutting down: the final drain takes over
      }
    }
    if (dropped > 0 && !dropLogged) {
      dropLogged = true;
      logger.warn(
          "exporter {}: buffer full ({} collections), dropping the oldest until an export"
              + " succeeds; the next batch reports how many",
          name,
          buffer.capacity());
    }
    boolean durable = buffer.durable();
    if (wasDurable && !durable) {
      // the spool stopped taking writes (full disk): a wait sized from its age cap would outlast
      // what memory holds now
      try {
        scheduler.schedule(this::capWaitToMemory, 0);
      } catch (RejectedExecutionException e) {
        // shutting down: the final drain takes over
      }
    }
    wasDurable = durable;
    // while failing, the backoff decides when to try again
    if (flushOnCollect && consecutiveFailures == 0) {
      try {
        scheduler.schedule(this::scheduledAttempt, 0);
      } catch (RejectedExecutionException e) {
        // shutting down: the final drain takes over
      }
    }
  }

  /**
   * Runs an attempt now, bypassing the backoff.
   *
   * @return completes with the attempt's outcome: {@link ExporterFlush.State#NOTHING_TO_EXPORT}
   *     when nothing was buffered, {@link ExporterFlush.State#STOPPED} once a fatal error stopped
   *     the exporter, retryable when the collector is shutting down
   */
  public CompletableFuture<ExporterFlush> flush() {
    CompletableFuture<ExporterFlush> result = new CompletableFuture<>();
    pendingFlushes.add(result);
    result.whenComplete((r, t) -> pendingFlushes.remove(result));
    try {
      scheduler.schedule(
          () -> {
            if (stopped) {
              result.complete(shuttingDown("the collector is shutting down"));
              return;
            }
            ExportResult stoppedForGood = fatal;
            if (stoppedForGood != null) {
              result.complete(ExporterFlush.of(stoppedForGood));
              return;
            }
            ExportResult r = ExportResult.retryable("flush did not complete");
            try {
              r = attempt(exportTimeoutNanos, false);
            } finally {
              result.complete(
                  lastAttemptTookAny ? ExporterFlush.of(r) : ExporterFlush.nothingToExport());
              if (r.isSuccess() && lastAttemptTookAny && buffer.backlog()) {
                rescheduleNow();
              } else {
                reschedule(r.retryAfter().map(Duration::toNanos).orElse(0L));
              }
            }
          },
          0);
    } catch (RejectedExecutionException e) {
      result.complete(shuttingDown("the collector is shutting down"));
    }
    return result;
  }

  private static ExporterFlush shuttingDown(String why) {
    return ExporterFlush.of(ExportResult.retryable(why));
  }

  /**
   * Stops scheduling, exports everything buffered in one final attempt, then shuts the exporter
   * down; all within {@code budgetNanos} as far as the exporter lets us.
   *
   * @return completes with a one-line error, or null when both went well
   */
  public CompletableFuture<@Nullable String> drainAndShutdown(long budgetNanos) {
    CompletableFuture<@Nullable String> done = new CompletableFuture<>();
    long deadline = scheduler.nanoTime() + budgetNanos;
    try {
      scheduler.schedule(() -> done.complete(drainNow(deadline)), 0);
    } catch (RejectedExecutionException e) {
      done.complete("exporter " + name + ": worker already stopped, final drain skipped");
    }
    return done;
  }

  /**
   * Completes every flush still waiting with a retryable result; called once the worker's thread is
   * gone, so that no caller waits forever on a flush that will never run.
   */
  public void abandonPendingFlushes() {
    for (CompletableFuture<ExporterFlush> f : List.copyOf(pendingFlushes)) {
      f.complete(shuttingDown("the collector shut down before this flush ran"));
    }
  }

  /** Closes the buffer of a worker that never started. */
  void closeBuffer() {
    buffer.close();
  }

  /** Collections buffered now. */
  public int buffered() {
    return buffer.size();
  }

  /** The pipeline as of now; safe from any thread, never waits for the worker. */
  public ExporterStatus status() {
    long errorAt = lastErrorEpochMs;
    String error = lastError;
    return new ExporterStatus(
        name,
        flushInterval,
        buffer.capacity(),
        exportTimeout,
        buffer.size(),
        exportsSuccess,
        exportsFailure,
        consecutiveFailures,
        buffer.droppedTotal(),
        instant(lastSuccessEpochMs),
        Optional.ofNullable(error),
        error == null ? Optional.empty() : instant(errorAt),
        stopped || fatal != null ? Optional.empty() : instant(nextAttemptEpochMs),
        buffer.spoolStats(scheduler.currentTimeMillis()),
        flushOnCollect,
        Optional.ofNullable(fatal).map(ExportResult::message));
  }

  /**
   * The telemetry as of now; safe from any thread, never waits for the worker.
   *
   * @param bufferDepth the buffer depth to report (a batch reports its own size)
   */
  public CollectorTelemetry telemetry(int bufferDepth) {
    CollectorTelemetry.Builder telemetry =
        CollectorTelemetry.builder()
            .exportsSuccess(exportsSuccess)
            .exportsFailure(exportsFailure)
            .batchesRejected(batchesRejected)
            .collectionsDropped(buffer.droppedTotal())
            .collectionsDroppedForAge(buffer.droppedForAge())
            .lastSuccessEpochMs(lastSuccessEpochMs)
            .lastExportDurationNanos(lastExportDurationNanos)
            .pointsExported(pointsExported)
            .pointsRejected(pointsRejected)
            .bufferDepth(bufferDepth)
            .lastScanDurationNanos(collectStats.lastScanDurationNanos())
            .slotsSkipped(collectStats.slotsSkipped())
            .scansSkipped(collectStats.scansSkipped())
            .labelsDropped(collectStats.labelsDropped());
    buffer.spoolStats(scheduler.currentTimeMillis()).ifPresent(telemetry::spool);
    return telemetry.build();
  }

  private static Optional<Instant> instant(long epochMs) {
    return epochMs <= 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(epochMs));
  }

  private @Nullable String drainNow(long deadline) {
    stopped = true;
    nextAttempt.cancel();
    ExportResult stoppedForGood = fatal;
    if (stoppedForGood != null) {
      // never retried, not even now, and not reported again: its one ERROR said it all
      keptInSpool =
          buffer.spoolStats(scheduler.currentTimeMillis()).map(s -> s.collections()).orElse(0L);
      droppedAtDrain = buffer.droppedTotal();
      int lost = buffer.close();
      lostAtShutdown = lost;
      logger.debug("exporter {}: stopped earlier, {} collections not exported", name, lost);
      String shutdownError = caller.shutdownExporter(exporter, Duration.ofSeconds(1).toNanos());
      if (shutdownError == null) {
        return null;
      }
      String msg = "exporter " + name + ": shutdown failed: " + shutdownError;
      logger.error("{}", msg);
      return msg;
    }
    @Nullable String error = null;
    long remaining = Math.max(1, deadline - scheduler.nanoTime());
    ExportResult r = attempt(Math.min(exportTimeoutNanos, remaining), true);
    int rejected = r.kind() == ExportResult.Kind.REJECTED ? lastRejectedCount : 0;
    long kept =
        buffer.spoolStats(scheduler.currentTimeMillis()).map(s -> s.collections()).orElse(0L);
    droppedAtDrain = buffer.droppedTotal();
    int lost = buffer.close();
    keptInSpool = kept;
    lostAtShutdown = lost;
    String keptText = kept + " collections stay in the spool for the next start";
    if (r.isClosed()) {
      // the exporter's output is gone (a closed pipe): its owner reported that and is stopping
      logger.debug("exporter {}: output closed, {} collections not written", name, lost);
    } else if (r.isFatal()) {
      // stopped for good by this very attempt: its one ERROR said it all
      logger.debug("exporter {}: stopped for good, {} collections not exported", name, lost);
    } else if (r.isSuccess()) {
      if (kept > 0) {
        logger.info("exporter {}: {}", name, keptText);
      }
    } else if (lost == 0 && rejected == 0) {
      // nothing is lost: every undelivered collection is safe in the spool, a clean stop
      logger.info(
          "exporter {}: final export failed ({}); {}", name, LogSafe.escape(r.message()), keptText);
    } else {
      error =
          "exporter "
              + name
              + ": final export failed ("
              + LogSafe.escape(r.message())
              + ")"
              + (rejected > 0 ? "; the backend rejected " + rejected + " collections" : "")
              + (lost > 0 ? "; " + lost + " buffered collections were not delivered" : "")
              + (kept > 0 ? "; " + keptText : "");
      logger.error("{}", error);
    }
    // The exporter gets at least a moment to close even if the drain used up the budget.
    long shutdownBudget =
        Math.max(Duration.ofSeconds(1).toNanos(), deadline - scheduler.nanoTime());
    String shutdownError = caller.shutdownExporter(exporter, shutdownBudget);
    if (shutdownError != null) {
      String msg = "exporter " + name + ": shutdown failed: " + shutdownError;
      logger.error("{}", msg);
      error = error == null ? msg : error;
    }
    return error;
  }

  /** The scheduled attempt: export, then set the next one from the backoff. */
  private void scheduledAttempt() {
    if (stopped || fatal != null) {
      return;
    }
    if (firstCollection.get() == NONE_YET && firstCollection.compareAndSet(NONE_YET, WAITING)) {
      return; // due before the first collection: the first offer runs this attempt
    }
    ExportResult r = ExportResult.retryable("attempt did not complete");
    try {
      r = attempt(exportTimeoutNanos, false);
    } finally {
      if (r.isSuccess() && lastAttemptTookAny && buffer.backlog()) {
        // a spooled backlog is delivered batch after batch, not one batch per flush interval
        rescheduleNow();
      } else {
        reschedule(r.retryAfter().map(Duration::toNanos).orElse(0L));
      }
    }
  }

  private void rescheduleNow() {
    if (stopped || fatal != null) {
      return;
    }
    scheduleAttempt(0);
  }

  /** Brings the next attempt forward to what memory holds, when it was set further out. */
  private void capWaitToMemory() {
    if (stopped
        || fatal != null
        || nextAttemptDueNanos - scheduler.nanoTime() <= memoryRetentionNanos) {
      return;
    }
    scheduleAttempt(memoryRetentionNanos);
  }

  private void reschedule(long retryAfterNanos) {
    if (stopped || fatal != null) {
      return;
    }
    scheduleAttempt(backoff.nextDelayNanos(retryAfterNanos));
  }

  private void scheduleAttempt(long delayNanos) {
    nextAttempt.cancel();
    if (fatal != null) {
      return;
    }
    nextAttemptDueNanos = scheduler.nanoTime() + Math.min(delayNanos, Long.MAX_VALUE / 4);
    nextAttemptEpochMs =
        scheduler.currentTimeMillis() + Math.min(delayNanos / 1_000_000L, Long.MAX_VALUE / 2);
    try {
      nextAttempt = scheduler.schedule(this::scheduledAttempt, delayNanos);
    } catch (RejectedExecutionException e) {
      // shutting down: the final drain takes over
    }
  }

  /**
   * One export of everything buffered. Runs on the worker's thread.
   *
   * @param finalAttempt whether this is the final drain's attempt: its failure is not retried, so
   *     it is not logged here (the drain logs one line for it)
   * @return the result; success with 0 points when nothing was buffered
   */
  ExportResult attempt(long timeoutNanos, boolean finalAttempt) {
    SnapshotBuffer.Taken taken = buffer.take();
    lastAttemptTookAny = !taken.isEmpty();
    lastRejectedCount = 0;
    if (taken.isEmpty()) {
      if (taken.dropped() > 0) {
        buffer.restore(taken); // keep the count for the next real batch
      }
      return ExportResult.success(0);
    }
    ExportBatch batch = makeBatch(taken);
    long start = scheduler.nanoTime();
    ExportResult r = caller.export(exporter, batch, timeoutNanos);
    lastExportDurationNanos = scheduler.nanoTime() - start;
    int accepted =
        r.isSuccess() ? 0 : Math.min(r.acceptedCollections(), taken.collections().size());
    if (r.isFatal()) {
      stopForGood(r, taken, accepted);
      return r;
    }
    switch (r.kind()) {
      case SUCCESS:
        exportsSuccess++;
        collectionsExported += taken.collections().size();
        pointsExported += r.exportedPoints();
        pointsRejected += r.rejectedPoints();
        lastSuccessEpochMs = scheduler.currentTimeMillis();
        dropLogged = false;
        buffer.remove(taken);
        int failures = backoff.onSuccess();
        consecutiveFailures = 0;
        if (exportsSuccess == 1) {
          logger.info(
              "exporter {}: first export accepted ({} collections, {} points){}",
              name,
              taken.collections().size(),
              r.exportedPoints(),
              failures > 0 ? " after " + failures + " failed attempts" : "");
        } else if (failures > 0) {
          logger.info(
              "metrics exporter recovered: {} exported {} collections after {} failed attempts",
              name,
              taken.collections().size(),
              failures);
        }
        if (r.rejectedPoints() > 0) {
          logger.warn(
              "exporter {}: backend rejected {} data points: {}",
              name,
              r.rejectedPoints(),
              LogSafe.escape(r.message()));
        }
        break;
      case REJECTED:
        exportsFailure++;
        batchesRejected++;
        pointsExported += r.exportedPoints();
        buffer.remove(taken);
        recordError(r);
        lastRejectedCount = taken.collections().size() - accepted;
        collectionsExported += accepted;
        collectionsRejected += lastRejectedCount;
        if (r.isClosed()) {
          // the owner of that output reports it (one line) and stops; not an error per batch
          logger.debug(
              "exporter {}: output closed, dropping {} collections: {}",
              name,
              taken.collections().size() - accepted,
              LogSafe.escape(r.message()));
          break;
        }
        if (finalAttempt) {
          break; // the drain's one line says it
        }
        logger.error(
            "exporter {}: backend rejected a batch of {} collections, dropping it{}: {}",
            name,
            taken.collections().size() - accepted,
            accepted > 0 ? " (the " + accepted + " before it were delivered)" : "",
            LogSafe.escape(r.message()));
        break;
      case RETRYABLE:
      default:
        exportsFailure++;
        backoff.onFailure();
        consecutiveFailures = backoff.consecutiveFailures();
        recordError(r);
        pointsExported += r.exportedPoints();
        collectionsExported += accepted;
        if (accepted > 0) {
          // delivered before the failure: they leave the buffer (the spool too), the rest go back
          buffer.remove(taken.first(accepted));
          buffer.restore(taken.after(accepted));
        } else {
          buffer.restore(taken);
        }
        if (finalAttempt) {
          break; // not retried: the drain's one line says it
        }
        logger.warn(
            "exporter {}: export of {} collections failed{}, will retry in {}: {}",
            name,
            taken.collections().size() - accepted,
            accepted > 0 ? " (the " + accepted + " before them were delivered)" : "",
            DurationText.ofNanos(
                backoff.nextDelayNanos(r.retryAfter().map(Duration::toNanos).orElse(0L))),
            LogSafe.escape(r.message()));
        break;
    }
    return r;
  }

  /**
   * A fatal result: this exporter cannot run in this JVM. The batch goes back (a spool keeps it for
   * the next start), the reason is logged once and shown in status, and nothing is tried again.
   */
  private void stopForGood(ExportResult r, SnapshotBuffer.Taken taken, int accepted) {
    exportsFailure++;
    pointsExported += r.exportedPoints();
    if (accepted > 0) {
      buffer.remove(taken.first(accepted));
      buffer.restore(taken.after(accepted));
    } else {
      buffer.restore(taken);
    }
    ExportResult stopped = ExportResult.fatal("stopped for good: " + r.message());
    recordError(stopped);
    fatal = stopped;
    nextAttempt.cancel();
    logger.error(
        "exporter {}: stopped for good, it exports nothing more until the application is fixed and"
            + " restarted ({} collections buffered are not exported): {}",
        name,
        buffer.size(),
        LogSafe.escape(r.message()));
  }

  /**
   * One line for the summary at exit: {@code otlp: 120 collections (1340 points) exported, 0
   * dropped, 3 left in the spool}. Call after the final drain.
   */
  String summary() {
    long bufferDropped = droppedAtDrain >= 0 ? droppedAtDrain : buffer.droppedTotal();
    long dropped = bufferDropped + collectionsRejected + lostAtShutdown;
    return name
        + ": "
        + collectionsExported
        + " collections ("
        + pointsExported
        + " points) exported, "
        + dropped
        + " dropped"
        + (keptInSpool > 0 ? ", " + keptInSpool + " left in the spool" : "");
  }

  private void recordError(ExportResult r) {
    lastError = r.message();
    lastErrorEpochMs = scheduler.currentTimeMillis();
  }

  private ExportBatch makeBatch(SnapshotBuffer.Taken taken) {
    List<SnapshotCollection> collections = new ArrayList<>(taken.collections().size());
    for (CompactCollection c : taken.collections()) {
      collections.add(c.decode());
    }
    return new ExportBatch(collections, taken.dropped(), telemetry(collections.size()));
  }
}
