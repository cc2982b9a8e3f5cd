package io.microsandbox.metrics.collector.internal;

/**
 * Registry figures the collect loop publishes for every exporter's collector telemetry: the latest
 * scan's duration and the slots the source skipped so far. Written by the collect thread, read by
 * workers.
 */
public final class CollectStats {
  private volatile long lastScanDurationNanos;
  private volatile long slotsSkipped;

  void recordScan(long durationNanos, long skippedSoFar) {
    lastScanDurationNanos = durationNanos;
    slotsSkipped = skippedSoFar;
  }

  /** The latest scan's duration, nanoseconds. */
  public long lastScanDurationNanos() {
    return lastScanDurationNanos;
  }

  /** Slots skipped by the source since start. */
  public long slotsSkipped() {
    return slotsSkipped;
  }
}
