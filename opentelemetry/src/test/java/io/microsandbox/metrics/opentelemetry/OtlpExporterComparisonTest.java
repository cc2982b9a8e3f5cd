package io.microsandbox.metrics.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.MetricsCollector;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.collector.testing.FixtureCollections;
import io.microsandbox.metrics.collector.testing.StubCollector;
import io.microsandbox.metrics.otel.OtlpExporter;
import io.microsandbox.metrics.otel.OtlpProtocol;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For one collection, the SDK's in-memory reader holds the same metrics, units, descriptions, point
 * types, attributes and values as the request the project's OTLP exporter sends. The differences,
 * stated in docs/integrations.md: the collector telemetry points carry {@code exporter} (the
 * exporter ships only its own pipeline, without attributes), and times (the SDK's collection time;
 * not compared here).
 */
@Timeout(60)
class OtlpExporterComparisonTest {

  @ParameterizedTest(name = "run id and pid: {0}")
  @ValueSource(booleans = {false, true})
  void sameMetricsUnitsAttributesAndValuesAsTheOtlpExporter(boolean identity) throws Exception {
    SnapshotCollection c = FixtureCollections.rich();
    CollectorTelemetry t = FixtureCollections.telemetry();

    Set<String> sent = new TreeSet<>();
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .emitRunId(identity)
              .emitPid(identity)
              .build();
      try {
        assertThat(exporter.export(new ExportBatch(List.of(c), 0, t)).kind())
            .isEqualTo(ExportResult.Kind.SUCCESS);
      } finally {
        exporter.shutdown();
      }
      ReceivedRequest r = receiver.received().get(0);
      assertThat(r.request().getResourceMetrics(0).getScopeMetrics(0).getScope().getName())
          .isEqualTo(MicrosandboxTelemetry.SCOPE_NAME)
          .isEqualTo(OtlpExporter.SCOPE_NAME);
      for (Metric m : r.metrics()) {
        sent.addAll(points(m));
      }
    }

    InMemoryMetricReader reader = InMemoryMetricReader.create();
    StubCollector collector = new StubCollector().collected(c).telemetry(Map.of("otlp", t));
    try (SdkMeterProvider provider =
            SdkMeterProvider.builder().registerMetricReader(reader).build();
        MicrosandboxTelemetry telemetry =
            MicrosandboxTelemetry.builder(
                    OpenTelemetrySdk.builder().setMeterProvider(provider).build(), collector)
                .emitRunId(identity)
                .emitPid(identity)
                .build()) {
      Collection<MetricData> observed = reader.collectAllMetrics();
      Set<String> bridged = new TreeSet<>();
      for (MetricData m : observed) {
        assertThat(m.getInstrumentationScopeInfo().getName())
            .isEqualTo(MicrosandboxTelemetry.SCOPE_NAME);
        assertThat(m.getInstrumentationScopeInfo().getVersion())
            .isEqualTo(MetricsCollector.version());
        bridged.addAll(points(m));
      }
      assertThat(sent).as("3 sandboxes' series and the telemetry").hasSizeGreaterThan(50);
      assertThat(bridged).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(bridged.toString().contains("sandbox.run_id=int:7")).isEqualTo(identity);
      assertThat(observed)
          .filteredOn(m -> m.getName().equals("microsandbox.collector.exports.success"))
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m.getLongSumData().getPoints().iterator().next().getAttributes())
                      .isEqualTo(
                          io.opentelemetry.api.common.Attributes.of(
                              MicrosandboxTelemetry.EXPORTER, "otlp")));
    }
  }

  /** One line per point: name, unit, description, point type, sorted attributes, value. */
  private static List<String> points(Metric m) {
    List<String> out = new ArrayList<>();
    String type;
    List<NumberDataPoint> points;
    if (m.hasSum()) {
      type =
          "sum monotonic="
              + m.getSum().getIsMonotonic()
              + " "
              + m.getSum().getAggregationTemporality();
      points = m.getSum().getDataPointsList();
    } else {
      type = "gauge";
      points = m.getGauge().getDataPointsList();
    }
    for (NumberDataPoint p : points) {
      Map<String, String> attributes = new TreeMap<>();
      for (KeyValue kv : p.getAttributesList()) {
        attributes.put(
            kv.getKey(),
            kv.getValue().hasIntValue()
                ? "int:" + kv.getValue().getIntValue()
                : "string:" + kv.getValue().getStringValue());
      }
      String value =
          p.getValueCase() == NumberDataPoint.ValueCase.AS_INT
              ? "int:" + p.getAsInt()
              : "double:" + p.getAsDouble();
      out.add(line(m.getName(), m.getUnit(), m.getDescription(), type, attributes, value));
    }
    return out;
  }

  private static List<String> points(MetricData m) {
    List<String> out = new ArrayList<>();
    String type;
    switch (m.getType()) {
      case LONG_SUM:
      case DOUBLE_SUM:
        SumData<?> sum = (SumData<?>) m.getData();
        type =
            "sum monotonic="
                + sum.isMonotonic()
                + " AGGREGATION_TEMPORALITY_"
                + sum.getAggregationTemporality();
        break;
      default:
        type = "gauge";
    }
    for (PointData p : m.getData().getPoints()) {
      Map<String, String> attributes = new TreeMap<>();
      p.getAttributes()
          .forEach(
              (AttributeKey<?> k, Object v) -> {
                if (!k.equals(MicrosandboxTelemetry.EXPORTER)) {
                  attributes.put(
                      k.getKey(), (v instanceof Long ? "int:" : "string:") + String.valueOf(v));
                }
              });
      String value =
          p instanceof io.opentelemetry.sdk.metrics.data.LongPointData l
              ? "int:" + l.getValue()
              : "double:" + ((io.opentelemetry.sdk.metrics.data.DoublePointData) p).getValue();
      out.add(line(m.getName(), m.getUnit(), m.getDescription(), type, attributes, value));
    }
    return out;
  }

  private static String line(
      String name,
      String unit,
      String description,
      String type,
      Map<String, String> attributes,
      String value) {
    return name
        + " ["
        + unit
        + "] "
        + type
        + " "
        + attributes
        + " = "
        + value
        + " # "
        + description;
  }
}
