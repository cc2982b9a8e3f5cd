package io.microsandbox.metrics.samples.config;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.samples.config.PrometheusNames.Kind;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every OTLP metric and data-point attribute this project emits, as the real {@link OtlpExporter}
 * sends them, and the Prometheus names they become. Derived, not listed: one batch holding a
 * sandbox with every optional field, every identity attribute switched on and its allocation known
 * from the catalog is exported to a real OTLP receiver, and whatever arrives is the truth the
 * dashboard and rules are held to.
 */
final class EmittedSeries {

  /** One OTLP metric: name, unit and point kind. */
  record EmittedMetric(String otelName, String unit, Kind kind) {
    String prometheusName() {
      return PrometheusNames.metricName(otelName, unit, kind);
    }
  }

  /** Labels Prometheus derives from the resource: service.name -> job, service.instance.id. */
  private static final List<String> RESOURCE_LABELS = List.of("job", "instance");

  private static List<EmittedMetric> metrics;
  private static Set<String> labels;

  private EmittedSeries() {}

  /** The metrics of one export, in request order. */
  static synchronized List<EmittedMetric> metrics() {
    if (metrics == null) {
      observeOneExport();
    }
    return metrics;
  }

  static Set<String> prometheusNames() {
    Set<String> names = new TreeSet<>();
    metrics().forEach(m -> names.add(m.prometheusName()));
    return names;
  }

  /** The Prometheus label names of the data-point attributes, plus job and instance. */
  static synchronized Set<String> labelNames() {
    metrics();
    return labels;
  }

  /** One batch holding a sandbox with every optional field, a catalog label and telemetry. */
  static ExportBatch oneBatch() {
    long now = System.currentTimeMillis();
    SandboxSnapshot.Builder sample =
        SandboxSnapshot.builder()
            .sandboxId(33)
            .runId(7)
            .pid(4242)
            .name("devbox")
            .startedAtMs(now - 60_000)
            .sampledAtMs(now)
            .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
            .cpuPercent(50f);
    for (SampleField f : SampleField.values()) {
      sample.value(f, 1L << 20);
    }
    return new ExportBatch(
        List.of(
            new SnapshotCollection(
                now,
                List.of(sample.build()),
                Map.of(33, Map.of("team", "infra")),
                Map.of(33, new Allocation(2, 1024, 2, 1024, 1000, false)))),
        0,
        CollectorTelemetry.builder().exportsSuccess(1).lastSuccessEpochMs(now).build());
  }

  private static void observeOneExport() {
    ExportBatch batch = oneBatch();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(OtlpProtocol.GRPC)
              .emitRunId(true)
              .emitPid(true)
              .build();
      ExportResult result = exporter.export(batch);
      exporter.shutdown();
      if (!result.isSuccess()) {
        throw new IllegalStateException("export to the test receiver failed: " + result);
      }
      List<Metric> received = receiver.accepted().get(0).metrics();
      Set<String> attributeLabels = new TreeSet<>(RESOURCE_LABELS);
      metrics =
          received.stream()
              .map(m -> new EmittedMetric(m.getName(), m.getUnit(), kindOf(m)))
              .distinct()
              .toList();
      for (Metric m : received) {
        List<NumberDataPoint> points =
            m.hasGauge() ? m.getGauge().getDataPointsList() : m.getSum().getDataPointsList();
        for (NumberDataPoint p : points) {
          for (KeyValue kv : p.getAttributesList()) {
            attributeLabels.add(PrometheusNames.labelName(kv.getKey()));
          }
        }
      }
      // "team" is the catalog label of this batch: dashboards may not rely on any catalog label
      attributeLabels.remove("team");
      labels = Set.copyOf(attributeLabels);
    } catch (Exception e) {
      throw new IllegalStateException("cannot observe what the OTLP exporter emits", e);
    }
  }

  private static Kind kindOf(Metric m) {
    if (m.hasGauge()) {
      return Kind.GAUGE;
    }
    if (m.hasSum()) {
      return m.getSum().getIsMonotonic() ? Kind.MONOTONIC_SUM : Kind.NON_MONOTONIC_SUM;
    }
    throw new IllegalStateException("unexpected point type of " + m.getName());
  }
}
