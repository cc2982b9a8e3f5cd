package io.microsandbox.metrics.collector;

import io.microsandbox.metrics.collector.internal.SettingChecks;
import io.microsandbox.metrics.collector.spool.SpoolProvider;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * One exporter's own flush interval, buffer cap and export timeout, overriding the collector's
 * defaults for that exporter only ({@link MetricsCollector.Builder#register(MetricsExporter,
 * ExporterConfig)}), and its durable spool. A setting left unset falls back to the collector's
 * value; without {@link Builder#spoolDir} the exporter buffers in memory only. Immutable.
 */
public final class ExporterConfig {
  /** A configuration that overrides nothing. */
  public static final ExporterConfig DEFAULTS = builder().build();

  private final @Nullable Duration flushInterval;
  private final @Nullable Integer maxBuffered;
  private final @Nullable Duration exportTimeout;
  private final @Nullable Path spoolDir;
  private final long spoolMaxBytes;
  private final Duration spoolMaxAge;
  private final Duration spoolSync;
  private final @Nullable SpoolProvider spoolProvider;
  private final boolean flushOnCollect;

  private ExporterConfig(Builder b) {
    this.flushOnCollect = b.flushOnCollect;
    this.flushInterval = b.flushInterval;
    this.maxBuffered = b.maxBuffered;
    this.exportTimeout = b.exportTimeout;
    this.spoolDir = b.spoolDir;
    this.spoolMaxBytes = b.spoolMaxBytes;
    this.spoolMaxAge = b.spoolMaxAge;
    this.spoolSync = b.spoolSync;
    this.spoolProvider = b.spoolProvider;
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

  /**
   * Whether every collection is handed to the exporter as soon as it is taken, besides the flush
   * interval (for an exporter that serves the latest collection, such as a pull endpoint).
   */
  public boolean flushOnCollect() {
    return flushOnCollect;
  }

  /** The exporter's export timeout, if overridden. */
  public Optional<Duration> exportTimeout() {
    return Optional.ofNullable(exportTimeout);
  }

  /**
   * The spool settings of the exporter named {@code exporterName}: its own subdirectory of the
   * configured spool directory; empty when no spool directory is set.
   */
  public Optional<SpoolSettings> spool(String exporterName) {
    if (spoolDir == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SpoolSettings(spoolDir.resolve(exporterName), spoolMaxBytes, spoolMaxAge, spoolSync));
  }

  /** The provider that opens the spool, if set; else one is found through the ServiceLoader. */
  public Optional<SpoolProvider> spoolProvider() {
    return Optional.ofNullable(spoolProvider);
  }

  @Override
  public String toString() {
    return "ExporterConfig{flushInterval="
        + flushInterval
        + ", maxBuffered="
        + maxBuffered
        + ", exportTimeout="
        + exportTimeout
        + (spoolDir == null
            ? ""
            : ", spoolDir="
                + spoolDir
                + ", spoolMaxBytes="
                + spoolMaxBytes
                + ", spoolMaxAge="
                + spoolMaxAge
                + ", spoolSync="
                + (spoolSync.isZero() ? "always" : spoolSync))
        + ", flushOnCollect="
        + flushOnCollect
        + '}';
  }

  /**
   * Builds {@link ExporterConfig}; every setter rejects a value out of its bounds at once with an
   * {@link InvalidSettingException} naming it.
   */
  public static final class Builder {
    private @Nullable Duration flushInterval;
    private @Nullable Integer maxBuffered;
    private @Nullable Duration exportTimeout;
    private @Nullable Path spoolDir;
    private long spoolMaxBytes = SpoolSettings.DEFAULT_MAX_BYTES;
    private Duration spoolMaxAge = SpoolSettings.DEFAULT_MAX_AGE;
    private Duration spoolSync = SpoolSettings.DEFAULT_SYNC_INTERVAL;
    private @Nullable SpoolProvider spoolProvider;
    private boolean flushOnCollect;

    private Builder() {}

    /**
     * Hands every collection to the exporter as soon as it is taken (an export attempt on the
     * exporter's own worker, never on the collect thread), in addition to the flush interval. For
     * exporters that keep only the latest collection, such as a pull endpoint. Default off.
     */
    public Builder flushOnCollect(boolean flushOnCollect) {
      this.flushOnCollect = flushOnCollect;
      return this;
    }

    /** How often this exporter's buffer is flushed as one batch. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = SettingChecks.requirePositive(flushInterval, "flushInterval");
      return this;
    }

    /** How many collections this exporter buffers before dropping the oldest. */
    public Builder maxBuffered(int maxBuffered) {
      this.maxBuffered = SettingChecks.requirePositive(maxBuffered, "maxBuffered");
      return this;
    }

    /** How long one export call of this exporter may take before it counts as failed. */
    public Builder exportTimeout(Duration exportTimeout) {
      this.exportTimeout = SettingChecks.requirePositive(exportTimeout, "exportTimeout");
      return this;
    }

    /**
     * Keeps this exporter's buffer on disk, in the subdirectory named after the exporter: buffered
     * collections then survive restarts, crashes and outages up to the spool's caps, and only a
     * window of them ({@link #maxBuffered}) is held in memory. Needs a {@link SpoolProvider} (the
     * {@code msb-metrics-spool} module) on the class path, or {@link #spoolProvider}.
     */
    public Builder spoolDir(Path spoolDir) {
      Objects.requireNonNull(spoolDir, "spool dir");
      if (spoolDir.toString().isBlank()) {
        // an empty path resolves against the working directory: the spool would land wherever
        // the process happens to run
        throw new InvalidSettingException(
            "spoolDir", "the spool directory must name a directory, got an empty path");
      }
      this.spoolDir = spoolDir;
      return this;
    }

    /**
     * The most bytes the spool keeps on disk; beyond it the oldest collections are dropped. Default
     * {@link SpoolSettings#DEFAULT_MAX_BYTES}; at least {@link SpoolSettings#MIN_MAX_BYTES}.
     */
    public Builder spoolMaxBytes(long spoolMaxBytes) {
      this.spoolMaxBytes = SpoolSettings.requireMaxBytes(spoolMaxBytes);
      return this;
    }

    /**
     * Collections older than this are dropped from the spool. Default {@link
     * SpoolSettings#DEFAULT_MAX_AGE}.
     */
    public Builder spoolMaxAge(Duration spoolMaxAge) {
      this.spoolMaxAge = SpoolSettings.requireMaxAge(spoolMaxAge);
      return this;
    }

    /**
     * How often appended collections are forced to disk; {@link SpoolSettings#SYNC_ALWAYS} (zero)
     * forces each one. Default {@link SpoolSettings#DEFAULT_SYNC_INTERVAL}.
     */
    public Builder spoolSync(Duration spoolSync) {
      this.spoolSync = SpoolSettings.requireSyncInterval(spoolSync);
      return this;
    }

    /** Opens the spool with this provider instead of one found through the ServiceLoader. */
    public Builder spoolProvider(SpoolProvider spoolProvider) {
      this.spoolProvider = Objects.requireNonNull(spoolProvider, "spool provider");
      return this;
    }

    /** Builds the immutable configuration. */
    public ExporterConfig build() {
      return new ExporterConfig(this);
    }
  }
}
