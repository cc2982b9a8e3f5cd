package io.microsandbox.metrics.samples.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.prometheus.PrometheusExporter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus scrape of msb-metrics carries exactly the series OTLP delivers after Prometheus's
 * translation, under the same names and labels, so the dashboard and the rules work unchanged
 * whether the data is scraped or pushed.
 */
class ScrapedSeriesTest {
  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})? ");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  @Test
  void theScrapeHasEveryOtlpSeriesUnderItsPrometheusNameWithTheSameLabels() {
    PrometheusExporter exporter =
        PrometheusExporter.builder().emitRunId(true).emitPid(true).build();
    exporter.export(EmittedSeries.oneBatch());
    String text = new String(exporter.scrape(null).body(), StandardCharsets.UTF_8);

    Set<String> names = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
    }
    names.remove("target_info");
    assertThat(names).isEqualTo(EmittedSeries.prometheusNames());
    // job and instance come from the scrape configuration; the catalog label is the batch's own
    Set<String> expected = new HashSet<>(EmittedSeries.labelNames());
    expected.removeAll(Set.of("job", "instance"));
    labels.removeAll(Set.of("team", "service_name"));
    assertThat(labels).isEqualTo(expected);
  }
}
