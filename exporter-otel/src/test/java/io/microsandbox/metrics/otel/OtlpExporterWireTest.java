package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.microsandbox.metrics.registry.testing.TestClocks;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What reaches a real OTLP receiver, over both transports, with and without gzip: every series,
 * unit, type, attribute, point time and value, in one request per flush.
 */
@Timeout(30)
class OtlpExporterWireTest {
  private static final long U64_MAX = -1L;
  private static final long EXPORT_TIME_MS = 1_780_000_000_000L;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GRPC, NONE", "GRPC, GZIP", "HTTP_PROTOBUF, NONE", "HTTP_PROTOBUF, GZIP"})
  void deliversEverySeriesAtItsSampleTimeInOneRequest(
      OtlpProtocol protocol, OtlpCompression compression) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(protocol, null, false)) {
      OtlpExporter exporter =
          OtlpExporter.builder()
              .endpoint(receiver.endpoint())
              .protocol(protocol)
              .compression(compression)
              .resourceAttribute("deployment.environment", "test")
              .timeSource(TestClocks.wallClock(() -> EXPORT_TIME_MS))
              .build();
      try {
        ExportResult result = exporter.export(TestBatches.twoCollectionsOfTwoSandboxes());

        assertThat(result.kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        List<ReceivedRequest> requests = receiver.received();
        assertThat(requests).hasSize(1);
        ReceivedRequest r = requests.get(0);
        assertThat(r.contentEncoding())
            .isEqualTo(compression == OtlpCompression.GZIP ? "gzip" : "");
        if (protocol == OtlpProtocol.HTTP_PROTOBUF) {
          assertThat(r.path()).isEqualTo("/v1/metrics");
        }
        assertThat(result.exportedPoints()).isEqualTo(r.pointCount());
        assertRequest(r);
      } finally {
        exporter.shutdown();
      }
    }
  }

  @Test
  void theHttpEndpointIsUsedExactlyAsGiven() throws Exception {
    try (OtlpTestReceiver receiver =
        OtlpTestReceiver.start(OtlpProtocol.HTTP_PROTOBUF, null, false)) {
      String endpoint = receiver.endpoint().replace("/v1/metrics", "/otlp/v1/metrics");
      OtlpExporter exporter =
          OtlpExporter.builder().endpoint(endpoint).protocol(OtlpProtocol.HTTP_PROTOBUF).build();
      try {
        assertThat(exporter.export(TestBatches.twoCollectionsOfTwoSandboxes()).isSuccess())
            .isTrue();
        assertThat(receiver.received())
            .extracting(ReceivedRequest::path)
            .containsExactly("/otlp/v1/metrics");
      } finally {
        exporter.shutdown();
      }
    }
  }

  private static void assertRequest(ReceivedRequest r) {
    assertThat(r.request().getResourceMetricsCount()).isEqualTo(1);
    Map<String, AnyValue> resource =
        attributes(r.request().getResourceMetrics(0).getResource().getAttributesList());
    assertThat(resource.get("service.name").getStringValue()).isEqualTo("microsandbox");
    assertThat(resource.get("deployment.environment").getStringValue()).isEqualTo("test");
    assertThat(r.request().getResourceMetrics(0).getScopeMetricsCount()).isEqualTo(1);
    ScopeMetrics scope = r.request().getResourceMetrics(0).getScopeMetrics(0);
    assertThat(scope.getScope().getName()).isEqualTo("microsandbox-metrics-collector");
    assertThat(scope.getScope().getVersion())
        .isNotBlank()
        .doesNotContain("${")
        .isNotEqualTo("unknown");

    // every sandbox series appears once, each holding the points of every sample
    for (String name :
        List.of(
            "microsandbox.cpu.utilization",
            "microsandbox.memory.usage",
            "microsandbox.memory.limit",
            "microsandbox.disk.bytes_read",
            "microsandbox.disk.bytes_written",
            "microsandbox.network.bytes_received",
            "microsandbox.network.bytes_sent",
            "microsandbox.uptime",
            "microsandbox.cpu.time")) {
      assertThat(r.metrics(name)).as(name).hasSize(1);
      assertThat(r.points(name)).as(name).hasSize(4);
    }
    // optional fields: only the "full" sandbox (2 samples) has them
    for (String name :
        List.of(
            "microsandbox.upper.used",
            "microsandbox.upper.free",
            "microsandbox.upper.host_allocated",
            "microsandbox.memory.available",
            "microsandbox.memory.host_resident")) {
      assertThat(r.points(name)).as(name).hasSize(2);
      assertThat(r.points(name))
          .allSatisfy(
              p ->
                  assertThat(attributes(p.getAttributesList()).get("sandbox.name").getStringValue())
                      .isEqualTo("full"));
    }

    Metric memory = r.metrics("microsandbox.memory.usage").get(0);
    assertThat(memory.getUnit()).isEqualTo("By");
    assertThat(memory.hasGauge()).isTrue();
    assertThat(memory.getDescription()).isNotBlank();
    assertThat(r.metrics("microsandbox.cpu.utilization").get(0).getUnit()).isEqualTo("1");
    assertThat(r.metrics("microsandbox.uptime").get(0).getUnit()).isEqualTo("s");

    // each point at its own sample time, oldest collection first
    List<NumberDataPoint> mem = r.points("microsandbox.memory.usage");
    assertThat(mem)
        .extracting(NumberDataPoint::getTimeUnixNano)
        .containsExactly(
            ms(TestBatches.T0 + 10),
            ms(TestBatches.T0 + 20),
            ms(TestBatches.T1 + 10),
            ms(TestBatches.T1 + 20));
    assertThat(mem)
        .extracting(NumberDataPoint::getAsInt)
        .containsExactly(1_000L, 2_000L, 1_500L, Long.MAX_VALUE);

    // the unsigned rule: u64::MAX never wraps negative; it is clamped and stays an integer
    NumberDataPoint limit = r.points("microsandbox.memory.limit").get(3);
    assertThat(limit.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
    assertThat(limit.getAsInt()).isEqualTo(Long.MAX_VALUE);
    assertThat(r.points("microsandbox.network.bytes_sent").get(3).getAsInt())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(r.points("microsandbox.disk.bytes_read").get(0).getAsInt())
        .isEqualTo(Long.MAX_VALUE);

    // cpu: percent / 100 from the exact float; uptime in seconds
    NumberDataPoint cpu = r.points("microsandbox.cpu.utilization").get(0);
    assertThat(cpu.getAsDouble()).isEqualTo(((double) 150.25f) / 100.0);
    assertThat(r.points("microsandbox.uptime").get(0).getAsDouble()).isEqualTo(990.01);

    // cpu.time: monotonic cumulative sum since the sandbox's start, seconds
    Metric cpuTime = r.metrics("microsandbox.cpu.time").get(0);
    assertThat(cpuTime.hasSum()).isTrue();
    assertThat(cpuTime.getSum().getIsMonotonic()).isTrue();
    assertThat(cpuTime.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    NumberDataPoint ct = cpuTime.getSum().getDataPoints(0);
    assertThat(ct.getStartTimeUnixNano()).isEqualTo(ms(TestBatches.STARTED));
    assertThat(ct.getAsDouble()).isEqualTo(1.0);
    assertThat(cpuTime.getSum().getDataPoints(2).getAsDouble()).isEqualTo(2.0);
    // u64::MAX ns as a double, not negative
    assertThat(cpuTime.getSum().getDataPoints(3).getAsDouble())
        .isCloseTo(1.8446744073709552e10, within(1.0));

    // attributes: identity + labels; the identity wins over a label with the same key
    Map<String, AnyValue> full = attributes(mem.get(0).getAttributesList());
    assertThat(full.get("sandbox.name").getStringValue()).isEqualTo("full");
    assertThat(full.get("sandbox.id").getIntValue()).isEqualTo(7);
    assertThat(full.get("team").getStringValue()).isEqualTo("infra");
    assertThat(full).doesNotContainKeys("sandbox.run_id", "sandbox.pid");
    assertThat(mem.get(0).getAttributesList())
        .filteredOn(kv -> kv.getKey().equals("sandbox.name"))
        .hasSize(1);
    Map<String, AnyValue> sparse = attributes(mem.get(1).getAttributesList());
    assertThat(sparse.get("sandbox.name").getStringValue()).isEqualTo("sparse-ü");
    assertThat(sparse.get("sandbox.id").getIntValue()).isEqualTo(Integer.MAX_VALUE);
    assertThat(sparse).containsOnlyKeys("sandbox.name", "sandbox.id");

    // collector telemetry in the same request and scope, at the export time
    assertTelemetry(r);
  }

  private static void assertTelemetry(ReceivedRequest r) {
    Map<String, Long> ints = new LinkedHashMap<>();
    Map<String, Double> doubles = new LinkedHashMap<>();
    for (Metric m : r.metrics()) {
      if (!m.getName().startsWith("microsandbox.collector.")) {
        continue;
      }
      NumberDataPoint p = r.points(m.getName()).get(0);
      assertThat(p.getTimeUnixNano()).as(m.getName()).isEqualTo(ms(EXPORT_TIME_MS));
      if (p.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
        ints.put(m.getName(), p.getAsInt());
      } else {
        doubles.put(m.getName(), p.getAsDouble());
      }
    }
    assertThat(ints)
        .containsEntry("microsandbox.collector.exports.success", 5L)
        .containsEntry("microsandbox.collector.exports.failure", 2L)
        .containsEntry("microsandbox.collector.collections.dropped", 3L)
        .containsEntry("microsandbox.collector.points.exported", 1234L)
        .containsEntry("microsandbox.collector.points.rejected", 4L)
        .containsEntry("microsandbox.collector.batches.rejected", 1L)
        .containsEntry("microsandbox.collector.buffer.depth", 2L)
        .containsEntry("microsandbox.collector.slots.skipped", 6L)
        .containsEntry("microsandbox.collector.scans.skipped", 7L)
        .containsEntry("microsandbox.collector.labels.dropped", 8L);
    assertThat(doubles)
        .containsEntry("microsandbox.collector.last_success_timestamp", 1_779_999_999.5)
        .containsEntry("microsandbox.collector.export.duration", 0.25)
        .containsEntry("microsandbox.collector.scan.duration", 0.001);
    assertThat(r.metrics("microsandbox.collector.exports.success").get(0).getSum().getIsMonotonic())
        .isTrue();
  }

  static long ms(long epochMs) {
    return epochMs * 1_000_000L;
  }

  static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
    Map<String, AnyValue> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue());
    }
    return out;
  }

  /** Hand-built batches with known values. */
  static final class TestBatches {
    static final long STARTED = 1_779_999_000_000L;
    static final long T0 = 1_779_999_990_000L;
    static final long T1 = T0 + 1_000;

    static ExportBatch twoCollectionsOfTwoSandboxes() {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("sandbox.name", "spoofed");
      labels.put("team", "infra");
      SnapshotCollection c0 =
          new SnapshotCollection(
              T0,
              List.of(
                  full(T0 + 10, 1_000, 1_000_000_000L).toBuilder()
                      .raw(SampleField.DISK_READ_BYTES, U64_MAX)
                      .build(),
                  sparse(T0 + 20, 2_000)),
              Map.of(7, labels));
      SnapshotCollection c1 =
          new SnapshotCollection(
              T1,
              List.of(
                  full(T1 + 10, 1_500, 2_000_000_000L),
                  sparse(T1 + 20, U64_MAX).toBuilder()
                      .raw(SampleField.MEMORY_LIMIT_BYTES, U64_MAX)
                      .raw(SampleField.NET_TX_BYTES, U64_MAX)
                      .raw(SampleField.VCPU_TIME_NS, U64_MAX)
                      .build()),
              Map.of(7, labels));
      CollectorTelemetry telemetry =
          CollectorTelemetry.builder()
              .exportsSuccess(5)
              .exportsFailure(2)
              .collectionsDropped(3)
              .lastSuccessEpochMs(1_779_999_999_500L)
              .lastExportDurationNanos(250_000_000L)
              .pointsExported(1234)
              .pointsRejected(4)
              .batchesRejected(1)
              .bufferDepth(2)
              .lastScanDurationNanos(1_000_000L)
              .slotsSkipped(6)
              .scansSkipped(7)
              .labelsDropped(8)
              .build();
      return new ExportBatch(List.of(c0, c1), 0, telemetry);
    }

    static SandboxSnapshot full(long sampledAt, long memory, long vcpuNs) {
      return SandboxSnapshot.builder()
          .slot(0)
          .sandboxId(7)
          .runId(70)
          .pid(4242)
          .name("full")
          .startedAtMs(STARTED)
          .sampledAtMs(sampledAt)
          .sampleFlags(SandboxSnapshot.FLAG_CPU | SandboxSnapshot.FLAG_MEMORY)
          .cpuPercent(150.25f)
          .raw(SampleField.VCPU_TIME_NS, vcpuNs)
          .raw(SampleField.MEMORY_BYTES, memory)
          .raw(SampleField.MEMORY_LIMIT_BYTES, 512L << 20)
          .raw(SampleField.DISK_READ_BYTES, 11)
          .raw(SampleField.DISK_WRITE_BYTES, 12)
          .raw(SampleField.NET_RX_BYTES, 13)
          .raw(SampleField.NET_TX_BYTES, 14)
          .value(SampleField.MEMORY_AVAILABLE_BYTES, 15)
          .value(SampleField.MEMORY_HOST_RESIDENT_BYTES, 16)
          .value(SampleField.UPPER_USED_BYTES, 17)
          .value(SampleField.UPPER_FREE_BYTES, 18)
          .value(SampleField.UPPER_HOST_ALLOCATED_BYTES, 19)
          .build();
    }

    static SandboxSnapshot sparse(long sampledAt, long memory) {
      return SandboxSnapshot.builder()
          .slot(1)
          .sandboxId(Integer.MAX_VALUE)
          .runId(1)
          .pid(1)
          .name("sparse-ü")
          .startedAtMs(-5)
          .sampledAtMs(sampledAt)
          .raw(SampleField.MEMORY_BYTES, memory)
          // an optional field's value without its flag must not be sent
          .raw(SampleField.UPPER_USED_BYTES, 99)
          .build();
    }
  }
}
