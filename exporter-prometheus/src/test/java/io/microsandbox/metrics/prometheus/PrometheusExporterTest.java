package io.microsandbox.metrics.prometheus;

import static io.microsandbox.metrics.prometheus.ExpositionTextTest.SAMPLED_AT;
import static io.microsandbox.metrics.prometheus.ExpositionTextTest.batch;
import static io.microsandbox.metrics.prometheus.ExpositionTextTest.sandboxes;
import static io.microsandbox.metrics.prometheus.ExpositionTextTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.SandboxSeries;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Scrape behaviour: stopped sandboxes, label sanitising, negotiation, timestamps, start. */
class PrometheusExporterTest {

  @Test
  void aStoppedSandboxIsGoneFromTheNextScrape() {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));
    assertThat(text(e, null)).contains("sandbox_name=\"devbox\"");

    e.export(batch(List.of(sandboxes().get(1)))); // devbox stopped
    String next = text(e, null);
    assertThat(next).doesNotContain("devbox").contains("sandbox_name=\"worker \\\"b\\\"\"");

    e.export(batch(List.of())); // none left: no sandbox family at all, telemetry stays
    String empty = text(e, null);
    for (SandboxSeries s : SandboxSeries.all()) {
      assertThat(empty).doesNotContain(s.prometheusName());
    }
    assertThat(empty).contains("microsandbox_collector_exports_success_total 41.0");
  }

  @Test
  void catalogLabelsAreSanitisedMergedOnCollisionAndNeverOverrideIdentity() {
    Map<String, String> labels = new TreeMap<>();
    labels.put("app.kubernetes.io/name", "web");
    labels.put("2fa", "on");
    labels.put("__meta", "m");
    labels.put("team.a", "x");
    labels.put("team/a", "y");
    labels.put("sandbox.name", "spoofed");
    labels.put("sandbox_id", "99");
    labels.put("ünïcode", "u");
    SandboxSnapshot devbox = sandboxes().get(0);
    ExportBatch b =
        new ExportBatch(
            List.of(new SnapshotCollection(SAMPLED_AT, List.of(devbox), Map.of(7, labels))),
            0,
            CollectorTelemetry.EMPTY);
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(b);

    String line = line(text(e, null), "microsandbox_memory_usage_bytes{");
    assertThat(line)
        .isEqualTo(
            "microsandbox_memory_usage_bytes{app_kubernetes_io_name=\"web\",key_2fa=\"on\","
                + "key__meta=\"m\",key_n_code=\"u\",sandbox_id=\"7\",sandbox_name=\"devbox\","
                + "team_a=\"x;y\"} 2.68435456E8");
  }

  @Test
  void runIdPidAndSampleTimestampsAreOptIn() {
    PrometheusExporter plain = PrometheusExporter.builder().build();
    plain.export(batch(sandboxes()));
    assertThat(text(plain, null))
        .doesNotContain("sandbox_run_id")
        .doesNotContain("sandbox_pid")
        .doesNotContain(Long.toString(SAMPLED_AT));

    PrometheusExporter all =
        PrometheusExporter.builder().emitRunId(true).emitPid(true).sampleTimestamps(true).build();
    all.export(batch(sandboxes()));
    String text = text(all, null);
    assertThat(line(text, "microsandbox_uptime_seconds{sandbox_id=\"8\""))
        .isEqualTo(
            "microsandbox_uptime_seconds{sandbox_id=\"8\",sandbox_name=\"worker \\\"b\\\"\","
                + "sandbox_pid=\"4343\",sandbox_run_id=\"1\"} 2.0 "
                + SAMPLED_AT);
    // the exporter's own series are scrape-time values: never stamped
    assertThat(line(text, "microsandbox_collector_exports_success_total"))
        .isEqualTo("microsandbox_collector_exports_success_total 41.0");
  }

  @Test
  void contentIsNegotiatedFromTheAcceptHeader() {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));

    assertThat(e.scrape(null).contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(e.scrape("text/plain").contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(e.scrape("*/*").contentType()).startsWith("text/plain; version=0.0.4");

    // what Prometheus 2.x sends by default
    Scrape om =
        e.scrape(
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    assertThat(om.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(new String(om.body(), StandardCharsets.UTF_8))
        .contains("# UNIT microsandbox_memory_usage_bytes bytes")
        .endsWith("# EOF\n");

    Scrape pb =
        e.scrape(
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3");
    assertThat(pb.contentType())
        .startsWith("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily");
    assertThat(new String(pb.body(), StandardCharsets.ISO_8859_1))
        .contains("microsandbox_memory_usage_bytes")
        .doesNotContain("# TYPE");
  }

  @Test
  void scrapesOfOneCollectionInOneFormatShareOneEncoding() {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));

    Scrape first = e.scrape("text/plain");
    assertThat(e.scrape("text/plain;version=0.0.4").body()).isSameAs(first.body());
    Scrape om = e.scrape("application/openmetrics-text;version=1.0.0");
    assertThat(om.body()).isNotSameAs(first.body());

    e.export(batch(sandboxes()));
    assertThat(e.scrape("text/plain").body())
        .as("a new collection is encoded again")
        .isNotSameAs(first.body());
  }

  @Test
  void acceptQualityValuesDecideTheFormat() {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));

    // ranked below text: text, although OpenMetrics is named first
    assertThat(
            e.scrape("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4")
                .contentType())
        .startsWith("text/plain; version=0.0.4");
    // refused outright with q=0
    assertThat(
            e.scrape(
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                        + "encoding=delimited;q=0,text/plain;q=0.1")
                .contentType())
        .startsWith("text/plain; version=0.0.4");
    assertThat(e.scrape("application/openmetrics-text;q=0, */*").contentType())
        .startsWith("text/plain; version=0.0.4");
    // ranked above text: OpenMetrics, although named last
    assertThat(
            e.scrape("text/plain;q=0.2, application/openmetrics-text;version=1.0.0;q=0.9")
                .contentType())
        .startsWith("application/openmetrics-text; version=1.0.0");
  }

  @Test
  void beforeTheFirstCollectionOnlyTargetInfoIsServed() {
    PrometheusExporter e =
        PrometheusExporter.builder().resourceAttribute("deployment.environment", "prod").build();
    assertThat(e.hasCollection()).isFalse();
    assertThat(text(e, null))
        .isEqualTo(
            "# HELP target_info Target metadata\n"
                + "# TYPE target_info gauge\n"
                + "target_info{deployment_environment=\"prod\",service_name=\"microsandbox\"} 1\n");
    e.export(batch(sandboxes()));
    assertThat(e.hasCollection()).isTrue();
  }

  @Test
  void theExposedCountIsEverySampleLine() {
    PrometheusExporter e = PrometheusExporter.builder().build();
    long points = e.export(batch(sandboxes())).exportedPoints();
    long lines = text(e, null).lines().filter(l -> l.startsWith("microsandbox_")).count();
    assertThat(points).isEqualTo(lines);
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
