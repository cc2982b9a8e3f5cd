package io.microsandbox.metrics.collector.internal;

import org.jspecify.annotations.Nullable;

/**
 * Figures the collect loop publishes: for every exporter's collector telemetry the latest scan's
 * duration, the slots the source skipped so far, the scans that failed as a whole and the labels
 * withheld by the label limits; for {@link
 * io.microsandbox.metrics.collector.RunningCollector#status()} its progress (when a tick last
 * finished, the collections completed, the latest one's time and size, the failing read). Written
 * by the collect thread only, read by workers and status callers.
 */
public final class CollectStats {
  private volatile long lastScanDurationNanos;
  private volatile long slotsSkipped;
  private volatile long scansSkipped;
  private volatile long labelsDropped;
  private volatile long lastTickNanos;
  private volatile long collections;
  private volatile long lastCollectionEpochMs;
  private volatile int sandboxes;
  private volatile @Nullable String lastReadError;
  // the latest collection, for RunningCollector.latest(): heap only, never the registry
  private volatile @Nullable CompactCollection latest;

  /** The loop starts at {@code nanos}; the time since the last tick counts from here. */
  void started(long nanos) {
    lastTickNanos = nanos;
  }

  /** {@code c} is the latest collection (set before {@link #recordCollection} counts it). */
  void recordLatest(CompactCollection c) {
    latest = c;
  }

  /** The latest collection; null before the first. */
  public @Nullable CompactCollection latest() {
    return latest;
  }

  /**
   * A tick finished with a collection of {@code sandboxCount} sandboxes taken at {@code epochMs}.
   */
  void recordCollection(long epochMs, int sandboxCount, long nowNanos) {
    lastCollectionEpochMs = epochMs;
    sandboxes = sandboxCount;
    lastReadError = null;
    collections++; // one writer: the collect thread
    lastTickNanos = nowNanos;
  }

  /** A tick finished without a collection: the read failed with {@code message}. */
  void recordReadFailure(String message, long nowNanos) {
    lastReadError = message;
    lastTickNanos = nowNanos;
  }

  void recordScan(long durationNanos, long skippedSoFar) {
    lastScanDurationNanos = durationNanos;
    slotsSkipped = skippedSoFar;
  }

  void recordSkippedScan() {
    scansSkipped++; // written by the collect thread only
  }

  void recordDroppedLabels(long count) {
    labelsDropped += count; // written by the collect thread only
  }

  /** Scans whose read failed as a whole since start. */
  public long scansSkipped() {
    return scansSkipped;
  }

  /** Labels withheld by the label limits since start. */
  public long labelsDropped() {
    return labelsDropped;
  }

  /** The latest scan's duration, nanoseconds. */
  public long lastScanDurationNanos() {
    return lastScanDurationNanos;
  }

  /** Slots skipped by the source since start. */
  public long slotsSkipped() {
    return slotsSkipped;
  }

  /** Monotonic nanoseconds when the latest tick finished, or the loop started. */
  public long lastTickNanos() {
    return lastTickNanos;
  }

  /** Collections completed since start. */
  public long collections() {
    return collections;
  }

  /** Unix milliseconds of the latest completed collection; meaningless before the first. */
  public long lastCollectionEpochMs() {
    return lastCollectionEpochMs;
  }

  /** Sandboxes in the latest completed collection. */
  public int sandboxes() {
    return sandboxes;
  }

  /** The latest failed read's message while reads keep failing, else null. */
  public @Nullable String lastReadError() {
    return lastReadError;
  }
}
