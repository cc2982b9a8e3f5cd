package io.microsandbox.metrics.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.ExporterConfig;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.micrometer.MicrosandboxMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The auto-configuration in an {@link ApplicationContextRunner}. */
@Timeout(60)
class MicrosandboxMetricsAutoConfigurationTest {
  @TempDir Path home;

  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseBlockedSources() {
    release.countDown();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MicrosandboxMetricsAutoConfiguration.class))
        .withPropertyValues("microsandbox.metrics.home=" + home);
  }

  /** Plugs a source of two sandboxes read every 20 ms. */
  private static MicrosandboxCollectorCustomizer twoSandboxes() {
    SnapshotSource source =
        () -> {
          long now = System.currentTimeMillis();
          return List.of(Samples.sample(1, now), Samples.sample(2, now));
        };
    return b -> b.source(source).maxSampleAge(Duration.ZERO);
  }

  @Test
  void aStartedCollectorWithTheCatalogTheBinderAndTheHealthIndicator() {
    runner()
        .withPropertyValues("microsandbox.metrics.collect-interval=250ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(MetricsCollector.class);
              assertThat(context).hasSingleBean(RunningCollector.class);
              assertThat(context).hasSingleBean(MicrosandboxCollectorLifecycle.class);
              assertThat(context).hasSingleBean(MicrosandboxMetrics.class);
              assertThat(context).hasBean("microsandboxHealthIndicator");
              RunningCollector running = context.getBean(RunningCollector.class);
              assertThat(running.status().collectInterval()).isEqualTo(Duration.ofMillis(250));
              assertThat(running.status().labels()).as("the catalog is attached").isTrue();
              assertThat(running.status().registry().orElseThrow().exists())
                  .as("no microsandbox in this home")
                  .isFalse();
              assertThat(running.exporterNames()).as("no OTLP endpoint, no exporter").isEmpty();
            });
  }

  @Test
  void offWhenDisabled() {
    runner()
        .withPropertyValues("microsandbox.metrics.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RunningCollector.class);
              assertThat(context).doesNotHaveBean(MetricsCollector.class);
              assertThat(context).doesNotHaveBean(MicrosandboxMetrics.class);
            });
  }

  @Test
  void theCatalogCanBeSwitchedOff() {
    runner()
        .withPropertyValues("microsandbox.metrics.catalog.enabled=false")
        .run(
            context ->
                assertThat(context.getBean(RunningCollector.class).status().labels()).isFalse());
  }

  @Test
  void everyBeanBacksOffForTheApplicationsOwn() {
    MetricsCollector own = MetricsCollector.builder().source(List::of).build();
    runner()
        .withBean(MetricsCollector.class, () -> own)
        .withBean(
            "microsandboxHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
        .run(
            context -> {
              assertThat(context.getBean(MetricsCollector.class)).isSameAs(own);
              assertThat(context.getBean("microsandboxHealthIndicator"))
                  .isNotInstanceOf(MicrosandboxHealthIndicator.class);
              assertThat(context.getBean(RunningCollector.class).status().registry())
                  .as("the application's collector, with its own source")
                  .isEmpty();
            });
  }

  @Test
  void anOtlpEndpointRegistersTheOtlpExporter() {
    runner()
        .withPropertyValues(
            "microsandbox.metrics.otlp.endpoint=http://127.0.0.1:4318/v1/metrics",
            "microsandbox.metrics.otlp.protocol=http/protobuf",
            "microsandbox.metrics.otlp.headers.authorization=Bearer secret")
        .run(
            context ->
                assertThat(context.getBean(RunningCollector.class).exporterNames())
                    .containsExactly("otlp"));
  }

  @Test
  void aBadProtocolStopsTheStartNamingTheProperty() {
    runner()
        .withPropertyValues(
            "microsandbox.metrics.otlp.endpoint=http://127.0.0.1:4317",
            "microsandbox.metrics.otlp.protocol=thrift")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOfSatisfying(
                        InvalidSettingException.class,
                        e ->
                            assertThat(e.setting())
                                .isEqualTo("microsandbox.metrics.otlp.protocol")));
  }

  @Test
  void theBinderIsBoundToTheApplicationsMeterRegistry() {
    runner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(
            MicrosandboxCollectorCustomizer.class,
            MicrosandboxMetricsAutoConfigurationTest::twoSandboxes)
        .withPropertyValues("microsandbox.metrics.collect-interval=20ms")
        .run(
            context -> {
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      OurThreads.await(
                          () -> registry.find("microsandbox.uptime").gauges().size() == 2, 20_000))
                  .isTrue();
            });
  }

  @Test
  void aBackendOutageIsUpWithDetailsAndAStuckLoopIsDown() {
    RecordingExporter down =
        new RecordingExporter("otlp")
            .thenReturn(ExportResult.retryable("connection refused: 127.0.0.1:4317"));
    runner()
        .withBean(
            MicrosandboxCollectorCustomizer.class,
            MicrosandboxMetricsAutoConfigurationTest::twoSandboxes)
        .withBean(
            "failingBackend",
            MicrosandboxCollectorCustomizer.class,
            () ->
                b ->
                    b.register(
                        down, ExporterConfig.builder().flushInterval(Duration.ofHours(1)).build()))
        .withPropertyValues("microsandbox.metrics.collect-interval=20ms")
        .run(
            context -> {
              RunningCollector running = context.getBean(RunningCollector.class);
              assertThat(OurThreads.await(() -> running.status().collections() > 0, 20_000))
                  .isTrue();
              running.flush().join();
              Health health = context.getBean(MicrosandboxHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsEntry("sandboxes", 2);
              @SuppressWarnings("unchecked")
              Map<String, Map<String, Object>> exporters =
                  (Map<String, Map<String, Object>>) health.getDetails().get("exporters");
              assertThat(exporters.get("otlp"))
                  .containsEntry("healthy", false)
                  .containsEntry("lastError", "connection refused: 127.0.0.1:4317");
            });

    CountDownLatch stuck = new CountDownLatch(1);
    runner()
        .withBean(
            MicrosandboxCollectorCustomizer.class,
            () ->
                b ->
                    b.source(
                        () -> {
                          stuck.countDown();
                          release.await(); // a registry read that never returns
                          return List.of();
                        }))
        .withPropertyValues(
            "microsandbox.metrics.collect-interval=20ms",
            "microsandbox.metrics.health.unhealthy-after=200ms")
        .run(
            context -> {
              MicrosandboxHealthIndicator indicator =
                  context.getBean(MicrosandboxHealthIndicator.class);
              assertThat(
                      OurThreads.await(
                          () -> indicator.health().getStatus().equals(Status.DOWN), 20_000))
                  .isTrue();
              assertThat(indicator.health().getDetails().get("reason").toString())
                  .contains("no tick");
              release.countDown(); // lets the context close
            });
  }

  @Test
  void closingTheContextDrainsTheCollectorThroughItsExporters() throws Exception {
    RecordingExporter exporter = new RecordingExporter("recording");
    ConfigurableApplicationContext[] kept = new ConfigurableApplicationContext[1];
    runner()
        .withBean(
            MicrosandboxCollectorCustomizer.class,
            MicrosandboxMetricsAutoConfigurationTest::twoSandboxes)
        .withBean(
            "recordingExporter",
            MicrosandboxCollectorCustomizer.class,
            () ->
                b ->
                    b.register(
                        exporter,
                        ExporterConfig.builder().flushInterval(Duration.ofHours(1)).build()))
        .withPropertyValues("microsandbox.metrics.collect-interval=20ms")
        .run(
            context -> {
              RunningCollector running = context.getBean(RunningCollector.class);
              assertThat(OurThreads.await(() -> running.status().collections() > 0, 20_000))
                  .isTrue();
              assertThat(exporter.calls()).as("flushes hourly: nothing sent yet").isZero();
            });
    assertThat(exporter.calls()).as("the final export at shutdown").isEqualTo(1);
    assertThat(exporter.batches().get(0).sampleCount()).isPositive();
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void theConfigurationMetadataNamesEveryProperty() throws Exception {
    String json;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json)
        .contains(
            "\"microsandbox.metrics.enabled\"",
            "\"microsandbox.metrics.home\"",
            "\"microsandbox.metrics.collect-interval\"",
            "\"microsandbox.metrics.catalog.enabled\"",
            "\"microsandbox.metrics.otlp.endpoint\"",
            "\"microsandbox.metrics.otlp.protocol\"",
            "\"microsandbox.metrics.otlp.headers\"",
            "\"microsandbox.metrics.otlp.spool-dir\"",
            "\"microsandbox.metrics.health.unhealthy-after\"");
  }
}
