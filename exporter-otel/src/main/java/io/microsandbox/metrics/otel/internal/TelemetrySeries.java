package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link CollectorTelemetry} series ({@code microsandbox.collector.*}, the README's "Collector
 * telemetry" table), sent in the same request and scope as the sandbox series, stamped with the
 * export time. Counters are cumulative
 * monotonic sums starting when the exporter was created.
 */
public final class TelemetrySeries {
  /** Number of series {@link #encode} returns. */
  public static final int SERIES_COUNT = 11;

  /** Counter: successful exports. */
  public static final String EXPORTS_SUCCESS = "microsandbox.collector.exports.success";

  /** Counter: failed exports. */
  public static final String EXPORTS_FAILURE = "microsandbox.collector.exports.failure";

  /** Counter: collections evicted by the buffer cap. */
  public static final String COLLECTIONS_DROPPED = "microsandbox.collector.collections.dropped";

  /** Gauge, s: Unix time of the last successful export. */
  public static final String LAST_SUCCESS_TIMESTAMP =
      "microsandbox.collector.last_success_timestamp";

  /** Gauge, s: duration of the latest export attempt. */
  public static final String EXPORT_DURATION = "microsandbox.collector.export.duration";

  /** Counter: data points exported. */
  public static final String POINTS_EXPORTED = "microsandbox.collector.points.exported";

  /** Counter: data points the backend rejected in partial successes. */
  public static final String POINTS_REJECTED = "microsandbox.collector.points.rejected";

  /** Counter: batches dropped because the backend refused them permanently. */
  public static final String BATCHES_REJECTED = "microsandbox.collector.batches.rejected";

  /** Gauge: collections waiting in the exporter's buffer. */
  public static final String BUFFER_DEPTH = "microsandbox.collector.buffer.depth";

  /** Gauge, s: duration of the latest registry scan. */
  public static final String SCAN_DURATION = "microsandbox.collector.scan.duration";

  /** Counter: registry slots skipped (torn, stuck mid-write, corrupt). */
  public static final String SLOTS_SKIPPED = "microsandbox.collector.slots.skipped";

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final long startEpochNanos;

  /**
   * Creates the encoder of the collector telemetry series.
   *
   * @param resource the resource of every metric
   * @param scope the scope of every metric
   * @param startEpochNanos start time of the counters (when the exporter was created)
   */
  public TelemetrySeries(
      Resource resource, InstrumentationScopeInfo scope, long startEpochNanos) {
    this.resource = resource;
    this.scope = scope;
    this.startEpochNanos = startEpochNanos;
  }

  /** The collector telemetry series of {@code t}, every point at {@code nowEpochNanos}. */
  public List<MetricData> encode(CollectorTelemetry t, long nowEpochNanos) {
    long start = Math.min(startEpochNanos, nowEpochNanos);
    long now = nowEpochNanos;
    List<MetricData> out = new ArrayList<>(SERIES_COUNT);
    out.add(
        counter(
            EXPORTS_SUCCESS,
            "Successful exports since start",
            "{export}",
            t.exportsSuccess(),
            start,
            now));
    out.add(
        counter(
            EXPORTS_FAILURE,
            "Failed exports (timeout, transport, non-2xx) since start",
            "{export}",
            t.exportsFailure(),
            start,
            now));
    out.add(
        counter(
            COLLECTIONS_DROPPED,
            "Collections evicted by the buffer cap since start",
            "{collection}",
            t.collectionsDropped(),
            start,
            now));
    out.add(
        doubleGauge(
            LAST_SUCCESS_TIMESTAMP,
            "Unix time of the last successful export (0: none yet)",
            "s",
            t.lastSuccessEpochMs() / 1000.0,
            now));
    out.add(
        doubleGauge(
            EXPORT_DURATION,
            "Duration of the latest export attempt",
            "s",
            t.lastExportDurationNanos() / 1e9,
            now));
    out.add(
        counter(
            POINTS_EXPORTED,
            "Data points exported since start",
            "{point}",
            t.pointsExported(),
            start,
            now));
    out.add(
        counter(
            POINTS_REJECTED,
            "Data points the backend rejected in partial successes since start",
            "{point}",
            t.pointsRejected(),
            start,
            now));
    out.add(
        counter(
            BATCHES_REJECTED,
            "Batches the backend refused permanently since start",
            "{batch}",
            t.batchesRejected(),
            start,
            now));
    out.add(
        longGauge(
            BUFFER_DEPTH,
            "Collections waiting in the exporter's buffer",
            "{collection}",
            t.bufferDepth(),
            now));
    out.add(
        doubleGauge(
            SCAN_DURATION,
            "Duration of the latest registry scan",
            "s",
            t.lastScanDurationNanos() / 1e9,
            now));
    out.add(
        counter(
            SLOTS_SKIPPED,
            "Registry slots skipped (torn, stuck mid-write, corrupt) since start",
            "{slot}",
            t.slotsSkipped(),
            start,
            now));
    return out;
  }

  private MetricData counter(
      String name, String description, String unit, long value, long start, long now) {
    LongPointData p = LongPointData.create(start, now, Attributes.empty(), value);
    return metric(
        name,
        description,
        unit,
        MetricDataType.LONG_SUM,
        SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, List.of(p)));
  }

  private MetricData longGauge(String name, String description, String unit, long value, long now) {
    LongPointData p = LongPointData.create(now, now, Attributes.empty(), value);
    return metric(
        name,
        description,
        unit,
        MetricDataType.LONG_GAUGE,
        GaugeData.createLongGaugeData(List.of(p)));
  }

  private MetricData doubleGauge(
      String name, String description, String unit, double value, long now) {
    DoublePointData p = DoublePointData.create(now, now, Attributes.empty(), value, List.of());
    return metric(
        name,
        description,
        unit,
        MetricDataType.DOUBLE_GAUGE,
        GaugeData.createDoubleGaugeData(List.of(p)));
  }

  private MetricData metric(
      String name, String description, String unit, MetricDataType type, Data<?> data) {
    return new OtlpMetricData(resource, scope, name, description, unit, type, data);
  }
}
