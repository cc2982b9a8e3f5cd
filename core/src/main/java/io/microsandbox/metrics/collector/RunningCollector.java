package io.microsandbox.metrics.collector;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A started collector: it collects on its interval and every exporter's worker flushes on its own
 * cadence until {@link #shutdown()} or {@link #close()}. Obtained from {@link
 * MetricsCollector#start()}; thread-safe.
 *
 * <pre>{@code
 * try (RunningCollector running = collector.start()) {
 *   ...
 * } // close(): final drain, exporter shutdown, bounded wait
 * }</pre>
 */
public interface RunningCollector extends AutoCloseable {

  /**
   * The exporters' names ({@link MetricsExporter#name()}) as used in logs, {@link #status()} and
   * {@link FlushOutcome}, in registration order. Each is unique: {@link
   * MetricsCollector.Builder#build()} refuses two exporters registered under one name.
   */
  List<String> exporterNames();

  /**
   * What the collector is doing now: its settings, the registry, the latest collection and every
   * exporter's pipeline. Never blocks on the collect loop or an exporter and never reads the
   * registry, so a health probe can call it as often as it likes, even while the loop is stuck.
   */
  CollectorStatus status();

  /**
   * The latest collection the collect loop completed, for the application's own decisions and for
   * bridges into its metrics pipeline (Micrometer, the OpenTelemetry API), without an exporter of
   * its own. Lock-free: it reads a reference the collect loop publishes after each collection, so
   * it never touches shared memory, never waits for the collect loop and can be called from any
   * thread as often as needed. Repeated calls between two collections return the same instance.
   *
   * <p>A tick whose read failed publishes nothing: the previous collection stays the latest (check
   * {@link CollectorStatus#lastReadError()} or {@link SnapshotCollection#collectedAtMs()} for its
   * age). Samples older than the max sample age are not in it, as they are not in any export.
   *
   * @return the latest collection; empty before the first one completed
   */
  Optional<SnapshotCollection> latest();

  /**
   * Each exporter's collector telemetry as of now (what its next batch would carry, with the buffer
   * depth of now), by exporter name in registration order; empty for a collector without exporters.
   * The collect loop's figures (scan duration, skipped slots and scans, dropped labels) are the
   * same in every entry. Never waits for a worker or the collect loop.
   */
  Map<String, CollectorTelemetry> telemetry();

  /**
   * Asks every exporter to export everything it has buffered now, bypassing the retry backoff (call
   * it when you know the backend is back). Returns at once.
   *
   * @return completes with each exporter's outcome of that attempt ({@link
   *     ExporterFlush.State#NOTHING_TO_EXPORT} when it had nothing buffered); callers may ignore it
   * @throws IllegalStateException when the collector is shutting down or shut down
   */
  CompletableFuture<FlushOutcome> flush();

  /**
   * Stops collecting, exports everything still buffered through one final export per exporter, then
   * calls each exporter's {@link MetricsExporter#shutdown()}. Returns at once; the work is bounded
   * by the longest export timeout (plus a short grace), after which every thread of the collector
   * has ended (except an export call that ignores interruption, which is left on a daemon thread).
   * Calling it again returns the same future.
   *
   * <p>A final export that fails while every undelivered collection is kept in the exporter's spool
   * (for the next start) is a clean stop: one INFO line says how many are kept. Each failure is
   * logged once, where it happens; a line at the end sums up what each exporter exported, dropped
   * and left in its spool.
   *
   * @return completes when done, normally or exceptionally with the first error (a final export
   *     that lost collections, an exporter stopped by a fatal error, an exporter whose shutdown
   *     threw, a drain that exceeded its time)
   */
  CompletableFuture<Void> shutdown();

  /**
   * {@link #shutdown() Shuts down} and waits for it to finish, at most the longest export timeout
   * plus a short grace (the same bound {@link #shutdown()} keeps). Calling it again, or after
   * {@link #shutdown()}, only waits for the same shutdown.
   *
   * <p>It does not throw when a final export or an exporter's shutdown failed: each such failure is
   * logged once, where it happened (and a lost buffer counted in the log line). Use {@link
   * #shutdown()} to act on the outcome. An interrupt while waiting ends the wait and keeps the
   * thread's interrupt status.
   */
  @Override
  void close();
}
