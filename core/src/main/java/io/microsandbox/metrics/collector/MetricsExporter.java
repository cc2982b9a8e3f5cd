package io.microsandbox.metrics.collector;

/**
 * Ships batches of buffered collections to one backend.
 *
 * <p>The collector gives every registered exporter its own worker thread and its own {@code
 * SnapshotBuffer}; {@link #export} is only ever called from that worker, one call at a time, so
 * implementations need no locking of their own. The worker enforces the export timeout, even when
 * {@code export} ignores interruption: a call still running at the timeout counts as a retryable
 * failure and its batch goes back to the buffer.
 */
public interface MetricsExporter {

  /**
   * A short, stable name for logs, status, collector telemetry and the spool's subdirectory (for
   * example {@code "otlp"}); not empty, and unique among a collector's exporters.
   */
  String name();

  /**
   * Sends one batch: every collection buffered since the last successful export, oldest first.
   *
   * <p>Return {@link ExportResult#success} when the backend accepted it, {@link
   * ExportResult#retryable} to have the batch restored to the buffer and retried with backoff, or
   * {@link ExportResult#rejected} when the batch can never succeed as it is (it is dropped and
   * counted). Throwing any exception is treated as a retryable failure.
   *
   * <p>An exporter that sends a batch in several requests reports a failure after some were
   * accepted with {@link ExportResult#afterAccepting}, so that only the undelivered collections are
   * retried. At the export timeout the call is interrupted; returning such a result promptly
   * (instead of throwing) keeps what was delivered out of the retry.
   *
   * @param batch the collections to send; never empty of collections
   * @return the outcome
   * @throws Exception any failure, treated as retryable
   */
  ExportResult export(ExportBatch batch) throws Exception;

  /**
   * Releases the exporter's resources. Called once, after the final drain at collector shutdown.
   *
   * @throws Exception a failure that the collector reports from its shutdown
   */
  default void shutdown() throws Exception {}
}
