package io.microsandbox.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.testing.FixtureCollections;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.collector.testing.StubCollector;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.series.CollectorSeries;
import io.microsandbox.metrics.series.SandboxSeries;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder in a {@link SimpleMeterRegistry}: meter kinds, tags, churn, refresh, close. */
@Timeout(30)
class MicrosandboxMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void telemetryCountersKeepTheirValuesAcrossAGarbageCollection() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StubCollector collector =
        new StubCollector()
            .collected(FixtureCollections.rich())
            .telemetry(Map.of("otlp", FixtureCollections.telemetry()));
    try (MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(registry);
      collectGarbage();
      FunctionCounter success =
          registry
              .get(CollectorSeries.EXPORTS_SUCCESS.metricName())
              .tag("exporter", "otlp")
              .functionCounter();
      assertThat(success.count()).as("Micrometer holds a counter's state weakly").isEqualTo(12.0);
    }
  }

  /** Returns once a garbage collection has cleared a weakly held object (bounded). */
  private static void collectGarbage() {
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && sentinel.get() != null; i++) {
      System.gc();
    }
    assertThat(sentinel.get()).as("a garbage collection ran").isNull();
  }

  @Test
  void gaugesAndFunctionCountersWithBaseUnitsAndTags() {
    StubCollector collector =
        new StubCollector()
            .collected(FixtureCollections.rich())
            .telemetry(Map.of("otlp", FixtureCollections.telemetry()));
    try (MicrosandboxMetrics metrics =
        MicrosandboxMetrics.builder(collector)
            .emitRunId(true)
            .emitPid(true)
            .tags(Tags.of("cluster", "eu-1"))
            .build()) {
      metrics.bindTo(registry);

      FunctionCounter cpu =
          registry.get("microsandbox.cpu.time").tag("sandbox_id", "2").functionCounter();
      assertThat(cpu.count()).isEqualTo(3.0);
      assertThat(cpu.getId().getBaseUnit()).isEqualTo("seconds");
      assertThat(cpu.getId().getTag("sandbox_run_id")).isEqualTo("7");
      assertThat(cpu.getId().getTag("sandbox_pid")).isEqualTo("4242");
      assertThat(cpu.getId().getTag("cluster")).isEqualTo("eu-1");

      Gauge mem = registry.get("microsandbox.memory.limit").tag("sandbox_id", "1").gauge();
      assertThat(mem.value()).as("the catalog's 2048 MiB").isEqualTo(2048.0 * 1024 * 1024);
      assertThat(mem.getId().getBaseUnit()).isEqualTo("bytes");
      assertThat(mem.getId().getTag("team")).isEqualTo("core");
      assertThat(mem.getId().getTag("team_x")).as("colliding keys merged").isEqualTo("x2;x1");
      assertThat(mem.getId().getTag("sandbox_name")).as("identity wins").isEqualTo("sandbox-1");

      assertThat(
              registry
                  .get("microsandbox.disk.bytes_read")
                  .gauges()
                  .iterator()
                  .next()
                  .getId()
                  .getBaseUnit())
          .as("the name already says bytes")
          .isNull();
      assertThat(
              registry.get("microsandbox.cpu.utilization").tag("sandbox_id", "2").gauge().value())
          .isEqualTo(2.5);
      assertThat(registry.find("microsandbox.cpu.limit").gauges())
          .as("only the sandbox whose vCPUs the catalog knows")
          .hasSize(1);
      assertThat(registry.find("microsandbox.upper.used").gauges()).hasSize(1);

      for (CollectorSeries s : CollectorSeries.all()) {
        Meter m = registry.get(s.metricName()).tag("exporter", "otlp").meter();
        assertThat(m)
            .isInstanceOf(
                s.kind() == CollectorSeries.Kind.COUNTER ? FunctionCounter.class : Gauge.class);
      }
      assertThat(registry.get("microsandbox.collector.points.exported").functionCounter().count())
          .isEqualTo(4321.0);
    }
    assertThat(registry.getMeters()).as("close() removes every meter").isEmpty();
  }

  @Test
  void churnOf10000SandboxesKeepsTheMeterCountBounded() {
    StubCollector collector = new StubCollector();
    int perRound = 100;
    int perSandbox = SandboxSeries.pointsOf(Samples.sample(1, 0), Allocation.UNKNOWN);
    int most = 0;
    try (MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(registry);
      for (int round = 0; round < 100; round++) {
        // 100 new sandboxes each round; the previous round's are gone: 10,000 in all
        collector.collected(FixtureCollections.plain(1 + round * perRound, perRound));
        metrics.refresh();
        most = Math.max(most, registry.getMeters().size());
        assertThat(registry.getMeters()).hasSize(perRound * perSandbox);
      }
      collector.collected(SnapshotCollection.of(FixtureCollections.AT_MS, List.of()));
      metrics.refresh();
      assertThat(registry.getMeters()).as("every sandbox gone").isEmpty();
    }
    System.out.printf(
        "churn: 10000 sandboxes in 100 rounds of %d; at most %d meters (%d per sandbox)%n",
        perRound, most, perSandbox);
    assertThat(most).isEqualTo(perRound * perSandbox);
  }

  @Test
  void aPrometheusRegistryTakesSandboxesWhoseCatalogKeysDifferAndChange() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<String> failures = new ArrayList<>();
    prometheus.config().onMeterRegistrationFailed((id, reason) -> failures.add(reason));
    StubCollector collector = new StubCollector();
    try (MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(prometheus);
      for (int round = 0; round < 20; round++) {
        List<SandboxSnapshot> s = new ArrayList<>();
        Map<Integer, Map<String, String>> labels = new HashMap<>();
        for (int i = 0; i < 10; i++) {
          int id = round * 10 + i;
          s.add(Samples.sample(id, FixtureCollections.AT_MS));
          if ((i + round) % 3 == 0) {
            labels.put(id, Map.of("team", "t" + i, "round" + round % 2, "x"));
          }
        }
        collector.collected(new SnapshotCollection(FixtureCollections.AT_MS, s, labels));
        metrics.refresh();
        assertThat(prometheus.scrape().lines().filter(l -> l.startsWith("microsandbox_uptime")))
            .as("round %d: every sandbox scraped", round)
            .hasSize(10);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void aValueTheSandboxNoLongerHasLosesItsMeter() {
    SandboxSnapshot withUpper = FixtureCollections.rich().snapshots().get(1);
    SandboxSnapshot without = Samples.sample(2, FixtureCollections.AT_MS);
    StubCollector collector =
        new StubCollector().collected(SnapshotCollection.of(1, List.of(withUpper)));
    try (MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(registry);
      assertThat(registry.find("microsandbox.upper.used").gauges()).hasSize(1);
      // same sandbox (id 2), but renamed: a new identity; the old one's meters go
      collector.collected(SnapshotCollection.of(2, List.of(without)));
      metrics.refresh();
      assertThat(registry.find("microsandbox.upper.used").gauges()).isEmpty();
      assertThat(registry.find("microsandbox.uptime").gauges())
          .singleElement()
          .satisfies(g -> assertThat(g.getId().getTag("sandbox_name")).isEqualTo("sandbox-2"));
    }
  }

  @Test
  void aRealCollectorWithoutExportersIsFollowedByTheRefreshThread() throws Exception {
    List<SandboxSnapshot> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    running.add(Samples.sample(1, System.currentTimeMillis()));
    try (RunningCollector collector =
            MetricsCollector.builder()
                .collectInterval(Duration.ofMillis(20))
                .maxSampleAge(Duration.ZERO)
                .source(() -> List.copyOf(running))
                .build()
                .start();
        MicrosandboxMetrics metrics = MicrosandboxMetrics.builder(collector).build()) {
      metrics.bindTo(registry);
      assertThat(OurThreads.await(() -> uptimeMeters(registry) == 1, 10_000)).isTrue();
      running.add(Samples.sample(2, System.currentTimeMillis()));
      assertThat(OurThreads.await(() -> uptimeMeters(registry) == 2, 10_000)).isTrue();
      running.clear();
      assertThat(OurThreads.await(() -> uptimeMeters(registry) == 0, 10_000)).isTrue();
    }
  }

  @Test
  void refusesABadRefreshIntervalNamingIt() {
    StubCollector collector = new StubCollector();
    assertThatThrownBy(
            () -> MicrosandboxMetrics.builder(collector).refreshInterval(Duration.ZERO).build())
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> assertThat(e.setting()).isEqualTo("refreshInterval"))
        .hasMessageContaining("refresh interval");
    MicrosandboxMetrics closed = MicrosandboxMetrics.builder(collector).build();
    closed.close();
    assertThatThrownBy(() -> closed.bindTo(registry)).isInstanceOf(IllegalStateException.class);
  }

  private static int uptimeMeters(MeterRegistry r) {
    return r.find("microsandbox.uptime").gauges().size();
  }
}
