package io.microsandbox.metrics.series;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import java.util.function.ToLongFunction;

/**
 * The collector telemetry series ({@code microsandbox.collector.*}, docs/metrics.md, "Collector
 * telemetry" table) every exporter that ships metrics about itself sends, defined once: OTLP name,
 * unit, description, kind, Prometheus name and how each value comes from a {@link
 * CollectorTelemetry}. Order = the order in every request and exposition.
 *
 * <p>Counters are cumulative from the exporter's start; gauges hold the latest figure.
 */
public enum CollectorSeries {
  /** Successful exports. */
  EXPORTS_SUCCESS(
      "microsandbox.collector.exports.success",
      "{export}",
      "Successful exports since start",
      Kind.COUNTER,
      CollectorTelemetry::exportsSuccess,
      1),
  /** Failed exports. */
  EXPORTS_FAILURE(
      "microsandbox.collector.exports.failure",
      "{export}",
      "Failed exports (timeout, transport, non-2xx) since start",
      Kind.COUNTER,
      CollectorTelemetry::exportsFailure,
      1),
  /** Collections dropped by the buffer cap or the spool's byte or age cap. */
  COLLECTIONS_DROPPED(
      "microsandbox.collector.collections.dropped",
      "{collection}",
      "Collections dropped by the buffer cap or the spool's byte or age cap since start",
      Kind.COUNTER,
      CollectorTelemetry::collectionsDropped,
      1),
  /** Unix time of the last successful export, seconds. */
  LAST_SUCCESS_TIMESTAMP(
      "microsandbox.collector.last_success_timestamp",
      "s",
      "Unix time of the last successful export (0: none yet)",
      Kind.DOUBLE_GAUGE,
      CollectorTelemetry::lastSuccessEpochMs,
      1000.0),
  /** Duration of the latest export attempt, seconds. */
  EXPORT_DURATION(
      "microsandbox.collector.export.duration",
      "s",
      "Duration of the latest export attempt",
      Kind.DOUBLE_GAUGE,
      CollectorTelemetry::lastExportDurationNanos,
      1e9),
  /** Data points exported. */
  POINTS_EXPORTED(
      "microsandbox.collector.points.exported",
      "{point}",
      "Data points exported since start",
      Kind.COUNTER,
      CollectorTelemetry::pointsExported,
      1),
  /** Data points the backend rejected in partial successes. */
  POINTS_REJECTED(
      "microsandbox.collector.points.rejected",
      "{point}",
      "Data points the backend rejected in partial successes since start",
      Kind.COUNTER,
      CollectorTelemetry::pointsRejected,
      1),
  /** Batches dropped because the backend refused them permanently. */
  BATCHES_REJECTED(
      "microsandbox.collector.batches.rejected",
      "{batch}",
      "Batches the backend refused permanently since start",
      Kind.COUNTER,
      CollectorTelemetry::batchesRejected,
      1),
  /** Collections waiting in the exporter's buffer. */
  BUFFER_DEPTH(
      "microsandbox.collector.buffer.depth",
      "{collection}",
      "Collections waiting in the exporter's buffer",
      Kind.LONG_GAUGE,
      CollectorTelemetry::bufferDepth,
      1),
  /** Duration of the latest registry scan, seconds. */
  SCAN_DURATION(
      "microsandbox.collector.scan.duration",
      "s",
      "Duration of the latest registry scan",
      Kind.DOUBLE_GAUGE,
      CollectorTelemetry::lastScanDurationNanos,
      1e9),
  /** Registry slots skipped (torn, stuck mid-write, corrupt). */
  SLOTS_SKIPPED(
      "microsandbox.collector.slots.skipped",
      "{slot}",
      "Registry slots skipped (torn, stuck mid-write, corrupt) since start",
      Kind.COUNTER,
      CollectorTelemetry::slotsSkipped,
      1),
  /** Registry scans skipped as a whole (corrupt, inaccessible, shrank while read). */
  SCANS_SKIPPED(
      "microsandbox.collector.scans.skipped",
      "{scan}",
      "Registry scans skipped as a whole (corrupt, inaccessible, shrank while read) since start",
      Kind.COUNTER,
      CollectorTelemetry::scansSkipped,
      1),
  /** Labels withheld by the collector's label limits. */
  LABELS_DROPPED(
      "microsandbox.collector.labels.dropped",
      "{label}",
      "Labels withheld by the label limits (name or value too long, too many labels) since start",
      Kind.COUNTER,
      CollectorTelemetry::labelsDropped,
      1),
  /** Of the dropped collections, those older than the spool's max age. */
  COLLECTIONS_EXPIRED(
      "microsandbox.collector.collections.expired",
      "{collection}",
      "Collections dropped because they were older than the spool's max age since start"
          + " (included in collections.dropped)",
      Kind.COUNTER,
      CollectorTelemetry::collectionsDroppedForAge,
      1),
  /** Bytes the spool takes on disk (0 without a spool). */
  SPOOL_SIZE(
      "microsandbox.collector.spool.size",
      "By",
      "Bytes the exporter's spool takes on disk (0: no spool)",
      Kind.LONG_GAUGE,
      t -> t.spool().map(s -> s.bytes()).orElse(0L),
      1),
  /** The spool's byte cap (0 without a spool). */
  SPOOL_LIMIT(
      "microsandbox.collector.spool.limit",
      "By",
      "The spool's byte cap; beyond it the oldest collections are dropped (0: no spool)",
      Kind.LONG_GAUGE,
      t -> t.spool().map(s -> s.maxBytes()).orElse(0L),
      1),
  /** Collections held in the spool. */
  SPOOL_COLLECTIONS(
      "microsandbox.collector.spool.collections",
      "{collection}",
      "Collections held in the exporter's spool, waiting for delivery",
      Kind.LONG_GAUGE,
      t -> t.spool().map(s -> s.collections()).orElse(0L),
      1),
  /** Age of the oldest spooled collection, seconds. */
  SPOOL_OLDEST_AGE(
      "microsandbox.collector.spool.oldest_age",
      "s",
      "Age of the oldest collection in the spool (0: empty or no spool)",
      Kind.DOUBLE_GAUGE,
      t -> t.spool().map(s -> s.oldestAgeMs()).orElse(0L),
      1000.0),
  /** Spool records found torn or corrupt and skipped. */
  SPOOL_CORRUPT_RECORDS(
      "microsandbox.collector.spool.corrupt_records",
      "{record}",
      "Spool records found torn or corrupt and skipped since start",
      Kind.COUNTER,
      t -> t.spool().map(s -> s.corruptSkipped()).orElse(0L),
      1),
  /** Spool writes that failed (unwritable directory, full disk). */
  SPOOL_WRITE_ERRORS(
      "microsandbox.collector.spool.write_errors",
      "{error}",
      "Spool writes that failed (unwritable directory, full disk) since start; those collections"
          + " were buffered in memory only",
      Kind.COUNTER,
      t -> t.spool().map(s -> s.writeErrors()).orElse(0L),
      1);

  private static final CollectorSeries[] VALUES = values();

  private final String metricName;
  private final String unit;
  private final String description;
  private final Kind kind;
  private final ToLongFunction<CollectorTelemetry> raw;
  private final double divisor;
  private final String prometheusName;

  CollectorSeries(
      String metricName,
      String unit,
      String description,
      Kind kind,
      ToLongFunction<CollectorTelemetry> raw,
      double divisor) {
    this.metricName = metricName;
    this.unit = unit;
    this.description = description;
    this.kind = kind;
    this.raw = raw;
    this.divisor = divisor;
    this.prometheusName = PrometheusName.of(metricName, unit, kind == Kind.COUNTER);
  }

  /** Every series, in request order; a shared array callers must not modify. */
  public static CollectorSeries[] all() {
    return VALUES;
  }

  /** The OTLP metric name. */
  public String metricName() {
    return metricName;
  }

  /** The UCUM unit. */
  public String unit() {
    return unit;
  }

  /** The metric description. */
  public String description() {
    return description;
  }

  /** The kind of point. */
  public Kind kind() {
    return kind;
  }

  /**
   * The Prometheus name ({@code microsandbox_collector_exports_success_total}, {@code
   * microsandbox_collector_scan_duration_seconds}), by the rule of {@link
   * SandboxSeries#prometheusName()}.
   */
  public String prometheusName() {
    return prometheusName;
  }

  /** As {@link SandboxSeries#prometheusUnit()}: the unit word the Prometheus name ends with. */
  public String prometheusUnit() {
    return PrometheusName.declaredUnit(prometheusName, unit, kind == Kind.COUNTER);
  }

  /** The integer value of a {@link Kind#COUNTER} or {@link Kind#LONG_GAUGE} series. */
  public long longValue(CollectorTelemetry t) {
    return raw.applyAsLong(t);
  }

  /** The value in the series' unit (milliseconds and nanoseconds become seconds). */
  public double doubleValue(CollectorTelemetry t) {
    return raw.applyAsLong(t) / divisor;
  }

  /** How a series' points are typed, in OTLP terms (Prometheus: counter or gauge). */
  public enum Kind {
    /** An integer monotonic cumulative sum from the exporter's start (Prometheus counter). */
    COUNTER,
    /** An integer gauge. */
    LONG_GAUGE,
    /** A floating-point gauge. */
    DOUBLE_GAUGE
  }
}
