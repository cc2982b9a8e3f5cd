package io.microsandbox.metrics.otel.internal;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.series.CollectorSeries;
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
 * The collector's own series ({@link CollectorSeries}) as SDK {@link MetricData}, sent in the same
 * request and scope as the sandbox series, stamped with the export time. Counters are cumulative
 * monotonic sums starting when the exporter was created.
 */
public final class TelemetrySeries {
  /** Number of series {@link #encode} returns. */
  public static final int SERIES_COUNT = CollectorSeries.all().length;

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
  public TelemetrySeries(Resource resource, InstrumentationScopeInfo scope, long startEpochNanos) {
    this.resource = resource;
    this.scope = scope;
    this.startEpochNanos = startEpochNanos;
  }

  /** The collector telemetry series of {@code t}, every point at {@code nowEpochNanos}. */
  public List<MetricData> encode(CollectorTelemetry t, long nowEpochNanos) {
    long start = Math.min(startEpochNanos, nowEpochNanos);
    long now = nowEpochNanos;
    List<MetricData> out = new ArrayList<>(SERIES_COUNT);
    for (CollectorSeries c : CollectorSeries.all()) {
      switch (c.kind()) {
        case COUNTER:
          out.add(counter(c.metricName(), c.description(), c.unit(), c.longValue(t), start, now));
          break;
        case LONG_GAUGE:
          out.add(longGauge(c.metricName(), c.description(), c.unit(), c.longValue(t), now));
          break;
        case DOUBLE_GAUGE:
        default:
          out.add(doubleGauge(c.metricName(), c.description(), c.unit(), c.doubleValue(t), now));
          break;
      }
    }
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
