package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.spool.SpoolStats;
import java.util.Optional;

/**
 * What an {@link ExporterWorker} buffers into: {@link SnapshotBuffer} in memory, or {@link
 * SpooledBuffer} on disk with a memory window. The collect thread offers; the worker's thread
 * takes, then either {@link #remove removes} the batch (delivered, or refused for good) or {@link
 * #restore restores} it (retryable failure).
 */
public interface ExporterBuffer {
  /**
   * Buffers a collection.
   *
   * @return how many collections this call dropped from memory (0 or 1)
   */
  int offer(CompactCollection collection);

  /** Takes the next batch, oldest first, with the drops counted since the previous one. */
  SnapshotBuffer.Taken take();

  /**
   * Puts a batch whose export failed back at the front.
   *
   * @return how many collections this call dropped
   */
  int restore(SnapshotBuffer.Taken taken);

  /** Forgets a taken batch for good: the backend accepted it, or refused it permanently. */
  void remove(SnapshotBuffer.Taken taken);

  /**
   * Whether every collection offered now is kept beyond memory (a spool that accepts writes). While
   * it is not, what arrives is held in memory only, and the retry wait must not outlast what memory
   * holds.
   */
  default boolean durable() {
    return false;
  }

  /** Whether more is waiting than the next regular flush would take (a backlog on disk). */
  boolean backlog();

  /** Collections held in memory now. */
  int size();

  /** The most collections held in memory. */
  int capacity();

  /** Collections dropped since start, for any reason. */
  long droppedTotal();

  /** Collections dropped since start because they were too old (spool age cap). */
  default long droppedForAge() {
    return 0;
  }

  /** The spool's figures at {@code nowMs}; empty without a spool. */
  default Optional<SpoolStats> spoolStats(long nowMs) {
    return Optional.empty();
  }

  /**
   * Ends buffering at shutdown, after the final export.
   *
   * @return how many buffered collections are lost (not kept on disk for the next start)
   */
  int close();
}
