package io.microsandbox.metrics.series;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import java.util.function.ToLongFunction;

/**
 * The collector telemetry series ({@code microsandbox.collector.*}, the README's "Collector
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
  /** Collections evicted by the buffer cap. */
  COLLECTIONS_DROPPED(
      "microsandbox.collector.collections.dropped",
      "{collection}",
      "Collections evicted by the buffer cap since start",
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
