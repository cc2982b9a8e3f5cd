package io.microsandbox.metrics.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bridge against a real collector without exporters: sandboxes come and go, close(). */
@Timeout(30)
class MicrosandboxTelemetryTest {
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();

  @Test
  void eachSdkCollectionSeesTheLatestCollectionOnly() throws Exception {
    List<SandboxSnapshot> running = new CopyOnWriteArrayList<>();
    running.add(Samples.sample(1, System.currentTimeMillis()));
    running.add(Samples.sample(2, System.currentTimeMillis()));
    try (SdkMeterProvider provider =
            SdkMeterProvider.builder().registerMetricReader(reader).build();
        RunningCollector collector =
            MetricsCollector.builder()
                .collectInterval(Duration.ofMillis(20))
                .maxSampleAge(Duration.ZERO)
                .source(() -> List.copyOf(running))
                .build()
                .start()) {
      MicrosandboxTelemetry telemetry =
          MicrosandboxTelemetry.builder(
                  OpenTelemetrySdk.builder().setMeterProvider(provider).build(), collector)
              .emitRunId(true)
              .build();
      assertThat(OurThreads.await(() -> collector.latest().isPresent(), 10_000)).isTrue();
      assertThat(uptimePoints()).isEqualTo(2);

      running.remove(1);
      long seen = collector.status().collections();
      assertThat(OurThreads.await(() -> collector.status().collections() > seen + 1, 10_000))
          .isTrue();
      assertThat(uptimePoints()).as("the stopped sandbox is gone").isEqualTo(1);
      MetricData cpu = metric("microsandbox.cpu.time");
      assertThat(cpu.getDoubleSumData().getPoints().iterator().next().getAttributes().asMap())
          .containsKeys(
              io.opentelemetry.api.common.AttributeKey.longKey("sandbox.run_id"),
              io.opentelemetry.api.common.AttributeKey.stringKey("sandbox.name"));

      telemetry.close();
      assertThat(uptimePoints()).as("closed: nothing observed").isZero();
    }
  }

  private long uptimePoints() {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("microsandbox.uptime"))
        .mapToLong(m -> m.getData().getPoints().size())
        .sum();
  }

  private MetricData metric(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
