package io.microsandbox.metrics.collector.spool;

import io.microsandbox.metrics.collector.SnapshotCollection;
import java.io.IOException;
import java.util.List;

/**
 * Durable storage of one exporter's buffered collections, oldest first. Each appended collection
 * gets a sequence number, larger than every earlier one; an entry leaves the spool when {@link
 * #remove removed} (delivered, or refused for good) or when the spool drops it for its byte or age
 * cap, oldest first.
 *
 * <p>Thread-safe: the collect thread appends while the exporter's worker reads and removes.
 */
public interface CollectionSpool extends AutoCloseable {
  /**
   * Appends a collection; after it returns the collection survives a process crash (and, within the
   * spool's sync policy, a power loss). May drop the oldest entries to stay within the caps.
   *
   * @return the entry's sequence number
   * @throws IOException when it could not be written (the caller keeps it in memory and counts the
   *     error); later calls try again
   */
  long append(SnapshotCollection collection) throws IOException;

  /**
   * Reads up to {@code max} entries with a sequence number above {@code afterSeq}, oldest first.
   * Entries that cannot be decoded are skipped and counted in {@link SpoolStats#corruptSkipped()}.
   *
   * @throws IOException when the spool cannot be read at all
   */
  List<SpooledCollection> readAfter(long afterSeq, int max) throws IOException;

  /**
   * Removes one entry: its collection was delivered, or refused for good. An unknown or already
   * dropped sequence number is ignored.
   */
  void remove(long seq);

  /**
   * Says which entries are in an export request now: every entry up to {@code upToSeq} ({@code -1}:
   * none). A cap may still drop one of them meanwhile, but the drop is counted only if the request
   * does not deliver it: {@link #remove} for it before the next call of this method means it was
   * delivered, not dropped. Without this, a collection both delivered and evicted would count as
   * both.
   */
  default void exporting(long upToSeq) {}

  /** The sequence number of the oldest entry, or {@link Long#MAX_VALUE} when empty. */
  long oldestSeq();

  /** The figures for collector telemetry, with the oldest entry's age measured at {@code nowMs}. */
  SpoolStats stats(long nowMs);

  /** Writes everything appended so far to stable storage and releases the directory. */
  @Override
  void close();
}
