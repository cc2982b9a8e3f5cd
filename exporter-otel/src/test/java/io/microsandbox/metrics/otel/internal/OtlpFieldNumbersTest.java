package io.microsandbox.metrics.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every field number the exporter writes equals the one of opentelemetry-proto's generated classes
 * (built from the official {@code .proto} files), so a hand-written constant cannot drift.
 */
class OtlpFieldNumbersTest {
  @Test
  void requestResourceAndScopeFieldsMatchTheOfficialProto() {
    assertThat(OtlpFieldNumbers.ExportMetricsServiceRequest.RESOURCE_METRICS)
        .isEqualTo(
            io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest
                .RESOURCE_METRICS_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.ResourceMetrics.RESOURCE)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.ResourceMetrics.RESOURCE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.ResourceMetrics.SCOPE_METRICS)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Resource.ATTRIBUTES)
        .isEqualTo(io.opentelemetry.proto.resource.v1.Resource.ATTRIBUTES_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.ScopeMetrics.SCOPE)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.ScopeMetrics.SCOPE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.ScopeMetrics.METRICS)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.ScopeMetrics.METRICS_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.InstrumentationScope.NAME)
        .isEqualTo(io.opentelemetry.proto.common.v1.InstrumentationScope.NAME_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.InstrumentationScope.VERSION)
        .isEqualTo(io.opentelemetry.proto.common.v1.InstrumentationScope.VERSION_FIELD_NUMBER);
  }

  @Test
  void metricFieldsMatchTheOfficialProto() {
    assertThat(OtlpFieldNumbers.Metric.NAME)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Metric.NAME_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Metric.DESCRIPTION)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Metric.DESCRIPTION_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Metric.UNIT)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Metric.UNIT_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Metric.GAUGE)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Metric.GAUGE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Metric.SUM)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Metric.SUM_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Gauge.DATA_POINTS)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Gauge.DATA_POINTS_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Sum.DATA_POINTS)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Sum.DATA_POINTS_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Sum.AGGREGATION_TEMPORALITY)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Sum.AGGREGATION_TEMPORALITY_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.Sum.IS_MONOTONIC)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.Sum.IS_MONOTONIC_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.AggregationTemporality.CUMULATIVE)
        .isEqualTo(
            io.opentelemetry.proto.metrics.v1.AggregationTemporality
                .AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE);
  }

  @Test
  void gaugeAndSumShareTheDataPointsNumberThatProtoWriterWritesForBoth() {
    // ProtoWriter.numberPoint writes one tag for the points of either
    assertThat(OtlpFieldNumbers.Gauge.DATA_POINTS).isEqualTo(OtlpFieldNumbers.Sum.DATA_POINTS);
  }

  @Test
  void pointAndAttributeFieldsMatchTheOfficialProto() {
    assertThat(OtlpFieldNumbers.NumberDataPoint.START_TIME_UNIX_NANO)
        .isEqualTo(
            io.opentelemetry.proto.metrics.v1.NumberDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.NumberDataPoint.TIME_UNIX_NANO)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.NumberDataPoint.TIME_UNIX_NANO_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.NumberDataPoint.AS_DOUBLE)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.NumberDataPoint.AS_DOUBLE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.NumberDataPoint.AS_INT)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.NumberDataPoint.AS_INT_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.NumberDataPoint.ATTRIBUTES)
        .isEqualTo(io.opentelemetry.proto.metrics.v1.NumberDataPoint.ATTRIBUTES_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.KeyValue.KEY)
        .isEqualTo(io.opentelemetry.proto.common.v1.KeyValue.KEY_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.KeyValue.VALUE)
        .isEqualTo(io.opentelemetry.proto.common.v1.KeyValue.VALUE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.AnyValue.STRING_VALUE)
        .isEqualTo(io.opentelemetry.proto.common.v1.AnyValue.STRING_VALUE_FIELD_NUMBER);
    assertThat(OtlpFieldNumbers.AnyValue.INT_VALUE)
        .isEqualTo(io.opentelemetry.proto.common.v1.AnyValue.INT_VALUE_FIELD_NUMBER);
  }
}
