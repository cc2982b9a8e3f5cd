package io.microsandbox.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.microsandbox.metrics.collector.Allocation;
import io.microsandbox.metrics.collector.CollectorTelemetry;
import io.microsandbox.metrics.collector.ExportBatch;
import io.microsandbox.metrics.collector.SnapshotCollection;
import io.microsandbox.metrics.registry.SandboxSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog's allocation in the exposition: microsandbox_cpu_limit and the memory limit. */
class ExpositionAllocationTest {

  @Test
  void theCpuLimitIsAGaugeWhereKnownAndTheMemoryLimitFollowsTheCatalog() {
    List<SandboxSnapshot> sandboxes = ExpositionTextTest.sandboxes();
    SandboxSnapshot resized = sandboxes.get(1); // registry: 128 MiB, stamped at boot
    SnapshotCollection c =
        new SnapshotCollection(
            ExpositionTextTest.SAMPLED_AT + 300,
            sandboxes,
            Map.of(),
            Map.of(resized.sandboxId(), new Allocation(2, 256, 2, 256, 1000, false)));
    PrometheusExporter e = PrometheusExporter.builder().build();

    e.export(new ExportBatch(List.of(c), 0, CollectorTelemetry.EMPTY));
    String text = ExpositionTextTest.text(e, null);

    assertThat(text).contains("# TYPE microsandbox_cpu_limit gauge\n");
    assertThat(text.lines().filter(l -> l.startsWith("microsandbox_cpu_limit{")))
        .singleElement()
        .asString()
        .contains("sandbox_id=\"" + resized.sandboxId() + "\"")
        .endsWith(" 2.0");
    assertThat(text.lines().filter(l -> l.startsWith("microsandbox_memory_limit_bytes{")))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("sandbox_id=\"" + resized.sandboxId() + "\"")
                    .endsWith(" 2.68435456E8"));
  }
}
