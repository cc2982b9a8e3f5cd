package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.samples.config.PrometheusNames.Kind;
import org.junit.jupiter.api.Test;

/** The OTLP-to-Prometheus naming the dashboard relies on, on this project's own metrics. */
class PrometheusNamesTest {

  @Test
  void unitWordIsAppendedUnlessTheNameAlreadyHasIt() {
    assertThat(PrometheusNames.metricName("microsandbox.memory.usage", "By", Kind.GAUGE))
        .isEqualTo("microsandbox_memory_usage_bytes");
    // "bytes" is already a token of bytes_read: no second suffix
    assertThat(PrometheusNames.metricName("microsandbox.disk.bytes_read", "By", Kind.GAUGE))
        .isEqualTo("microsandbox_disk_bytes_read");
    assertThat(PrometheusNames.metricName("microsandbox.uptime", "s", Kind.GAUGE))
        .isEqualTo("microsandbox_uptime_seconds");
  }

  @Test
  void dimensionlessGaugesBecomeRatiosAndCountersTotals() {
    assertThat(PrometheusNames.metricName("microsandbox.cpu.utilization", "1", Kind.GAUGE))
        .isEqualTo("microsandbox_cpu_utilization_ratio");
    assertThat(PrometheusNames.metricName("microsandbox.cpu.time", "s", Kind.MONOTONIC_SUM))
        .isEqualTo("microsandbox_cpu_time_seconds_total");
    assertThat(
            PrometheusNames.metricName(
                "microsandbox.collector.exports.success", "{export}", Kind.MONOTONIC_SUM))
        .isEqualTo("microsandbox_collector_exports_success_total");
    assertThat(PrometheusNames.metricName("queue.depth", "1", Kind.NON_MONOTONIC_SUM))
        .isEqualTo("queue_depth");
  }

  @Test
  void attributeKeysBecomeLabelNames() {
    assertThat(PrometheusNames.labelName("sandbox.run_id")).isEqualTo("sandbox_run_id");
  }
}
