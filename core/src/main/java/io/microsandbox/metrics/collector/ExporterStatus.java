package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.collector.spool.SpoolStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One exporter's pipeline as its worker last saw it: its settings, its buffer, its latest outcome
 * and when it tries next. Part of {@link CollectorStatus}; read-only, taken without waiting for the
 * worker.
 *
 * @param name the exporter's collector-unique name ({@link RunningCollector#exporterNames()})
 * @param flushInterval its flush interval (with {@code flushOnCollect}, only the cadence of its
 *     retries: it exports every collection as it is made)
 * @param maxBuffered its buffer cap, in collections
 * @param exportTimeout its export timeout
 * @param bufferedCollections collections waiting in its buffer now
 * @param exportsSuccess successful exports since start
 * @param exportsFailure failed exports since start (retryable or rejected)
 * @param consecutiveFailures failed attempts since the last success (0 = healthy)
 * @param collectionsDropped collections evicted by the buffer cap since start
 * @param lastSuccessAt when the last successful export finished; empty when none yet
 * @param lastError the message of the latest failed export, as the exporter worded it; empty when
 *     none failed yet (it stays after a later success, see {@code lastErrorAt})
 * @param lastErrorAt when that failure happened; empty when none failed yet
 * @param nextAttemptAt when the next scheduled export is due; empty once the worker stopped
 * @param spool the exporter's disk spool (collections and bytes on disk, oldest age, drops); empty
 *     without one
 * @param flushOnCollect whether it exports every collection as it is made (a Prometheus scrape's
 *     exporter) rather than every {@code flushInterval}
 * @param fatalError why the exporter is stopped for good ({@link ExportResult#fatal}, for example a
 *     {@link LinkageError} in it: a library on the class path missing or of another version); empty
 *     while it runs. A stopped exporter is never tried again; a spool keeps what it holds for the
 *     next start.
 */
public record ExporterStatus(
    String name,
    Duration flushInterval,
    int maxBuffered,
    Duration exportTimeout,
    int bufferedCollections,
    long exportsSuccess,
    long exportsFailure,
    int consecutiveFailures,
    long collectionsDropped,
    Optional<Instant> lastSuccessAt,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt,
    Optional<Instant> nextAttemptAt,
    Optional<SpoolStats> spool,
    boolean flushOnCollect,
    Optional<String> fatalError) {

  /** Checks that nothing is null. */
  public ExporterStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(flushInterval, "flushInterval");
    Objects.requireNonNull(exportTimeout, "exportTimeout");
    Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(lastErrorAt, "lastErrorAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(fatalError, "fatalError");
  }
}
