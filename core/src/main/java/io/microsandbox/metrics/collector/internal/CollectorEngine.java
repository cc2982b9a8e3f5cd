package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExporterFlush;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: one collect thread ({@link CollectDriver}) and, per exporter, a worker
 * thread ({@link ExporterWorker}) plus its call threads ({@link ExportCaller}).
 *
 * <pre>
 *                       +--> worker "otlp"   --> ExportCaller --> exporter
 * msb-metrics-collect --+
 *   (CollectDriver)     +--> worker "stdout" --> ExportCaller --> exporter
 * </pre>
 *
 * <p>Shutdown runs on its own thread: stop the driver, drain every worker in parallel within the
 * longest export timeout, then stop every thread and close the sources.
 */
public final class CollectorEngine implements RunningCollector {
  private static final Logger logger = LoggerFactory.getLogger(CollectorEngine.class);

  /** Extra time shutdown allows beyond the export timeout for threads to wind down. */
  static final long SHUTDOWN_GRACE_MS = 2_000;

  private final ExecutorScheduler driverScheduler;
  private final CollectDriver driver;
  private final SnapshotSource source;
  private final @Nullable MetadataSource metadataSource;
  private final List<ExporterPipeline> pipelines;
  private final List<String> names;
  private final long maxExportTimeoutNanos;
  private final Duration collectInterval;
  private final Duration maxSampleAge;
  private final CollectStats stats;
  private final AtomicReference<CompletableFuture<Void>> shutdown = new AtomicReference<>();
  // latest() decoded once per collection; a racing reader may decode it too (same result)
  private volatile @Nullable Decoded latestDecoded;

  private record Decoded(CompactCollection from, SnapshotCollection collection) {}

  private CollectorEngine(
      Duration collectInterval,
      Duration maxSampleAge,
      SnapshotSource source,
      @Nullable MetadataSource metadataSource,
      LabelLimits.Config labelLimits,
      List<ExporterSettings> exporters) {
    this.source = source;
    this.metadataSource = metadataSource;
    this.collectInterval = collectInterval;
    this.maxSampleAge = maxSampleAge;
    this.stats = new CollectStats();
    this.pipelines = openPipelines(exporters, stats);
    List<String> ns = new ArrayList<>();
    List<ExporterWorker> workers = new ArrayList<>();
    long maxTimeout = 0;
    for (ExporterPipeline p : pipelines) {
      ns.add(p.name());
      workers.add(p.worker());
      maxTimeout = Math.max(maxTimeout, p.exportTimeoutNanos());
    }
    this.names = List.copyOf(ns);
    this.maxExportTimeoutNanos = maxTimeout;
    this.driverScheduler = new ExecutorScheduler(NamedThreadFactory.PREFIX + "collect");
    this.driver =
        new CollectDriver(
            driverScheduler,
            source,
            metadataSource,
            collectInterval,
            maxSampleAge,
            workers,
            stats,
            new LabelLimits(labelLimits, stats));
  }

  /**
   * Opens every exporter's pipeline (its spool first), then starts the threads.
   *
   * @param exporters each exporter with its resolved settings, names unique
   * @return the running collector
   * @throws SpoolInUseException when another process holds a spool directory (nothing started)
   * @throws IllegalStateException when a spool is configured but no spool implementation is present
   */
  public static CollectorEngine start(
      Duration collectInterval,
      Duration maxSampleAge,
      SnapshotSource source,
      @Nullable MetadataSource metadataSource,
      LabelLimits.Config labelLimits,
      List<ExporterSettings> exporters) {
    CollectorEngine e =
        new CollectorEngine(
            collectInterval, maxSampleAge, source, metadataSource, labelLimits, exporters);
    for (ExporterPipeline p : e.pipelines) {
      p.start();
    }
    e.driver.start();
    logger.debug("collector started with exporters {}", e.names);
    return e;
  }

  @Override
  public List<String> exporterNames() {
    return names;
  }

  @Override
  public CollectorStatus status() {
    List<ExporterStatus> exporters = new ArrayList<>(pipelines.size());
    for (ExporterPipeline p : pipelines) {
      exporters.add(p.worker().status());
    }
    long collections = stats.collections();
    return new CollectorStatus(
        collectInterval,
        maxSampleAge,
        metadataSource != null,
        source.registry(),
        collections,
        collections == 0
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(stats.lastCollectionEpochMs())),
        stats.sandboxes(),
        Duration.ofNanos(Math.max(0, driverScheduler.nanoTime() - stats.lastTickNanos())),
        Optional.ofNullable(stats.lastReadError()),
        exporters);
  }

  @Override
  public Optional<SnapshotCollection> latest() {
    CompactCollection c = stats.latest();
    if (c == null) {
      return Optional.empty();
    }
    Decoded d = latestDecoded;
    if (d == null || d.from() != c) {
      d = new Decoded(c, c.decode());
      latestDecoded = d;
    }
    return Optional.of(d.collection());
  }

  @Override
  public Map<String, CollectorTelemetry> telemetry() {
    Map<String, CollectorTelemetry> out = new LinkedHashMap<>();
    for (ExporterPipeline p : pipelines) {
      ExporterWorker w = p.worker();
      out.put(p.name(), w.telemetry(w.buffered()));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public CompletableFuture<FlushOutcome> flush() {
    if (shutdown.get() != null) {
      throw new IllegalStateException("flush() called after shutdown() of the collector");
    }
    Map<String, CompletableFuture<ExporterFlush>> results = new LinkedHashMap<>();
    for (ExporterPipeline p : pipelines) {
      results.put(p.name(), p.worker().flush());
    }
    return CompletableFuture.allOf(results.values().toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              Map<String, ExporterFlush> byName = new LinkedHashMap<>();
              results.forEach((name, f) -> byName.put(name, f.join()));
              return new FlushOutcome(byName);
            });
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> earlier = shutdown.compareAndExchange(null, done);
    if (earlier != null) {
      return earlier;
    }
    Thread t = new Thread(() -> runShutdown(done), NamedThreadFactory.PREFIX + "shutdown");
    t.setDaemon(true);
    t.start();
    return done;
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = shutdown();
    // runShutdown's own deadline is the export timeout plus one grace; the second grace covers the
    // thread ends and source closes that follow it
    long waitMs = TimeUnit.NANOSECONDS.toMillis(maxExportTimeoutNanos) + 2 * SHUTDOWN_GRACE_MS;
    try {
      done.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // logged once where it happened (a final export, an exporter's shutdown)
      Throwable cause = e.getCause();
      logger.debug("collector closed with an error: {}", (cause != null ? cause : e).getMessage());
    } catch (TimeoutException e) {
      logger.warn(
          "collector shutdown did not finish within {}", DurationText.ofNanos(waitMs * 1_000_000));
    }
  }

  private void runShutdown(CompletableFuture<Void> done) {
    @Nullable String firstError = null;
    try {
      long budgetNanos = maxExportTimeoutNanos;
      long deadline =
          System.nanoTime() + budgetNanos + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MS);
      driver.stop();
      if (!driverScheduler.shutdown(waitMillis(deadline))) {
        logger.warn("the collect thread did not stop in time (a registry read is stuck)");
      }
      Map<ExporterPipeline, CompletableFuture<@Nullable String>> drains = new LinkedHashMap<>();
      for (ExporterPipeline p : pipelines) {
        drains.put(p, p.worker().drainAndShutdown(budgetNanos));
      }
      for (Map.Entry<ExporterPipeline, CompletableFuture<@Nullable String>> d : drains.entrySet()) {
        ExporterPipeline p = d.getKey();
        @Nullable String error;
        try {
          error = d.getValue().get(waitMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          error =
              "exporter "
                  + p.name()
                  + ": final drain did not finish within "
                  + DurationText.ofNanos(budgetNanos)
                  + "; "
                  + p.worker().buffered()
                  + " buffered collections were not delivered";
          logger.error("{}", error);
        } catch (ExecutionException e) {
          error = "exporter " + p.name() + ": final drain failed: " + e.getCause();
          logger.error("{}", error);
        }
        if (firstError == null) {
          firstError = error;
        }
      }
      logSummary();
      for (ExporterPipeline p : pipelines) {
        if (!p.stopThreads(waitMillis(deadline))) {
          logger.warn(
              "exporter {}: an export call ignores interruption; its daemon thread is left behind",
              p.name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      firstError = firstError == null ? "shutdown interrupted" : firstError;
    } catch (RuntimeException e) {
      logger.error("unexpected failure during collector shutdown", e);
      firstError = firstError == null ? e.toString() : firstError;
    } finally {
      closeQuietly(source, "snapshot source");
      if (metadataSource != null) {
        closeQuietly(metadataSource, "metadata source");
      }
      if (firstError == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(new IllegalStateException(firstError));
      }
    }
  }

  /**
   * One line at exit: collections taken, and per exporter what was exported, dropped and left in
   * the spool.
   */
  private void logSummary() {
    StringBuilder line = new StringBuilder("collector stopped after ");
    line.append(stats.collections()).append(" collections");
    for (ExporterPipeline p : pipelines) {
      line.append("; ").append(p.worker().summary());
    }
    logger.info("{}", line);
  }

  private static long waitMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      logger.warn("closing the {} failed: {}", what, e.toString());
    }
  }

  /**
   * Every exporter's pipeline, in registration order; when one cannot be opened, those opened
   * before it are closed again.
   */
  private static List<ExporterPipeline> openPipelines(
      List<ExporterSettings> exporters, CollectStats stats) {
    List<ExporterPipeline> out = new ArrayList<>();
    try {
      for (ExporterSettings s : exporters) {
        out.add(ExporterPipeline.open(s, stats));
      }
    } catch (RuntimeException e) {
      for (ExporterPipeline p : out) {
        p.closeUnstarted();
      }
      throw e;
    }
    return List.copyOf(out);
  }
}
