package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The collector telemetry series ({@code microsandbox.collector.*}, the README's "Collector
 * telemetry" table), defined once: OTLP name, description, unit, kind and value. Sent in the first
 * request of every flush, in the same scope as the sandbox series, stamped with the export time;
 * counters are cumulative monotonic sums starting when the exporter was created. Order = the order
 * in a request.
 */
public enum CollectorTelemetrySeries {
  /** Counter: successful exports. */
  EXPORTS_SUCCESS(
      "microsandbox.collector.exports.success",
      "Successful exports since start",
      "{export}",
      Kind.COUNTER,
      CollectorTelemetry::exportsSuccess,
      null),
  /** Counter: failed exports. */
  EXPORTS_FAILURE(
      "microsandbox.collector.exports.failure",
      "Failed exports (timeout, transport, non-2xx) since start",
      "{export}",
      Kind.COUNTER,
      CollectorTelemetry::exportsFailure,
      null),
  /** Counter: collections evicted by the buffer cap. */
  COLLECTIONS_DROPPED(
      "microsandbox.collector.collections.dropped",
      "Collections evicted by the buffer cap since start",
      "{collection}",
      Kind.COUNTER,
      CollectorTelemetry::collectionsDropped,
      null),
  /** Gauge, s: Unix time of the last successful export. */
  LAST_SUCCESS_TIMESTAMP(
      "microsandbox.collector.last_success_timestamp",
      "Unix time of the last successful export (0: none yet)",
      "s",
      Kind.DOUBLE_GAUGE,
      null,
      t -> t.lastSuccessEpochMs() / 1000.0),
  /** Gauge, s: duration of the latest export attempt. */
  EXPORT_DURATION(
      "microsandbox.collector.export.duration",
      "Duration of the latest export attempt",
      "s",
      Kind.DOUBLE_GAUGE,
      null,
      t -> t.lastExportDurationNanos() / 1e9),
  /** Counter: data points exported. */
  POINTS_EXPORTED(
      "microsandbox.collector.points.exported",
      "Data points exported since start",
      "{point}",
      Kind.COUNTER,
      CollectorTelemetry::pointsExported,
      null),
  /** Counter: data points the backend rejected in partial successes. */
  POINTS_REJECTED(
      "microsandbox.collector.points.rejected",
      "Data points the backend rejected in partial successes since start",
      "{point}",
      Kind.COUNTER,
      CollectorTelemetry::pointsRejected,
      null),
  /** Counter: batches dropped because the backend refused them permanently. */
  BATCHES_REJECTED(
      "microsandbox.collector.batches.rejected",
      "Batches the backend refused permanently since start",
      "{batch}",
      Kind.COUNTER,
      CollectorTelemetry::batchesRejected,
      null),
  /** Gauge: collections waiting in the exporter's buffer. */
  BUFFER_DEPTH(
      "microsandbox.collector.buffer.depth",
      "Collections waiting in the exporter's buffer",
      "{collection}",
      Kind.LONG_GAUGE,
      CollectorTelemetry::bufferDepth,
      null),
  /** Gauge, s: duration of the latest registry scan. */
  SCAN_DURATION(
      "microsandbox.collector.scan.duration",
      "Duration of the latest registry scan",
      "s",
      Kind.DOUBLE_GAUGE,
      null,
      t -> t.lastScanDurationNanos() / 1e9),
  /** Counter: registry slots skipped (torn, stuck mid-write, corrupt). */
  SLOTS_SKIPPED(
      "microsandbox.collector.slots.skipped",
      "Registry slots skipped (torn, stuck mid-write, corrupt) since start",
      "{slot}",
      Kind.COUNTER,
      CollectorTelemetry::slotsSkipped,
      null);

  private static final CollectorTelemetrySeries[] VALUES = values();

  private final String metricName;
  private final String description;
  private final String unit;
  private final Kind kind;
  private final ToLongFunction<CollectorTelemetry> longValue;
  private final ToDoubleFunction<CollectorTelemetry> doubleValue;

  CollectorTelemetrySeries(
      String metricName,
      String description,
      String unit,
      Kind kind,
      ToLongFunction<CollectorTelemetry> longValue,
      ToDoubleFunction<CollectorTelemetry> doubleValue) {
    this.metricName = metricName;
    this.description = description;
    this.unit = unit;
    this.kind = kind;
    this.longValue = longValue;
    this.doubleValue = doubleValue;
  }

  /** Every series, in request order; a shared array callers must not modify. */
  public static CollectorTelemetrySeries[] all() {
    return VALUES;
  }

  /** The OTLP metric name. */
  public String metricName() {
    return metricName;
  }

  /** The metric description. */
  public String description() {
    return description;
  }

  /** The UCUM unit. */
  public String unit() {
    return unit;
  }

  /** The kind of point. */
  public Kind kind() {
    return kind;
  }

  /** The integer value of a {@link Kind#COUNTER} or {@link Kind#LONG_GAUGE} series. */
  public long longValue(CollectorTelemetry t) {
    return longValue.applyAsLong(t);
  }

  /** The value of a {@link Kind#DOUBLE_GAUGE} series. */
  public double doubleValue(CollectorTelemetry t) {
    return doubleValue.applyAsDouble(t);
  }

  /** How a collector series' points are typed. */
  public enum Kind {
    /** An integer monotonic cumulative sum from the exporter's start. */
    COUNTER,
    /** An integer gauge. */
    LONG_GAUGE,
    /** A floating-point gauge. */
    DOUBLE_GAUGE
  }
}
