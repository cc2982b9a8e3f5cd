package io.microsandbox.metrics.otel.internal;

/**
 * The protobuf field numbers of the OTLP metrics messages the exporter writes, one nested class per
 * message, named as in opentelemetry-proto's {@code .proto} files ({@code
 * opentelemetry/proto/collector/metrics/v1/metrics_service.proto}, {@code
 * metrics/v1/metrics.proto}, {@code common/v1/common.proto}, {@code resource/v1/resource.proto}).
 *
 * <p>Written once here, not generated, so that the sidecar ships no protobuf runtime; {@code
 * OtlpFieldNumbersTest} checks every constant against the official generated classes.
 */
final class OtlpFieldNumbers {
  private OtlpFieldNumbers() {}

  /** {@code ExportMetricsServiceRequest}. */
  static final class ExportMetricsServiceRequest {
    static final int RESOURCE_METRICS = 1;

    private ExportMetricsServiceRequest() {}
  }

  /** {@code ResourceMetrics}. */
  static final class ResourceMetrics {
    static final int RESOURCE = 1;
    static final int SCOPE_METRICS = 2;

    private ResourceMetrics() {}
  }

  /** {@code Resource}. */
  static final class Resource {
    static final int ATTRIBUTES = 1;

    private Resource() {}
  }

  /** {@code ScopeMetrics}. */
  static final class ScopeMetrics {
    static final int SCOPE = 1;
    static final int METRICS = 2;

    private ScopeMetrics() {}
  }

  /** {@code InstrumentationScope}. */
  static final class InstrumentationScope {
    static final int NAME = 1;
    static final int VERSION = 2;

    private InstrumentationScope() {}
  }

  /** {@code Metric}. */
  static final class Metric {
    static final int NAME = 1;
    static final int DESCRIPTION = 2;
    static final int UNIT = 3;
    static final int GAUGE = 5;
    static final int SUM = 7;

    private Metric() {}
  }

  /** {@code Gauge}. */
  static final class Gauge {
    static final int DATA_POINTS = 1;

    private Gauge() {}
  }

  /** {@code Sum}. */
  static final class Sum {
    static final int DATA_POINTS = 1;
    static final int AGGREGATION_TEMPORALITY = 2;
    static final int IS_MONOTONIC = 3;

    private Sum() {}
  }

  /** {@code AggregationTemporality} (an enum: values, not field numbers). */
  static final class AggregationTemporality {
    static final int CUMULATIVE = 2;

    private AggregationTemporality() {}
  }

  /** {@code NumberDataPoint}. */
  static final class NumberDataPoint {
    static final int START_TIME_UNIX_NANO = 2;
    static final int TIME_UNIX_NANO = 3;
    static final int AS_DOUBLE = 4;
    static final int AS_INT = 6;
    static final int ATTRIBUTES = 7;

    private NumberDataPoint() {}
  }

  /** {@code KeyValue}. */
  static final class KeyValue {
    static final int KEY = 1;
    static final int VALUE = 2;

    private KeyValue() {}
  }

  /** {@code AnyValue}. */
  static final class AnyValue {
    static final int STRING_VALUE = 1;
    static final int INT_VALUE = 3;

    private AnyValue() {}
  }
}
