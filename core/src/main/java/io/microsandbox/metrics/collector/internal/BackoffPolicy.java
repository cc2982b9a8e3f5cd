package io.microsandbox.metrics.collector.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When the next scheduled export is due: one flush interval after a success, and after the n-th
 * consecutive failure {@code flush * 2^min(n-1, 5)} (1x, 2x, 4x ... 32x), or the backend's
 * retry-after hint when that is longer; but never longer than the time the buffer takes to fill.
 * Not thread-safe; owned by one worker.
 *
 * <pre>
 *  delay = min( max(flush * 2^min(n-1, 5), retry-after), retention )
 *  retention = max(flush, max_buffered * collect interval)      ({@link #retention})
 * </pre>
 *
 * <p>The retention is the one in force when the delay is computed ({@link #BackoffPolicy(Duration,
 * LongSupplier)}): a spool's age cap while the spool keeps every collection, what memory holds
 * while it cannot (an unusable directory, a full disk).
 *
 * <p>Why the cap: the buffer holds {@code max_buffered} collections, one per collect interval, and
 * drops the oldest when full. A wait longer than that would drop collections taken after the
 * backend came back only because we were still waiting. A retry-after hint is capped the same way:
 * losing data is worse than an early retry. Retries are never more frequent than healthy flushes.
 */
public final class BackoffPolicy {
  /** The largest exponent: the delay stops growing at 32 flush intervals. */
  static final int MAX_EXPONENT = 5;

  private final long flushNanos;
  private final LongSupplier retentionNanos;
  private int consecutiveFailures;

  /**
   * Creates a policy.
   *
   * @param flushInterval the exporter's flush interval
   * @param retention how long the exporter can hold collections without dropping any ({@link
   *     #retention}); the longest delay
   */
  public BackoffPolicy(Duration flushInterval, Duration retention) {
    this(flushInterval, constant(saturatedNanos(retention)));
  }

  /**
   * Creates a policy whose longest delay is the retention in force when each delay is computed.
   *
   * @param flushInterval the exporter's flush interval
   * @param retentionNanos how long the exporter can hold collections without dropping any, now, in
   *     nanoseconds
   */
  public BackoffPolicy(Duration flushInterval, LongSupplier retentionNanos) {
    this.flushNanos = flushInterval.toNanos();
    this.retentionNanos = retentionNanos;
  }

  private static LongSupplier constant(long nanos) {
    return () -> nanos;
  }

  /**
   * How long an exporter holds collections before its buffer drops the oldest: {@code maxBuffered x
   * collectInterval}, at least one flush interval. The one place this bound is computed: a store
   * that holds more (a disk spool) raises it here.
   *
   * @param flushInterval the exporter's flush interval
   * @param collectInterval the time between collections
   * @param maxBuffered the buffer cap in collections
   */
  public static Duration retention(
      Duration flushInterval, Duration collectInterval, int maxBuffered) {
    Duration fill;
    try {
      fill = collectInterval.multipliedBy(maxBuffered);
    } catch (ArithmeticException e) {
      fill = Duration.ofSeconds(Long.MAX_VALUE);
    }
    return fill.compareTo(flushInterval) < 0 ? flushInterval : fill;
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
    long maxDelayNanos = Math.max(flushNanos, retentionNanos.getAsLong());
    return Math.min(Math.max(delay, retryAfterNanos), maxDelayNanos);
  }

  private static long saturatedShift(long value, int exponent) {
    return value > (Long.MAX_VALUE >> exponent) ? Long.MAX_VALUE : value << exponent;
  }

  /** {@code d} in nanoseconds, {@code Long.MAX_VALUE} when longer. */
  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
