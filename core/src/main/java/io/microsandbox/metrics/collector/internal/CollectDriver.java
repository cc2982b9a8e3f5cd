package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.LogSafe;
import io.microsandbox.metrics.collector.MetadataSource;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collect loop: on every tick reads the source, drops samples older than the max sample age,
 * asks the metadata source for labels and allocations, encodes the result once ({@link
 * CompactCollection}) and offers it to every exporter's worker. It never waits for an exporter. A
 * read that throws is logged and the tick skipped; a metadata source that throws costs the labels
 * and allocations, not the metrics.
 *
 * <p>Ticks keep a fixed rate (a slow read does not shift later ticks; missed ticks are skipped, not
 * bunched). All work runs on the driver's {@link Scheduler}.
 */
public final class CollectDriver {
  private static final Logger logger = LoggerFactory.getLogger(CollectDriver.class);

  private final Scheduler scheduler;
  private final SnapshotSource source;
  private final @Nullable MetadataSource metadataSource;
  private final long intervalNanos;
  private final long maxSampleAgeMs;
  private final List<ExporterWorker> workers;
  private final CollectStats stats;
  private final LabelLimits labelLimits;
  private final IdentityInterner interner = new IdentityInterner();

  private long nextTickNanos;
  private volatile boolean stopped;
  private volatile Scheduler.Cancellable pending = () -> {};
  private boolean readFailing;
  private boolean metadataFailing;

  /**
   * Creates a driver; nothing runs until {@link #start()}.
   *
   * @param scheduler the collect thread and clock
   * @param source where sandboxes are read from
   * @param metadataSource labels and allocations, or null for none
   * @param interval time between ticks
   * @param maxSampleAge older samples are skipped; zero disables the check
   * @param workers every exporter's worker
   * @param stats where scan figures are published
   * @param labelLimits bounds every tick's labels
   */
  public CollectDriver(
      Scheduler scheduler,
      SnapshotSource source,
      @Nullable MetadataSource metadataSource,
      Duration interval,
      Duration maxSampleAge,
      List<ExporterWorker> workers,
      CollectStats stats,
      LabelLimits labelLimits) {
    this.scheduler = scheduler;
    this.source = source;
    this.metadataSource = metadataSource;
    this.intervalNanos = interval.toNanos();
    this.maxSampleAgeMs = maxSampleAge.toMillis();
    this.workers = List.copyOf(workers);
    this.stats = stats;
    this.labelLimits = labelLimits;
  }

  /** Runs the first tick now and the next ones every interval. */
  public void start() {
    nextTickNanos = scheduler.nanoTime();
    stats.started(nextTickNanos);
    pending = scheduler.schedule(this::tick, 0);
  }

  /** Stops ticking; a tick already running finishes. */
  public void stop() {
    stopped = true;
    pending.cancel();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    try {
      collectOnce();
    } catch (InternalError e) {
      // a SIGBUS of a truncated mapping that the JVM reported after the read had returned: the
      // tick's collection is lost like any failed read, counted, in one line
      readFailed(e);
    } finally {
      if (!stopped) {
        long now = scheduler.nanoTime();
        nextTickNanos += intervalNanos;
        if (nextTickNanos < now) { // fell behind: skip the missed ticks
          nextTickNanos = now + intervalNanos - Math.floorMod(now - nextTickNanos, intervalNanos);
        }
        try {
          pending = scheduler.schedule(this::tick, nextTickNanos - now);
        } catch (RejectedExecutionException e) {
          // shutting down
        }
      }
    }
  }

  /** One tick: read, filter, add metadata, encode, offer. Runs on the collect thread. */
  void collectOnce() {
    long collectedAtMs = scheduler.currentTimeMillis();
    long start = scheduler.nanoTime();
    List<SandboxSnapshot> read;
    try {
      read = source.read();
    } catch (Exception | LinkageError | InternalError e) {
      // InternalError: a fault in a memory-mapped read (SIGBUS of a truncated object) that a
      // custom source did not turn into an exception of its own; the tick is skipped all the same
      readFailed(e);
      return;
    }
    if (readFailing) {
      logger.info("reading the registry works again");
      readFailing = false;
    }
    stats.recordScan(scheduler.nanoTime() - start, source.skippedSlots());
    List<SandboxSnapshot> fresh = dropStale(read, collectedAtMs);
    CompactCollection c =
        CompactCollection.encode(collectedAtMs, fresh, metadataOf(fresh), interner);
    for (ExporterWorker w : workers) {
      w.offer(c);
    }
    stats.recordLatest(c);
    stats.recordCollection(collectedAtMs, fresh.size(), scheduler.nanoTime());
  }

  /** A skipped scan: counted; one WARN per run of failures, DEBUG for the rest; no trace. */
  private void readFailed(Throwable e) {
    stats.recordSkippedScan();
    stats.recordReadFailure(e.toString(), scheduler.nanoTime());
    if (!readFailing) {
      logger.warn("reading the registry failed, skipping this collection: {}", LogSafe.escape(e));
    } else {
      logger.debug("reading the registry failed again: {}", LogSafe.escape(e));
    }
    readFailing = true;
  }

  private List<SandboxSnapshot> dropStale(List<SandboxSnapshot> read, long collectedAtMs) {
    if (maxSampleAgeMs <= 0) {
      return read;
    }
    List<SandboxSnapshot> fresh = new ArrayList<>(read.size());
    for (SandboxSnapshot s : read) {
      // Compare the age without overflow: sampled_at may be any i64.
      long oldestAllowed = collectedAtMs - maxSampleAgeMs;
      if (s.sampledAtMs() >= oldestAllowed) {
        fresh.add(s);
      } else {
        logger.debug(
            "skipping sandbox {} (id {}): its sample is {} ms old",
            LogSafe.escape(s.name()),
            s.sandboxId(),
            collectedAtMs - s.sampledAtMs());
      }
    }
    return fresh;
  }

  private Map<Integer, SandboxMetadata> metadataOf(List<SandboxSnapshot> snapshots) {
    if (metadataSource == null || snapshots.isEmpty()) {
      return Map.of();
    }
    try {
      Map<Integer, SandboxMetadata> metadata = metadataSource.metadataFor(snapshots);
      if (metadataFailing) {
        logger.info("labels and allocations are available again");
        metadataFailing = false;
      }
      return metadata == null ? Map.of() : labelLimits.apply(metadata, snapshots);
    } catch (RuntimeException e) {
      if (!metadataFailing) {
        logger.warn(
            "metadata lookup failed, sending metrics without labels and allocations: {}",
            LogSafe.escape(e));
        metadataFailing = true;
      }
      return Map.of();
    }
  }
}
