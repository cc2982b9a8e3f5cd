package io.microsandbox.metrics.collector.internal;

import io.microsandbox.metrics.collector.MetricsExporter;
import io.microsandbox.metrics.collector.spool.SpoolProvider;
import io.microsandbox.metrics.collector.spool.SpoolSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered exporter with every setting resolved: its own values where its {@code
 * ExporterConfig} set them, the collector's otherwise, all checked. {@code MetricsCollector}'s
 * builder makes one per exporter; {@link ExporterPipeline} is built from it, and nothing after it
 * reads an {@code ExporterConfig}.
 *
 * @param exporter the exporter
 * @param name its collector-unique name (the builder refuses a name registered twice)
 * @param flushInterval time between scheduled attempts while healthy
 * @param maxBuffered the most collections held in memory
 * @param exportTimeout the longest one export call may take
 * @param collectInterval the collector's time between collections
 * @param flushOnCollect whether every collection also schedules an attempt at once
 * @param firstExportAtFirstCollection whether the first attempt runs at the first collection
 *     instead of one flush interval after start
 * @param spool its spool (its own directory), or empty to buffer in memory only
 * @param spoolProvider the provider that opens the spool, or empty for the ServiceLoader's
 */
public record ExporterSettings(
    MetricsExporter exporter,
    String name,
    Duration flushInterval,
    int maxBuffered,
    Duration exportTimeout,
    Duration collectInterval,
    boolean flushOnCollect,
    boolean firstExportAtFirstCollection,
    Optional<SpoolSettings> spool,
    Optional<SpoolProvider> spoolProvider) {

  /** Checks that nothing is null and the values are in bounds. */
  public ExporterSettings {
    Objects.requireNonNull(exporter, "exporter");
    Objects.requireNonNull(name, "name");
    SettingChecks.requirePositive(flushInterval, "flushInterval");
    SettingChecks.requirePositive(maxBuffered, "maxBuffered");
    SettingChecks.requirePositive(exportTimeout, "exportTimeout");
    SettingChecks.requirePositive(collectInterval, "collectInterval");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(spoolProvider, "spoolProvider");
  }

  /**
   * Settings of an exporter that buffers in memory only and exports on its flush interval alone.
   */
  public static ExporterSettings inMemory(
      MetricsExporter exporter,
      Duration flushInterval,
      int maxBuffered,
      Duration exportTimeout,
      Duration collectInterval) {
    return new ExporterSettings(
        exporter,
        exporter.name(),
        flushInterval,
        maxBuffered,
        exportTimeout,
        collectInterval,
        false,
        false,
        Optional.empty(),
        Optional.empty());
  }

  /** These settings with {@code flushOnCollect} set. */
  public ExporterSettings withFlushOnCollect(boolean on) {
    return new ExporterSettings(
        exporter,
        name,
        flushInterval,
        maxBuffered,
        exportTimeout,
        collectInterval,
        on,
        firstExportAtFirstCollection,
        spool,
        spoolProvider);
  }

  /** These settings with {@code firstExportAtFirstCollection} set. */
  public ExporterSettings withFirstExportAtFirstCollection(boolean on) {
    return new ExporterSettings(
        exporter,
        name,
        flushInterval,
        maxBuffered,
        exportTimeout,
        collectInterval,
        flushOnCollect,
        on,
        spool,
        spoolProvider);
  }

  /** These settings with a spool. */
  public ExporterSettings withSpool(SpoolSettings settings) {
    return new ExporterSettings(
        exporter,
        name,
        flushInterval,
        maxBuffered,
        exportTimeout,
        collectInterval,
        flushOnCollect,
        firstExportAtFirstCollection,
        Optional.of(settings),
        spoolProvider);
  }

  /**
   * How long the memory buffer holds collections before it drops the oldest: {@code maxBuffered x
   * collectInterval}, at least one flush interval ({@link BackoffPolicy#retention}).
   */
  public Duration memoryRetention() {
    return BackoffPolicy.retention(flushInterval, collectInterval, maxBuffered);
  }
}
