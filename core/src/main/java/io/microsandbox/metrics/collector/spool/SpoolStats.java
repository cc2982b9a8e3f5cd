package io.microsandbox.metrics.collector.spool;

/**
 * A spool's figures for collector telemetry: gauges of now and counters since it was opened.
 *
 * @param bytes bytes on disk now
 * @param maxBytes the byte cap
 * @param collections entries held now
 * @param oldestAgeMs age of the oldest entry, milliseconds (0 when empty)
 * @param droppedCapacity entries dropped to stay within the byte cap
 * @param droppedAge entries dropped because they were older than the age cap
 * @param droppedDamaged collections lost to damage: records that failed their check, segments that
 *     could not be read any more
 * @param corruptSkipped records found corrupt or torn and skipped (at open or on read)
 * @param writeErrors appends that failed (unwritable directory, full disk)
 */
public record SpoolStats(
    long bytes,
    long maxBytes,
    long collections,
    long oldestAgeMs,
    long droppedCapacity,
    long droppedAge,
    long droppedDamaged,
    long corruptSkipped,
    long writeErrors) {
  /** Collections the spool dropped for any reason: capacity, age, damage. */
  public long dropped() {
    return droppedCapacity + droppedAge + droppedDamaged;
  }

  /** The figures of a spool holding nothing and having done nothing. */
  public static SpoolStats empty(long maxBytes) {
    return new SpoolStats(0, maxBytes, 0, 0, 0, 0, 0, 0, 0);
  }
}
