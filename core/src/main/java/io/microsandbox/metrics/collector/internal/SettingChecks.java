package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.InvalidSettingException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The checks every builder of the core module shares, and the longest duration any setting takes.
 * Each check takes the setting's builder name ({@code flushInterval}) and throws {@link
 * InvalidSettingException} for it, its message naming the setting in words ({@code flush interval
 * must be positive, got PT0S}). Depends on nothing but that exception, so the public classes that
 * use it ({@code MetricsCollector}, {@code ExporterConfig}, {@code SpoolSettings}) do not depend on
 * each other for it.
 */
public final class SettingChecks {
  /**
   * The longest interval, timeout or age any setting accepts: 365 days. Far beyond any useful
   * value, and far enough from {@code Long.MAX_VALUE} nanoseconds that deadlines computed from the
   * monotonic clock never overflow. Published as {@code MetricsCollector.LONGEST_DURATION}.
   */
  public static final Duration LONGEST_DURATION = Duration.ofDays(365);

  private SettingChecks() {}

  /** {@code d}, when it is positive and at most {@link #LONGEST_DURATION}. */
  public static Duration requirePositive(Duration d, String setting) {
    Objects.requireNonNull(d, setting);
    if (d.isZero() || d.isNegative()) {
      throw new InvalidSettingException(
          setting, words(setting) + " must be positive, got " + DurationText.format(d));
    }
    return requireAtMostLongest(d, setting);
  }

  /**
   * {@code d}, when it is zero (meaning {@code zeroMeans}) or positive, and at most {@link
   * #LONGEST_DURATION}.
   */
  public static Duration requireZeroOrPositive(Duration d, String setting, String zeroMeans) {
    Objects.requireNonNull(d, setting);
    if (d.isNegative()) {
      throw new InvalidSettingException(
          setting, words(setting) + " must be zero (" + zeroMeans + ") or positive, got " + d);
    }
    return requireAtMostLongest(d, setting);
  }

  /** {@code d}, when it is at most {@link #LONGEST_DURATION}. */
  public static Duration requireAtMostLongest(Duration d, String setting) {
    if (d.compareTo(LONGEST_DURATION) > 0) {
      throw new InvalidSettingException(
          setting,
          words(setting)
              + " must be at most "
              + LONGEST_DURATION.toDays()
              + " days, got "
              + DurationText.format(d));
    }
    return d;
  }

  /** {@code n}, when it is at least 1. */
  public static int requirePositive(int n, String setting) {
    if (n <= 0) {
      throw new InvalidSettingException(setting, words(setting) + " must be at least 1, got " + n);
    }
    return n;
  }

  /** {@code maxSampleAge} -> {@code max sample age}. */
  public static String words(String setting) {
    return setting.replaceAll("([A-Z])", " $1").toLowerCase(Locale.ROOT);
  }
}
