package io.microsandbox.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition of a known collection, exactly. */
class ExpositionTextTest {
  static final long SAMPLED_AT = 1_780_109_071_000L;

  /** A sandbox with every field sampled, and one with only the mandatory ones. */
  static List<SandboxSnapshot> sandboxes() {
    SandboxSnapshot full =
        SandboxSnapshot.builder()
            .slot(0)
            .sandboxId(7)
            .runId(3)
            .pid(4242)
            .name("devbox")
            .startedAtMs(SAMPLED_AT - 90_500)
            .sampledAtMs(SAMPLED_AT)
            .sampleFlags(0xff)
            .cpuPercent(150f)
            .raw(SampleField.VCPU_TIME_NS, 12_500_000_000L)
            .raw(SampleField.MEMORY_BYTES, 256L << 20)
            .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
            .raw(SampleField.DISK_READ_BYTES, 1000)
            .raw(SampleField.DISK_WRITE_BYTES, 2000)
            .raw(SampleField.NET_RX_BYTES, 3000)
            .raw(SampleField.NET_TX_BYTES, 4000)
            .value(SampleField.MEMORY_AVAILABLE_BYTES, 128L << 20)
            .value(SampleField.MEMORY_HOST_RESIDENT_BYTES, 300L << 20)
            .value(SampleField.UPPER_USED_BYTES, 10_000)
            .value(SampleField.UPPER_FREE_BYTES, 20_000)
            .value(SampleField.UPPER_HOST_ALLOCATED_BYTES, 30_000)
            .build();
    SandboxSnapshot bare =
        SandboxSnapshot.builder()
            .slot(1)
            .sandboxId(8)
            .runId(1)
            .pid(4343)
            .name("worker \"b\"")
            .startedAtMs(SAMPLED_AT - 2_000)
            .sampledAtMs(SAMPLED_AT)
            .sampleFlags(0)
            .cpuPercent(0f)
            .raw(SampleField.VCPU_TIME_NS, 0)
            .raw(SampleField.MEMORY_BYTES, 64L << 20)
            .raw(SampleField.MEMORY_LIMIT_BYTES, 128L << 20)
            .raw(SampleField.DISK_READ_BYTES, -1L) // 2^64 - 1: clamped
            .raw(SampleField.DISK_WRITE_BYTES, 0)
            .raw(SampleField.NET_RX_BYTES, 0)
            .raw(SampleField.NET_TX_BYTES, 0)
            .build();
    return List.of(full, bare);
  }

  static ExportBatch batch(List<SandboxSnapshot> sandboxes) {
    SnapshotCollection c =
        new SnapshotCollection(
            SAMPLED_AT + 300, sandboxes, Map.of(7, Map.of("team", "infra", "app.kind", "web")));
    CollectorTelemetry t =
        CollectorTelemetry.builder()
            .exportsSuccess(41)
            .lastSuccessEpochMs(SAMPLED_AT - 1_000)
            .lastExportDurationNanos(2_500_000)
            .pointsExported(900)
            .bufferDepth(1)
            .lastScanDurationNanos(150_000)
            .slotsSkipped(2)
            .build();
    return new ExportBatch(List.of(c), 0, t);
  }

  static String text(PrometheusExporter e, String accept) {
    return new String(e.scrape(accept).body(), StandardCharsets.UTF_8);
  }

  static String golden(String name) throws Exception {
    try (InputStream in = ExpositionTextTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Text 0.0.4: names as docs/metrics.md's "Prometheus" column, HELP and TYPE, identity and
   * sanitised catalog labels, label values escaped, optional values absent (not zero) where not
   * sampled, a u64 above 2^63-1 clamped, the exporter's own telemetry, target_info; no timestamps.
   */
  @Test
  void textFormatIsExactly() throws Exception {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));
    assertThat(text(e, null)).isEqualTo(golden("exposition-0.0.4.txt"));
    assertThat(e.scrape(null).contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
  }

  /** OpenMetrics 1.0 adds UNIT where the name ends with its unit, and # EOF. */
  @Test
  void openMetricsIsExactly() throws Exception {
    PrometheusExporter e = PrometheusExporter.builder().build();
    e.export(batch(sandboxes()));
    assertThat(text(e, "application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .isEqualTo(golden("exposition-openmetrics.txt"));
  }
}
