package io.microsandbox.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SandboxMetadata;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 point 9: catalog label keys that Prometheus reserves ({@code le}, {@code quantile},
 * {@code job}, {@code instance}, {@code __*}) reach the scrape renamed ({@code exported_le}), and
 * {@code promtool check metrics} accepts the scrape (it failed on {@code le} and {@code quantile}).
 */
@Timeout(60)
class ReservedLabelsPromtoolTest {
  @TempDir Path tmp;

  @Test
  void reservedLabelKeysAreRenamedAndPromtoolAcceptsTheScrape() throws Exception {
    Map<String, String> labels = new TreeMap<>();
    labels.put("le", "0.5");
    labels.put("quantile", "0.99");
    labels.put("job", "billing");
    labels.put("instance", "i-1");
    labels.put("__name__", "spoof");
    labels.put("team", "infra");
    SandboxMetadata metadata = new SandboxMetadata(labels, Allocation.UNKNOWN);
    PrometheusExporter prometheus = PrometheusExporter.builder().build();
    String text;
    try (RunningCollector running =
        MetricsCollector.builder()
            .collectInterval(Duration.ofMillis(20))
            .maxSampleAge(Duration.ZERO)
            .source(() -> List.<SandboxSnapshot>of(Samples.sample(7, System.currentTimeMillis())))
            .metadataSource(snapshots -> Map.of(7, metadata))
            .register(prometheus, PrometheusExporter.exporterConfig())
            .build()
            .start()) {
      assertThat(OurThreads.await(prometheus::hasCollection, 10_000)).isTrue();
      text = new String(prometheus.scrape(null).body(), StandardCharsets.UTF_8);
    }
    String line =
        text.lines()
            .filter(l -> l.startsWith("microsandbox_memory_usage_bytes{"))
            .findFirst()
            .orElseThrow();
    assertThat(line)
        .contains("exported_le=\"0.5\"")
        .contains("exported_quantile=\"0.99\"")
        .contains("exported_job=\"billing\"")
        .contains("exported_instance=\"i-1\"")
        .contains("exported___name__=\"spoof\"")
        .contains("team=\"infra\"")
        .doesNotContain(",le=")
        .doesNotContain("{le=")
        .doesNotContain(",job=")
        .doesNotContain(",instance=");

    Optional<Path> promtool = onPath("promtool");
    if (promtool.isEmpty()) {
      System.err.println("promtool not installed (apt-get install prometheus): check skipped");
      return;
    }
    Path file = tmp.resolve("scrape.txt");
    Files.writeString(file, text);
    Process p =
        new ProcessBuilder(promtool.get().toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
  }

  private static Optional<Path> onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
