package io.microsandbox.metrics.collector.internal;

import java.time.Duration;

/**
 * Writes durations in log lines the way the command-line flags take them ({@code 1s}, {@code 16s},
 * {@code 250ms}, {@code 1m30s}), not ISO-8601 ({@code PT16S}).
 */
public final class DurationText {
  private static final long[] SIZES = {3_600_000L, 60_000L, 1_000L, 1L};
  private static final String[] UNITS = {"h", "m", "s", "ms"};

  private DurationText() {}

  /**
   * {@code d} in hours, minutes, seconds and milliseconds, largest first: {@code 1h30m}, {@code
   * 10s}, {@code 1s500ms}, {@code -1s}; {@code 0} for zero; a duration under a millisecond is
   * {@code 1ms}, never {@code 0}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    long ms;
    try {
      ms = Math.max(1, d.toMillis());
    } catch (ArithmeticException e) {
      ms = Long.MAX_VALUE;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < SIZES.length; i++) {
      if (ms >= SIZES[i]) {
        out.append(ms / SIZES[i]).append(UNITS[i]);
        ms %= SIZES[i];
      }
    }
    return out.toString();
  }

  /** {@link #format(Duration)} of {@code nanos} nanoseconds. */
  public static String ofNanos(long nanos) {
    return format(Duration.ofNanos(nanos));
  }
}
