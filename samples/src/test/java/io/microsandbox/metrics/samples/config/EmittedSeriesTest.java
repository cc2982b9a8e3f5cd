package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The observed series include every series of the README's tables ("Metrics" and "Collector
 * telemetry"), under the Prometheus names the samples use. Guards the derivation itself: an export
 * that silently emitted nothing would make every "subset of" check in the config tests pass
 * vacuously.
 */
class EmittedSeriesTest {

  /** The README's tables, under the Prometheus names the samples use. */
  static final List<String> SPEC_SERIES =
      List.of(
          "microsandbox_cpu_utilization_ratio",
          "microsandbox_memory_usage_bytes",
          "microsandbox_memory_limit_bytes",
          "microsandbox_disk_bytes_read",
          "microsandbox_disk_bytes_written",
          "microsandbox_network_bytes_received",
          "microsandbox_network_bytes_sent",
          "microsandbox_upper_used_bytes",
          "microsandbox_upper_free_bytes",
          "microsandbox_upper_host_allocated_bytes",
          "microsandbox_uptime_seconds",
          "microsandbox_cpu_time_seconds_total",
          "microsandbox_memory_available_bytes",
          "microsandbox_memory_host_resident_bytes",
          "microsandbox_cpu_limit",
          "microsandbox_collector_exports_success_total",
          "microsandbox_collector_exports_failure_total",
          "microsandbox_collector_collections_dropped_total",
          "microsandbox_collector_last_success_timestamp_seconds");

  @Test
  void includesEverySeriesOfTheSpecTables() {
    assertThat(EmittedSeries.prometheusNames()).containsAll(SPEC_SERIES);
  }

  @Test
  void includesTheCountersOfSkippedScansAndDroppedLabels() {
    assertThat(EmittedSeries.prometheusNames())
        .contains(
            "microsandbox_collector_scans_skipped_total",
            "microsandbox_collector_labels_dropped_total");
  }

  /**
   * The README and the documents under docs/ (the metric tables and PromQL are in docs/metrics.md)
   * name only what is emitted, in both spellings. The benchmark history is left out: it may quote
   * what an older build measured.
   */
  @Test
  void theDocumentationNamesOnlyEmittedSeries() throws Exception {
    String readme = Documentation.text(SampleConfigs.repositoryRoot());
    Set<String> otlp = new TreeSet<>();
    // not a property: the Spring Boot starter's microsandbox.metrics.*, Actuator's
    // management.health.microsandbox.enabled
    Matcher dotted =
        Pattern.compile("(?<![.\\w])microsandbox\\.(?!metrics\\.)[a-z_.]*[a-z_]").matcher(readme);
    while (dotted.find()) {
      otlp.add(dotted.group());
    }
    Set<String> prometheus = new TreeSet<>();
    Matcher underscored = Pattern.compile("\\bmicrosandbox_[a-z_]*[a-z]").matcher(readme);
    while (underscored.find()) {
      prometheus.add(underscored.group());
    }
    Set<String> emittedOtlp = new TreeSet<>();
    EmittedSeries.metrics().forEach(m -> emittedOtlp.add(m.otelName()));
    assertThat(otlp).hasSizeGreaterThan(20).isSubsetOf(emittedOtlp);
    assertThat(prometheus).hasSizeGreaterThan(20).isSubsetOf(EmittedSeries.prometheusNames());
  }

  @Test
  void identityAttributesBecomeLabels() {
    assertThat(EmittedSeries.labelNames())
        .contains("sandbox_name", "sandbox_id", "sandbox_run_id", "sandbox_pid", "job", "instance")
        .doesNotContain("team");
  }
}
