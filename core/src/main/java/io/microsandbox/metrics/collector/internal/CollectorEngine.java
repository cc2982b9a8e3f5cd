package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.CollectorStatus;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.ExporterStatus;
import io.microsandbox.metrics.collector.FlushOutcome;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.spool.SpoolInUseException;
import io.microsandbox.metrics.collector.spool.SpoolProvider;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
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
  private final List<ExporterWorker> workers;
  private final List<ExecutorScheduler> workerSchedulers;
  private final List<ExportCaller> callers;
  private final List<String> names;
  private final long maxExportTimeoutNanos;
  private final Duration collectInterval;
  private final Duration maxSampleAge;
  private final CollectStats stats;
  private final AtomicReference<CompletableFuture<Void>> shutdown = new AtomicReference<>();
  // latest() decoded once per collection; a racing reader may decode it too (same result)
  private volatile @Nullable Decoded latestDecoded;

  private record Decoded(CompactCollection from, SnapshotCollection collection) {}

  /**
   * What the engine needs to know about one registered exporter.
   *
   * @param exporter the exporter
   * @param flushInterval its flush interval
   * @param maxBuffered its buffer cap
   * @param exportTimeout its export timeout
   * @param config its own configuration (for its spool)
   */
  public record WorkerSpec(
      MetricsExporter exporter,
      Duration flushInterval,
      int maxBuffered,
      Duration exportTimeout,
      ExporterConfig config) {}

  private CollectorEngine(
      Duration collectInterval,
      Duration maxSampleAge,
      SnapshotSource source,
      @Nullable MetadataSource metadataSource,
      LabelLimits.Config labelLimits,
      List<WorkerSpec> specs) {
    this.source = source;
    this.metadataSource = metadataSource;
    this.names = uniqueNames(specs);
    List<ExporterBuffer> buffers = openBuffers(specs, names);
    this.collectInterval = collectInterval;
    this.maxSampleAge = maxSampleAge;
    CollectStats stats = new CollectStats();
    this.stats = stats;
    List<ExporterWorker> ws = new ArrayList<>();
    List<ExecutorScheduler> schedulers = new ArrayList<>();
    List<ExportCaller> cs = new ArrayList<>();
    long maxTimeout = 0;
    for (int i = 0; i < specs.size(); i++) {
      WorkerSpec spec = specs.get(i);
      String name = names.get(i);
      ExecutorScheduler scheduler =
          new ExecutorScheduler(NamedThreadFactory.PREFIX + "worker-" + name);
      ExportCaller caller = new ExportCaller(name);
      ExporterWorker worker =
          new ExporterWorker(
              name,
              spec.exporter(),
              spec.flushInterval(),
              buffers.get(i),
              retention(spec, buffers.get(i), collectInterval),
              spec.exportTimeout(),
              scheduler,
              caller,
              stats);
      worker.flushOnCollect(spec.config().flushOnCollect());
      ws.add(worker);
      schedulers.add(scheduler);
      cs.add(caller);
      maxTimeout = Math.max(maxTimeout, spec.exportTimeout().toNanos());
    }
    this.workers = List.copyOf(ws);
    this.workerSchedulers = List.copyOf(schedulers);
    this.callers = List.copyOf(cs);
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
   * Starts the threads.
   *
   * @return the running collector
   */
  public static CollectorEngine start(
      Duration collectInterval,
      Duration maxSampleAge,
      SnapshotSource source,
      @Nullable MetadataSource metadataSource,
      LabelLimits.Config labelLimits,
      List<WorkerSpec> workers) {
    CollectorEngine e =
        new CollectorEngine(
            collectInterval, maxSampleAge, source, metadataSource, labelLimits, workers);
    for (ExporterWorker w : e.workers) {
      w.start();
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
    List<ExporterStatus> exporters = new ArrayList<>(workers.size());
    for (ExporterWorker w : workers) {
      exporters.add(w.status());
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
    for (int i = 0; i < workers.size(); i++) {
      ExporterWorker w = workers.get(i);
      out.put(names.get(i), w.telemetry(w.buffered()));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public CompletableFuture<FlushOutcome> flush() {
    if (shutdown.get() != null) {
      throw new IllegalStateException("flush() called after shutdown() of the collector");
    }
    List<CompletableFuture<ExportResult>> results = new ArrayList<>();
    for (ExporterWorker w : workers) {
      results.add(w.flush());
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              Map<String, ExportResult> byName = new LinkedHashMap<>();
              for (int i = 0; i < workers.size(); i++) {
                byName.put(names.get(i), results.get(i).join());
              }
              return new FlushOutcome(byName);
            });
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!shutdown.compareAndSet(null, done)) {
      return shutdown.get();
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
      // the cause was logged where it happened; this line ties it to close()
      logger.warn("collector closed with an error: {}", e.getCause().getMessage());
    } catch (TimeoutException e) {
      logger.warn("collector shutdown did not finish within {} ms", waitMs);
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
      List<CompletableFuture<@Nullable String>> drains = new ArrayList<>();
      for (ExporterWorker w : workers) {
        drains.add(w.drainAndShutdown(budgetNanos));
      }
      for (int i = 0; i < drains.size(); i++) {
        @Nullable String error;
        try {
          error = drains.get(i).get(waitMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          error =
              "exporter "
                  + names.get(i)
                  + ": final drain did not finish within "
                  + Duration.ofNanos(budgetNanos)
                  + "; "
                  + workers.get(i).buffered()
                  + " buffered collections were not delivered";
          logger.error("{}", error);
        } catch (ExecutionException e) {
          error = "exporter " + names.get(i) + ": final drain failed: " + e.getCause();
        }
        if (firstError == null) {
          firstError = error;
        }
      }
      for (int i = 0; i < workers.size(); i++) {
        callers.get(i).close();
        workerSchedulers.get(i).shutdown(Math.max(1, waitMillis(deadline)));
        workers.get(i).abandonPendingFlushes();
        if (!callers.get(i).awaitClosed(Math.max(1, waitMillis(deadline)))) {
          logger.warn(
              "exporter {}: an export call ignores interruption; its daemon thread is left behind",
              names.get(i));
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
   * Each exporter's buffer: its spool when configured (opened here, before any thread starts, so a
   * spool directory in use by another process stops the start), else memory.
   *
   * @throws SpoolInUseException when another process holds a spool directory
   * @throws IllegalStateException when a spool is configured but no spool implementation is present
   */
  private static List<ExporterBuffer> openBuffers(List<WorkerSpec> specs, List<String> names) {
    List<ExporterBuffer> out = new ArrayList<>();
    try {
      for (int i = 0; i < specs.size(); i++) {
        WorkerSpec spec = specs.get(i);
        String name = names.get(i);
        Optional<SpoolSettings> settings = spec.config().spool(name);
        if (settings.isEmpty()) {
          out.add(new SnapshotBuffer(spec.maxBuffered()));
          continue;
        }
        SpoolProvider provider =
            spec.config()
                .spoolProvider()
                .or(() -> ServiceLoader.load(SpoolProvider.class).findFirst())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "exporter "
                                + name
                                + ": a spool directory is set but no spool implementation is on"
                                + " the class path (add the msb-metrics-spool module)"));
        out.add(new SpooledBuffer(name, provider.open(name, settings.get()), spec.maxBuffered()));
      }
    } catch (RuntimeException e) {
      for (ExporterBuffer b : out) {
        b.close();
      }
      throw e;
    }
    return out;
  }

  /**
   * How long an exporter can hold collections without dropping any, which caps its retry backoff:
   * with a spool its age cap (the byte cap may come sooner; the backoff's own 32x cap applies too),
   * else what the memory buffer holds.
   */
  private static Duration retention(
      WorkerSpec spec, ExporterBuffer buffer, Duration collectInterval) {
    if (buffer instanceof SpooledBuffer) {
      return spec.config().spool("").map(s -> s.maxAge()).orElseThrow();
    }
    return BackoffPolicy.retention(spec.flushInterval(), collectInterval, spec.maxBuffered());
  }

  private static List<String> uniqueNames(List<WorkerSpec> specs) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (WorkerSpec s : specs) {
      String base = String.valueOf(s.exporter().name());
      String name = base;
      for (int n = 2; !seen.add(name); n++) {
        name = base + "-" + n;
      }
      out.add(name);
    }
    return List.copyOf(out);
  }
}
