package io.microsandbox.metrics.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.InvalidSettingException;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.RunningCollector;
import io.microsandbox.metrics.collector.SnapshotSource;
import io.microsandbox.metrics.collector.testing.OurThreads;
import io.microsandbox.metrics.collector.testing.RecordingExporter;
import io.microsandbox.metrics.collector.testing.Samples;
import io.microsandbox.metrics.prometheus.PrometheusExporter;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Probe transitions and /status against a real collector. */
@Timeout(30)
class EndpointsTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger reads = new AtomicInteger();

  @AfterEach
  void releaseBlockedSource() {
    release.countDown();
  }

  /** One sandbox per read; blocks on read number {@code blockAt} (0: never) until released. */
  private SnapshotSource source(int blockAt) {
    return () -> {
      if (reads.incrementAndGet() == blockAt) {
        release.await();
      }
      return List.<SandboxSnapshot>of(Samples.sample(1, System.currentTimeMillis()));
    };
  }

  private static MetricsCollector.Builder collector(SnapshotSource source) {
    return MetricsCollector.builder()
        .collectInterval(Duration.ofMillis(20))
        .flushInterval(Duration.ofMillis(50))
        .maxSampleAge(Duration.ZERO)
        .source(source);
  }

  private static String body(Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void notReadyBeforeTheFirstCollectionThenReady() throws Exception {
    try (RunningCollector running =
        collector(source(1)).register(new RecordingExporter("rec")).build().start()) {
      Endpoints e = Endpoints.builder(running).build();
      assertThat(OurThreads.await(() -> reads.get() == 1, 5_000)).isTrue(); // first read blocked
      Response notReady = e.handle("GET", "/-/ready", null);
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(body(notReady)).isEqualTo("not ready: no collection completed yet\n");
      assertThat(e.handle("GET", "/-/healthy", null).status()).isEqualTo(200);

      release.countDown();
      assertThat(OurThreads.await(() -> e.handle("GET", "/-/ready", null).status() == 200, 5_000))
          .isTrue();
      assertThat(body(e.handle("GET", "/-/ready", null))).isEqualTo("ready\n");
    }
  }

  @Test
  void anExtraReadinessConditionHoldsReadinessBack() throws Exception {
    try (RunningCollector running =
        collector(source(0)).register(new RecordingExporter("rec")).build().start()) {
      boolean[] pulled = {false};
      Endpoints e = Endpoints.builder(running).readyWhen(() -> pulled[0]).build();
      assertThat(OurThreads.await(() -> running.status().collections() > 0, 5_000)).isTrue();
      assertThat(e.handle("GET", "/-/ready", null).status()).isEqualTo(503);
      pulled[0] = true;
      assertThat(e.handle("GET", "/-/ready", null).status()).isEqualTo(200);
    }
  }

  @Test
  void healthyThroughABackendOutageUnhealthyWhenTheCollectLoopIsStuck() throws Exception {
    RecordingExporter down = new RecordingExporter("otlp");
    for (int i = 0; i < 1000; i++) {
      down.thenReturn(ExportResult.retryable("connection refused"));
    }
    try (RunningCollector running = collector(source(20)).register(down).build().start()) {
      Endpoints e = Endpoints.builder(running).build();
      // the backend is down from the start: exports fail, the probe stays green
      assertThat(OurThreads.await(() -> down.calls() >= 2, 5_000)).isTrue();
      assertThat(running.status().exporters().get(0).consecutiveFailures()).isPositive();
      assertThat(e.handle("GET", "/-/healthy", null).status()).isEqualTo(200);
      assertThat(e.handle("GET", "/-/ready", null).status()).isEqualTo(200);

      // the 20th read blocks: after 5 collect intervals (100 ms) without a tick, 503
      assertThat(OurThreads.await(() -> e.handle("GET", "/-/healthy", null).status() == 503, 5_000))
          .isTrue();
      String reason = body(e.handle("GET", "/-/healthy", null));
      assertThat(reason)
          .startsWith("unhealthy: the collect loop finished no tick for ")
          .contains("(limit 100 ms;")
          .endsWith(")\n")
          .hasLineCount(1);

      release.countDown(); // the read returns: live again
      assertThat(OurThreads.await(() -> e.handle("GET", "/-/healthy", null).status() == 200, 5_000))
          .isTrue();
    }
  }

  @Test
  void statusDuringAnOutageShowsEachExporterWithoutSecrets() throws Exception {
    RecordingExporter down = new RecordingExporter("otlp");
    for (int i = 0; i < 1000; i++) {
      down.thenReturn(
          ExportResult.retryable(
              "UNAVAILABLE from https://tenant:s3cr3t@otlp.example.com:4317 (connection refused)"));
    }
    try (RunningCollector running =
        collector(source(0))
            .register(new RecordingExporter("stdout"))
            .register(down)
            .build()
            .start()) {
      Endpoints e = Endpoints.builder(running).version("9.9.9").build();
      assertThat(OurThreads.await(() -> down.calls() >= 2, 5_000)).isTrue();

      Response r = e.handle("GET", "/status", "*/*");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).isEqualTo("application/json");
      String text = body(r);
      assertThat(text).doesNotContain("s3cr3t").doesNotContain("tenant").doesNotContain("example");
      JsonNode s = new ObjectMapper().readTree(text);
      assertThat(s.path("version").asText()).isEqualTo("9.9.9");
      assertThat(s.path("healthy").asBoolean()).isTrue();
      assertThat(s.path("ready").asBoolean()).isTrue();
      assertThat(s.path("collector").path("collect_interval_seconds").asDouble()).isEqualTo(0.02);
      assertThat(s.path("collector").path("collections").asLong()).isPositive();
      assertThat(s.path("registry").isNull()).as("a plugged source").isTrue();
      assertThat(s.path("sandboxes").asInt()).isEqualTo(1);
      JsonNode ok = s.path("exporters").get(0);
      assertThat(ok.path("name").asText()).isEqualTo("stdout");
      assertThat(ok.path("consecutive_failures").asInt()).isZero();
      assertThat(ok.path("last_success").asText()).endsWith("Z");
      assertThat(ok.path("last_error").isNull()).isTrue();
      assertThat(ok.path("fatal_error").isNull()).as("a running exporter").isTrue();
      JsonNode failing = s.path("exporters").get(1);
      assertThat(failing.path("name").asText()).isEqualTo("otlp");
      assertThat(failing.path("consecutive_failures").asInt()).isPositive();
      assertThat(failing.path("last_success").isNull()).isTrue();
      assertThat(failing.path("last_error").asText())
          .as("no endpoint in /status, as the README says")
          .isEqualTo("UNAVAILABLE from <endpoint> (connection refused)");
      assertThat(failing.path("next_attempt").asText()).endsWith("Z");
      assertThat(failing.path("buffered_collections").asInt()).isPositive();
      assertThat(failing.path("spool").isNull()).isTrue();
    }
  }

  @Test
  void unknownPathsAre404OtherMethods405AndRoutesAnswerGets() throws Exception {
    try (RunningCollector running =
        collector(source(0)).register(new RecordingExporter("rec")).build().start()) {
      Endpoints e =
          Endpoints.builder(running)
              .route("/metrics", accept -> Response.text(200, "scraped with " + accept))
              .build();
      assertThat(e.handle("GET", "/nope", null).status()).isEqualTo(404);
      assertThat(e.handle("GET", "/", null).status()).isEqualTo(404);
      assertThat(e.handle("POST", "/-/healthy", null).status()).isEqualTo(405);
      assertThat(e.handle("DELETE", "/metrics", null).status()).isEqualTo(405);
      assertThat(body(e.handle("GET", "/metrics?x=1", "text/plain")))
          .isEqualTo("scraped with text/plain\n");
      assertThatThrownBy(() -> Endpoints.builder(running).route("/status", a -> null))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageContaining("built in");
      assertThatThrownBy(() -> Endpoints.builder(running).route("metrics", a -> null))
          .isInstanceOfSatisfying(
              InvalidSettingException.class, x -> assertThat(x.setting()).isEqualTo("route"));
    }
  }

  @Test
  void headIsAnsweredLikeGet() throws Exception {
    try (RunningCollector running =
        collector(source(0)).register(new RecordingExporter("rec")).build().start()) {
      Endpoints e =
          Endpoints.builder(running).route("/metrics", a -> Response.text(200, "m")).build();
      assertThat(OurThreads.await(() -> e.handle("HEAD", "/-/ready", null).status() == 200, 5_000))
          .isTrue();
      assertThat(body(e.handle("HEAD", "/metrics", null))).isEqualTo("m\n");
      assertThat(e.handle("HEAD", "/nope", null).status()).isEqualTo(404);
    }
  }

  @Test
  void aPrometheusExporterIsMountedOnMetricsInOneCall() throws Exception {
    PrometheusExporter prometheus = PrometheusExporter.builder().build();
    try (RunningCollector running =
        collector(source(0))
            .register(prometheus, PrometheusExporter.exporterConfig())
            .build()
            .start()) {
      Endpoints e = Endpoints.builder(running).metrics(prometheus).build();
      assertThat(OurThreads.await(() -> e.handle("GET", "/-/ready", null).status() == 200, 5_000))
          .as("ready once the exporter holds a collection")
          .isTrue();
      Response text = e.handle("GET", "/metrics", null);
      assertThat(text.status()).isEqualTo(200);
      assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
      assertThat(body(text)).contains("microsandbox_cpu_time_seconds_total{");
      Response om = e.handle("GET", "/metrics", "application/openmetrics-text; version=1.0.0");
      assertThat(om.contentType()).startsWith("application/openmetrics-text");
    }
  }

  @Test
  void aNonPositiveUnhealthyAfterIsRefusedNamingTheSetting() throws Exception {
    try (RunningCollector running =
        collector(source(0)).register(new RecordingExporter("rec")).build().start()) {
      for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), null}) {
        assertThatThrownBy(() -> Endpoints.builder(running).unhealthyAfter(bad))
            .isInstanceOfSatisfying(
                InvalidSettingException.class,
                x -> assertThat(x.setting()).isEqualTo("unhealthyAfter"))
            .hasMessageContaining("unhealthyAfter");
      }
    }
  }
}
