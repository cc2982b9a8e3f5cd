package io.microsandbox.metrics.collector;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One exporter's own flush interval, buffer cap and export timeout, overriding the collector's
 * defaults for that exporter only ({@link MetricsCollector.Builder#register(MetricsExporter,
 * ExporterConfig)}). A setting left unset falls back to the collector's value. Immutable.
 */
public final class ExporterConfig {
  /** A configuration that overrides nothing. */
  public static final ExporterConfig DEFAULTS = builder().build();

  private final Duration flushInterval;
  private final Integer maxBuffered;
  private final Duration exportTimeout;

  private ExporterConfig(Builder b) {
    this.flushInterval = b.flushInterval;
    this.maxBuffered = b.maxBuffered;
    this.exportTimeout = b.exportTimeout;
  }

  /** A builder with nothing overridden. */
  public static Builder builder() {
    return new Builder();
  }

  /** The exporter's flush interval, if overridden. */
  public Optional<Duration> flushInterval() {
    return Optional.ofNullable(flushInterval);
  }

  /** The exporter's buffer cap in collections, if overridden. */
  public OptionalInt maxBuffered() {
    return maxBuffered == null ? OptionalInt.empty() : OptionalInt.of(maxBuffered);
  }

  /** The exporter's export timeout, if overridden. */
  public Optional<Duration> exportTimeout() {
    return Optional.ofNullable(exportTimeout);
  }

  @Override
  public String toString() {
    return "ExporterConfig{flushInterval="
        + flushInterval
        + ", maxBuffered="
        + maxBuffered
        + ", exportTimeout="
        + exportTimeout
        + '}';
  }

  /**
   * Builds {@link ExporterConfig}; every setter rejects a non-positive value at once with an {@link
   * InvalidSettingException} naming it.
   */
  public static final class Builder {
    private Duration flushInterval;
    private Integer maxBuffered;
    private Duration exportTimeout;

    private Builder() {}

    /** How often this exporter's buffer is flushed as one batch. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = Durations.requirePositive(flushInterval, "flushInterval");
      return this;
    }

    /** How many collections this exporter buffers before dropping the oldest. */
    public Builder maxBuffered(int maxBuffered) {
      this.maxBuffered = Durations.requirePositive(maxBuffered, "maxBuffered");
      return this;
    }

    /** How long one export call of this exporter may take before it counts as failed. */
    public Builder exportTimeout(Duration exportTimeout) {
      this.exportTimeout = Durations.requirePositive(exportTimeout, "exportTimeout");
      return this;
    }

    /** Builds the immutable configuration. */
    public ExporterConfig build() {
      return new ExporterConfig(this);
    }
  }

  /**
   * Validation shared by the builders of this package. Each check takes the setting's builder name
   * ({@code flushInterval}) and throws {@link InvalidSettingException} for it, its message naming
   * the setting in words ({@code flush interval must be positive, got PT0S}).
   */
  static final class Durations {
    private Durations() {}

    static Duration requirePositive(Duration d, String setting) {
      Objects.requireNonNull(d, setting);
      if (d.isZero() || d.isNegative()) {
        throw new InvalidSettingException(setting, words(setting) + " must be positive, got " + d);
      }
      return requireAtMostLongest(d, setting);
    }

    static Duration requireAtMostLongest(Duration d, String setting) {
      if (d.compareTo(MetricsCollector.LONGEST_DURATION) > 0) {
        throw new InvalidSettingException(
            setting,
            words(setting)
                + " must be at most "
                + MetricsCollector.LONGEST_DURATION.toDays()
                + " days, got "
                + d);
      }
      return d;
    }

    static int requirePositive(int n, String setting) {
      if (n <= 0) {
        throw new InvalidSettingException(
            setting, words(setting) + " must be at least 1, got " + n);
      }
      return n;
    }

    /** {@code maxSampleAge} -> {@code max sample age}. */
    static String words(String setting) {
      return setting.replaceAll("([A-Z])", " $1").toLowerCase(java.util.Locale.ROOT);
    }
  }
}
