package io.microsandbox.metrics.collector.internal;

import java.time.Duration;

/**
 * When the next scheduled export is due: one flush interval after a success, and after the n-th
 * consecutive failure {@code flush * 2^min(n-1, 5)} (1x, 2x, 4x ... 32x), or the backend's
 * retry-after hint when that is longer. Not thread-safe; owned by one worker.
 */
public final class BackoffPolicy {
  /** The largest exponent: the delay stops growing at 32 flush intervals. */
  static final int MAX_EXPONENT = 5;

  private final long flushNanos;
  private int consecutiveFailures;

  /**
   * Creates a policy.
   *
   * @param flushInterval the exporter's flush interval
   */
  public BackoffPolicy(Duration flushInterval) {
    this.flushNanos = flushInterval.toNanos();
  }

  /** Records a success; returns how many failures preceded it (0 = was healthy). */
  public int onSuccess() {
    int n = consecutiveFailures;
    consecutiveFailures = 0;
    return n;
  }

  /** Records a failure. */
  public void onFailure() {
    if (consecutiveFailures < Integer.MAX_VALUE) {
      consecutiveFailures++;
    }
  }

  /** Failures since the last success. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * Nanoseconds until the next scheduled attempt.
   *
   * @param retryAfterNanos the backend's hint, 0 when none
   */
  public long nextDelayNanos(long retryAfterNanos) {
    long delay = flushNanos;
    if (consecutiveFailures > 0) {
      int exponent = Math.min(consecutiveFailures - 1, MAX_EXPONENT);
      delay = saturatedShift(flushNanos, exponent);
    }
    return Math.max(delay, retryAfterNanos);
  }

  private static long saturatedShift(long value, int exponent) {
    return value > (Long.MAX_VALUE >> exponent) ? Long.MAX_VALUE : value << exponent;
  }
}
