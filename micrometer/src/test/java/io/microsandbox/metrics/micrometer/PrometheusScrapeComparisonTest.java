package io.microsandbox.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.testing.FixtureCollections;
import io.microsandbox.metrics.collector.testing.StubCollector;
import io.microsandbox.metrics.micrometer.testing.TextExposition;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For one collection, Micrometer's {@code PrometheusMeterRegistry} scrape and the project's own
 * exposition ({@link PrometheusExporter}) hold the same series, labels and values. The differences,
 * each stated in docs/integrations.md and asserted here:
 *
 * <ul>
 *   <li>the telemetry meters carry {@code exporter} (Micrometer publishes every exporter's
 *       pipeline; the exposition only its own);
 *   <li>a sandbox without a catalog label another sandbox has carries it empty (one set of tag keys
 *       per name); Prometheus reads an empty label as absent;
 *   <li>{@code target_info} is the exposition's alone (the application's registry has its own
 *       resource, if any).
 * </ul>
 */
class PrometheusScrapeComparisonTest {

  @ParameterizedTest(name = "run id and pid: {0}")
  @ValueSource(booleans = {false, true})
  void theScrapeHoldsTheSameSeriesLabelsAndValuesAsTheProjectsExposition(boolean identity) {
    SnapshotCollection c = FixtureCollections.rich();
    CollectorTelemetry t = FixtureCollections.telemetry();

    PrometheusExporter exporter =
        PrometheusExporter.builder().emitRunId(identity).emitPid(identity).build();
    exporter.export(new ExportBatch(List.of(c), 0, t));
    String own = new String(exporter.scrape(null).body(), StandardCharsets.UTF_8);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StubCollector collector = new StubCollector().collected(c).telemetry(Map.of("prometheus", t));
    try (MicrosandboxMetrics metrics =
        MicrosandboxMetrics.builder(collector).emitRunId(identity).emitPid(identity).build()) {
      metrics.bindTo(registry);
      String scraped = registry.scrape();

      TextExposition expected = TextExposition.parse(own, Set.of());
      TextExposition actual = TextExposition.parse(scraped, Set.of("exporter"));

      assertThat(actual.samples())
          .as("every series, label and value; scrape:%n%s%nown:%n%s", scraped, own)
          .containsExactlyInAnyOrderElementsOf(withoutTargetInfo(expected.samples()));
      assertThat(actual.types()).isEqualTo(withoutTargetInfo(expected.types()));
      assertThat(actual.helps()).isEqualTo(withoutTargetInfo(expected.helps()));

      // the differences, as documented
      assertThat(expected.types()).containsKey("target_info");
      assertThat(scraped)
          .contains("microsandbox_collector_exports_success_total{exporter=\"prometheus\"} 12.0");
      assertThat(scraped)
          .as("sandbox 2 has no team label")
          .containsPattern("microsandbox_memory_usage_bytes\\{[^}]*sandbox_id=\"2\"[^}]*team=\"\"");
    }
  }

  @Test
  void everySeriesOfTheCatalogueIsScrapedUnderItsPrometheusName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StubCollector collector =
        new StubCollector()
            .collected(FixtureCollections.rich())
            .telemetry(Map.of("otlp", FixtureCollections.telemetry()));
    try (MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(registry);
      Set<String> names =
          TextExposition.parse(registry.scrape(), Set.of()).samples().stream()
              .map(s -> s.substring(0, s.indexOf('{')))
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> expected = new TreeSet<>();
      for (SandboxSeries s : SandboxSeries.all()) {
        expected.add(s.prometheusName());
      }
      for (CollectorSeries s : CollectorSeries.all()) {
        expected.add(s.prometheusName());
      }
      assertThat(names).isEqualTo(expected);
    }
  }

  private static Set<String> withoutTargetInfo(Set<String> samples) {
    return samples.stream()
        .filter(s -> !s.startsWith("target_info"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> withoutTargetInfo(Map<String, String> byFamily) {
    Map<String, String> out = new TreeMap<>(byFamily);
    out.remove("target_info");
    out.remove("target");
    return out;
  }
}
