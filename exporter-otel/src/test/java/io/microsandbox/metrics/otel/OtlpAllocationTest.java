package io.microsandbox.metrics.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.ExportResult;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.otel.testing.OtlpTestReceiver;
import io.microsandbox.metrics.otel.testing.ReceivedRequest;
import io.microsandbox.metrics.registry.SampleField;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the catalog's allocation adds on the wire: {@code microsandbox.cpu.limit} for the sandboxes
 * whose vCPUs are known, and a {@code microsandbox.memory.limit} that follows a live resize.
 */
@Timeout(30)
class OtlpAllocationTest {
  private static final long T = 1_779_999_990_000L;
  private static final long MIB = 1024L * 1024L;

  private static SandboxSnapshot sandbox(int id, String name) {
    return SandboxSnapshot.builder()
        .slot(id)
        .sandboxId(id)
        .runId(1)
        .pid(1)
        .name(name)
        .startedAtMs(T - 60_000)
        .sampledAtMs(T)
        .cpuPercent(160f)
        .raw(SampleField.MEMORY_BYTES, 300 * MIB)
        // the registry's limit is stamped at boot and never updated
        .raw(SampleField.MEMORY_LIMIT_BYTES, 512 * MIB)
        .build();
  }

  @Test
  void shipsTheCpuLimitAsAnIntegerGaugeOnlyWhereKnownAndTheCatalogsMemoryLimit() throws Exception {
    SandboxSnapshot resized = sandbox(1, "resized");
    SandboxSnapshot uncatalogued = sandbox(2, "uncatalogued");
    SnapshotCollection c =
        new SnapshotCollection(
            T,
            List.of(resized, uncatalogued),
            Map.of(),
            Map.of(1, new Allocation(2, 2048, 4, 4096, 1000, false)));

    ReceivedRequest r = exportOverGrpc(new ExportBatch(List.of(c), 0, CollectorTelemetry.EMPTY));

    Metric cpuLimit = r.metrics("microsandbox.cpu.limit").get(0);
    assertThat(cpuLimit.getUnit()).isEqualTo("{cpu}");
    assertThat(cpuLimit.hasGauge()).as("a gauge").isTrue();
    List<NumberDataPoint> points = cpuLimit.getGauge().getDataPointsList();
    assertThat(points).as("absent for the sandbox whose vCPUs are unknown").hasSize(1);
    assertThat(points.get(0).getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
    assertThat(points.get(0).getAsInt()).isEqualTo(2);
    assertThat(name(points.get(0))).isEqualTo("resized");

    assertThat(r.points("microsandbox.memory.limit"))
        .extracting(p -> name(p) + "=" + p.getAsInt())
        .containsExactlyInAnyOrder("resized=" + 2048 * MIB, "uncatalogued=" + 512 * MIB);
  }

  @Test
  void sendsNoCpuLimitMetricWhenNoSandboxHasOne() throws Exception {
    SnapshotCollection c = SnapshotCollection.of(T, List.of(sandbox(1, "a")));

    ReceivedRequest r = exportOverGrpc(new ExportBatch(List.of(c), 0, CollectorTelemetry.EMPTY));

    assertThat(r.metrics("microsandbox.cpu.limit")).isEmpty();
    assertThat(r.metrics("microsandbox.memory.usage")).hasSize(1);
  }

  private static String name(NumberDataPoint p) {
    return OtlpExporterWireTest.attributes(p.getAttributesList())
        .get("sandbox.name")
        .getStringValue();
  }

  private static ReceivedRequest exportOverGrpc(ExportBatch batch) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start(OtlpProtocol.GRPC, null, false)) {
      OtlpExporter exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).build();
      try {
        assertThat(exporter.export(batch).kind()).isEqualTo(ExportResult.Kind.SUCCESS);
        return receiver.received().get(0);
      } finally {
        exporter.shutdown();
      }
    }
  }
}
