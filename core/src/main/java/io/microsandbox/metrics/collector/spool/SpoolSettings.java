package io.microsandbox.metrics.collector.spool;

import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.internal.SettingChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one exporter's spool keeps its collections. Built from {@link
 * io.microsandbox.metrics.collector.ExporterConfig.Builder}'s spool settings. The limits of each
 * value are checked here and only here ({@link #requireMaxBytes}, {@link #requireMaxAge}, {@link
 * #requireSyncInterval}, which the builder's setters call), each failure an {@link
 * InvalidSettingException} naming the builder's setting.
 *
 * @param dir the exporter's own directory (the configured spool directory plus the exporter's name)
 * @param maxBytes the most bytes on disk; the oldest entries are dropped beyond it
 * @param maxAge entries older than this are dropped (backends refuse samples that old)
 * @param syncInterval how often appended data is forced to stable storage; {@link Duration#ZERO}
 *     forces every append ({@link #SYNC_ALWAYS})
 */
public record SpoolSettings(Path dir, long maxBytes, Duration maxAge, Duration syncInterval) {
  /** Default byte cap: 1 GiB, about 6 hours of 1000 sandboxes at 1 s within 48 B per sample. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /**
   * Default age cap: 1 hour, the window Prometheus' head and Mimir (out-of-order window 0) accept
   * behind their newest sample; older history would be refused anyway.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

  /** Default sync interval: 1 s, so a power loss loses at most about a second of collections. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

  /** The sync interval meaning "force every append to disk before it counts as buffered". */
  public static final Duration SYNC_ALWAYS = Duration.ZERO;

  /** The smallest byte cap accepted: room for a few segments. */
  public static final long MIN_MAX_BYTES = 1L << 20;

  /**
   * Checks the values.
   *
   * @throws InvalidSettingException naming the setting ({@code spoolMaxBytes}, {@code spoolMaxAge},
   *     {@code spoolSync}) when one is out of its bounds
   */
  public SpoolSettings {
    Objects.requireNonNull(dir, "spoolDir");
    requireMaxBytes(maxBytes);
    requireMaxAge(maxAge);
    requireSyncInterval(syncInterval);
  }

  /**
   * {@code maxBytes}, when it is at least {@link #MIN_MAX_BYTES}.
   *
   * @throws InvalidSettingException ({@code spoolMaxBytes}) otherwise
   */
  public static long requireMaxBytes(long maxBytes) {
    if (maxBytes < MIN_MAX_BYTES) {
      throw new InvalidSettingException(
          "spoolMaxBytes", "spool max bytes must be at least 1MiB, got " + maxBytes);
    }
    return maxBytes;
  }

  /**
   * {@code maxAge}, when it is positive and at most {@code MetricsCollector.LONGEST_DURATION}.
   *
   * @throws InvalidSettingException ({@code spoolMaxAge}) otherwise
   */
  public static Duration requireMaxAge(Duration maxAge) {
    return SettingChecks.requirePositive(maxAge, "spoolMaxAge");
  }

  /**
   * {@code syncInterval}, when it is zero ({@link #SYNC_ALWAYS}) or positive, and at most {@code
   * MetricsCollector.LONGEST_DURATION}.
   *
   * @throws InvalidSettingException ({@code spoolSync}) otherwise
   */
  public static Duration requireSyncInterval(Duration syncInterval) {
    return SettingChecks.requireZeroOrPositive(syncInterval, "spoolSync", "always");
  }

  /** Whether every append is forced to disk before it returns. */
  public boolean syncAlways() {
    return syncInterval.isZero();
  }
}
