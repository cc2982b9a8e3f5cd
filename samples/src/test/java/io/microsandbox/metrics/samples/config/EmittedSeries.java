package io.microsandbox.metrics.samples.config;

import io.microsandbox.metrics.samples.config.PrometheusNames.Kind;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every OTLP metric and data-point attribute this project emits (the tables of {@code
 * shared/spec/collector.md}, "Metrics (OTLP)" and "Collector self-observability"), and the
 * Prometheus series names they become. The sample dashboard and rules may reference nothing else.
 */
final class EmittedSeries {

  /** One OTLP metric: name, unit and point kind. */
  record Metric(String otelName, String unit, Kind kind) {
    String prometheusName() {
      return PrometheusNames.metricName(otelName, unit, kind);
    }
  }

  /** Per-sandbox metrics. */
  static final List<Metric> SANDBOX =
      List.of(
          new Metric("microsandbox.cpu.utilization", "1", Kind.GAUGE),
          new Metric("microsandbox.memory.usage", "By", Kind.GAUGE),
          new Metric("microsandbox.memory.limit", "By", Kind.GAUGE),
          new Metric("microsandbox.disk.bytes_read", "By", Kind.GAUGE),
          new Metric("microsandbox.disk.bytes_written", "By", Kind.GAUGE),
          new Metric("microsandbox.network.bytes_received", "By", Kind.GAUGE),
          new Metric("microsandbox.network.bytes_sent", "By", Kind.GAUGE),
          new Metric("microsandbox.upper.used", "By", Kind.GAUGE),
          new Metric("microsandbox.upper.free", "By", Kind.GAUGE),
          new Metric("microsandbox.upper.host_allocated", "By", Kind.GAUGE),
          new Metric("microsandbox.uptime", "s", Kind.GAUGE),
          new Metric("microsandbox.cpu.time", "s", Kind.MONOTONIC_SUM),
          new Metric("microsandbox.memory.available", "By", Kind.GAUGE),
          new Metric("microsandbox.memory.host_resident", "By", Kind.GAUGE));

  /** The collector's own series (the four every backend can rely on). */
  static final List<Metric> COLLECTOR =
      List.of(
          new Metric("microsandbox.collector.exports.success", "{export}", Kind.MONOTONIC_SUM),
          new Metric("microsandbox.collector.exports.failure", "{export}", Kind.MONOTONIC_SUM),
          new Metric(
              "microsandbox.collector.collections.dropped", "{collection}", Kind.MONOTONIC_SUM),
          new Metric("microsandbox.collector.last_success_timestamp", "s", Kind.GAUGE));

  /** Data-point attributes of the per-sandbox metrics (catalog labels come on top). */
  static final List<String> SANDBOX_ATTRIBUTES =
      List.of("sandbox.name", "sandbox.id", "sandbox.run_id", "sandbox.pid");

  /** Labels Prometheus derives from the resource: service.name -> job, service.instance.id. */
  static final List<String> RESOURCE_LABELS = List.of("job", "instance");

  private EmittedSeries() {}

  static Set<String> prometheusNames() {
    return Stream.concat(SANDBOX.stream(), COLLECTOR.stream())
        .map(Metric::prometheusName)
        .collect(Collectors.toUnmodifiableSet());
  }

  static Set<String> labelNames() {
    return Stream.concat(
            SANDBOX_ATTRIBUTES.stream().map(PrometheusNames::labelName), RESOURCE_LABELS.stream())
        .collect(Collectors.toUnmodifiableSet());
  }
}
